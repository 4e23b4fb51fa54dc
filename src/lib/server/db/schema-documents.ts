/** Documents and their co-writing log: table types for the app's Kysely queries. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DocumentTables {}
