import type { Tx } from './index';
import type { SuggestionStatus } from './schema-documents';

/**
 * Suggested changes to the young person's own words (public.document_suggestions). Others
 * suggest (recorded by the collab service, which reads the words at the anchors itself: see
 * src/lib/server/collab/store.ts); only the young person decides, once (RLS).
 */
export async function suggestionsFor(tx: Tx, documentId: string) {
	const base = () =>
		tx
			.selectFrom('document_suggestions as s')
			.leftJoin('profiles as a', 'a.id', 's.author_id')
			.select([
				's.id',
				's.author_id',
				's.anchor_start',
				's.anchor_end',
				's.original_text',
				's.suggested_text',
				's.status',
				's.created_at',
				's.decided_at',
				'a.preferred_name as author_name'
			])
			.where('s.document_id', '=', documentId);
	// Every waiting suggestion (however many), then the most recent decisions.
	const pending = await base()
		.where('s.status', '=', 'pending')
		.orderBy('s.created_at')
		.limit(500)
		.execute();
	const decided = await base()
		.where('s.status', '<>', 'pending')
		.orderBy('s.decided_at', 'desc')
		.limit(10)
		.execute();
	return [...pending, ...decided];
}

/** How many suggestions this person has made in the last hour (a flood is refused). */
export async function suggestionsInLastHour(tx: Tx, authorId: string): Promise<number> {
	const row = await tx
		.selectFrom('document_suggestions')
		.select((eb) => eb.fn.countAll<string>().as('n'))
		.where('author_id', '=', authorId)
		.where('created_at', '>', new Date(Date.now() - 3_600_000))
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

export async function pendingSuggestion(tx: Tx, documentId: string, id: string) {
	return tx
		.selectFrom('document_suggestions')
		.select(['id', 'original_text', 'suggested_text', 'status', 'anchor_start', 'anchor_end'])
		.where('document_id', '=', documentId)
		.where('id', '=', id)
		.where('status', '=', 'pending')
		.executeTakeFirst();
}

/** Records the young person's decision; false if it was not theirs to make or already made. */
export async function decideSuggestion(
	tx: Tx,
	documentId: string,
	id: string,
	status: Exclude<SuggestionStatus, 'pending'>,
	deciderId: string
): Promise<boolean> {
	const result = await tx
		.updateTable('document_suggestions')
		.set({ status, decided_by: deciderId, decided_at: new Date() })
		.where('document_id', '=', documentId)
		.where('id', '=', id)
		.where('status', '=', 'pending')
		.executeTakeFirst();
	return result.numUpdatedRows === 1n;
}
