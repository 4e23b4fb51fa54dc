/** Feedback surveys, responses and "you said, we did" actions: table types for the app's Kysely queries. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FeedbackTables {}
