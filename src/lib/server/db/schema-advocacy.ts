/** Advocacy requests, messages and plans: table types for the app's Kysely queries. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AdvocacyTables {}
