import type { Tx } from './index';
import type { TimelineKind, TimelineStatus } from './schema-story';

/**
 * A story's timeline entries the caller may see, oldest first, with who added each. RLS decides
 * which: the young person sees every entry (suggestions and declined ones too); someone the story
 * is shared with sees accepted entries, plus their own waiting suggestions if they may comment.
 */
export async function timelineOf(tx: Tx, documentId: string) {
	return tx
		.selectFrom('story_timeline_entries as e')
		.leftJoin('profiles as p', 'p.id', 'e.added_by')
		.select([
			'e.id',
			'e.kind',
			'e.name',
			'e.period',
			'e.note',
			'e.status',
			'e.added_by',
			'e.created_at',
			'p.preferred_name as added_by_name'
		])
		.where('e.document_id', '=', documentId)
		.orderBy('e.created_at')
		.orderBy('e.id')
		.execute();
}

/** The fields a person writes for an entry. */
export interface TimelineFields {
	kind: TimelineKind;
	name: string;
	period: string | null;
	note: string | null;
}

/**
 * Adds an entry: 'accepted' when the young person adds to their own story, 'suggested' when
 * someone it is shared with to comment suggests one. RLS refuses (42501) any other combination.
 */
export async function addTimelineEntry(
	tx: Tx,
	entry: TimelineFields & { documentId: string; addedBy: string; status: 'accepted' | 'suggested' }
): Promise<string> {
	const row = await tx
		.insertInto('story_timeline_entries')
		.values({
			document_id: entry.documentId,
			kind: entry.kind,
			name: entry.name,
			period: entry.period,
			note: entry.note,
			added_by: entry.addedBy,
			status: entry.status
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** Changes an entry's words. False when nothing changed (not found, or RLS: not the owner). */
export async function updateTimelineEntry(
	tx: Tx,
	documentId: string,
	entryId: string,
	fields: TimelineFields
): Promise<boolean> {
	const result = await tx
		.updateTable('story_timeline_entries')
		.set({ kind: fields.kind, name: fields.name, period: fields.period, note: fields.note })
		.where('id', '=', entryId)
		.where('document_id', '=', documentId)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}

/**
 * The young person accepts or declines a waiting suggestion. Only a 'suggested' entry changes,
 * so deciding twice (say, two tabs) does nothing the second time. False when nothing changed.
 */
export async function decideSuggestion(
	tx: Tx,
	documentId: string,
	entryId: string,
	decision: Exclude<TimelineStatus, 'suggested'>
): Promise<boolean> {
	const result = await tx
		.updateTable('story_timeline_entries')
		.set({ status: decision, decided_at: new Date() })
		.where('id', '=', entryId)
		.where('document_id', '=', documentId)
		.where('status', '=', 'suggested')
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}

/** Removes an entry. False when nothing was removed (not found, or RLS: not the owner). */
export async function removeTimelineEntry(
	tx: Tx,
	documentId: string,
	entryId: string
): Promise<boolean> {
	const result = await tx
		.deleteFrom('story_timeline_entries')
		.where('id', '=', entryId)
		.where('document_id', '=', documentId)
		.executeTakeFirst();
	return result.numDeletedRows > 0n;
}
