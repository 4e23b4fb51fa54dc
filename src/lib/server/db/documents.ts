import type * as Y from 'yjs';
import { sql } from 'kysely';
import { docFromSaved } from '../documents/render-html';
import { initialContent } from '$lib/collab/templates';
import type { Tx } from './index';
import type { AccessLevel } from './schema';
import type { DocumentKind, ReadPurpose } from './schema-documents';

/**
 * Documents the caller may open (RLS decides), newest first, with their access level
 * (private.document_access: it knows about shared stories as well as circle access).
 */
export async function documentsICanOpen(tx: Tx) {
	return tx
		.selectFrom('documents as d')
		.innerJoin('profiles as p', 'p.id', 'd.young_person_id')
		.select([
			'd.id',
			'd.title',
			'd.kind',
			'd.young_person_id',
			'p.preferred_name as young_person_name',
			'd.updated_at',
			sql<AccessLevel>`private.document_access(d.id)`.as('access')
		])
		.orderBy('d.updated_at', 'desc')
		.execute();
}

/** One document and the caller's access to it, or undefined if they may not see it. */
export async function documentForMe(tx: Tx, id: string) {
	return tx
		.selectFrom('documents as d')
		.innerJoin('profiles as p', 'p.id', 'd.young_person_id')
		.select([
			'd.id',
			'd.title',
			'd.kind',
			'd.young_person_id',
			'p.preferred_name as young_person_name',
			sql<AccessLevel>`private.document_access(d.id)`.as('access')
		])
		.where('d.id', '=', id)
		.executeTakeFirst();
}

/**
 * Writes the audit row for a read of a child's document. Call it in the same transaction as the
 * read, so there is never a read without its record.
 */
export async function recordRead(
	tx: Tx,
	doc: { id: string; young_person_id: string },
	readerId: string,
	purpose: ReadPurpose
): Promise<void> {
	await tx
		.insertInto('document_reads')
		.values({
			document_id: doc.id,
			young_person_id: doc.young_person_id,
			reader_id: readerId,
			purpose
		})
		.execute();
}

/**
 * The saved state of a document: the snapshot (if any) and every update after it, by seq (ids
 * are drawn in insert order, seqs in commit order: migration 20261204000100). One statement, so
 * one view of the database: read as two, a compaction committing in between would delete updates
 * the earlier-read snapshot does not hold, and they would be missing from this reading.
 */
async function savedState(tx: Tx, documentId: string) {
	const { rows } = await sql<{ part: number; data: Uint8Array }>`
		select 0 as part, 0::bigint as seq, s.state as data
		from public.document_snapshots s where s.document_id = ${documentId}
		union all
		select 1, u.seq, u.update
		from public.document_updates u
		where u.document_id = ${documentId}
		  and u.seq > coalesce((select s.through_seq from public.document_snapshots s
		                        where s.document_id = ${documentId}), 0)
		order by part, seq`.execute(tx);
	return {
		snapshot: rows.find((r) => r.part === 0)?.data ?? null,
		updates: rows.filter((r) => r.part === 1).map((r) => r.data)
	};
}

/**
 * The document as saved, as a Y.Doc (snapshot then later updates). A stored update that cannot
 * be read is reported and skipped, never allowed to hide the rest of a child's document.
 *
 * A document nobody has opened yet has nothing saved: the collab service writes its template
 * when it first loads it (the app writes no content). Until then this is a fresh copy of the
 * template, so the page, print and export show what the editor will open with.
 */
export async function savedDoc(tx: Tx, documentId: string): Promise<Y.Doc> {
	const saved = await savedState(tx, documentId);
	if (saved.snapshot === null && saved.updates.length === 0) {
		const doc = await tx
			.selectFrom('documents')
			.select('kind')
			.where('id', '=', documentId)
			.executeTakeFirst();
		if (doc) saved.updates.push(initialContent(doc.kind));
	}
	return docFromSaved(saved, (e) =>
		console.error(`document ${documentId}: a saved update could not be read`, e)
	);
}

/**
 * Who has opened a young person's documents, as one row per person, day (UK time), document and
 * what they did, with how many times. Other people's looks come first (they are what the young
 * person wants to see), newest day first; their own only when asked for.
 */
export async function readsOfMyDocuments(
	tx: Tx,
	youngPersonId: string,
	{ includeMine, limit = 300 }: { includeMine: boolean; limit?: number }
) {
	const day = sql<string>`to_char(r.read_at at time zone 'Europe/London', 'YYYY-MM-DD')`;
	const mine = sql<boolean>`r.reader_id = ${youngPersonId}`;
	let query = tx
		.selectFrom('document_reads as r')
		.innerJoin('documents as d', 'd.id', 'r.document_id')
		.innerJoin('profiles as p', 'p.id', 'r.reader_id')
		.select([
			'r.reader_id',
			'p.preferred_name as reader_name',
			mine.as('mine'),
			day.as('day'),
			'd.title',
			'r.purpose',
			sql<number>`count(*)::int`.as('times'),
			sql<Date>`max(r.read_at)`.as('last_at')
		])
		.where('r.young_person_id', '=', youngPersonId)
		.groupBy(['r.reader_id', 'p.preferred_name', 'd.id', 'd.title', 'r.purpose', day]);
	if (!includeMine) query = query.where('r.reader_id', '<>', youngPersonId);
	return query
		.orderBy(mine)
		.orderBy(day, 'desc')
		.orderBy(sql`max(r.read_at)`, 'desc')
		.limit(limit)
		.execute();
}

/**
 * Starts a document: the documents row only. Its content (the kind's template first) is written
 * by the collab service, the only role that may write content, when it first loads the document.
 * RLS decides who may (practitioners managing the circle start plans; a young person starts
 * their own story); a refusal raises.
 */
export async function startDocument(
	tx: Tx,
	doc: { youngPersonId: string; kind: DocumentKind; title: string; createdBy: string }
): Promise<string> {
	const row = await tx
		.insertInto('documents')
		.values({
			young_person_id: doc.youngPersonId,
			kind: doc.kind,
			title: doc.title,
			created_by: doc.createdBy
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** The young person's own "my story", if they have started one (each has one story). */
export async function myStory(tx: Tx, youngPersonId: string) {
	return tx
		.selectFrom('documents')
		.select(['id', 'title'])
		.where('young_person_id', '=', youngPersonId)
		.where('kind', '=', 'my_story')
		.orderBy('created_at')
		.executeTakeFirst();
}

/** A young person's documents the caller may open (RLS decides), newest first. */
export async function documentsOf(tx: Tx, youngPersonId: string) {
	return tx
		.selectFrom('documents')
		.select(['id', 'title', 'kind', 'updated_at'])
		.where('young_person_id', '=', youngPersonId)
		.orderBy('updated_at', 'desc')
		.execute();
}

/**
 * When a document's words last changed: its newest saved edit (or its snapshot, once the edits
 * are compacted into it), else when it was started. Only dates, no words: no read to audit.
 */
export async function lastChanged(tx: Tx, documentId: string): Promise<Date> {
	const row = await tx
		.selectFrom('documents as d')
		.select(
			sql<Date>`greatest(
				d.created_at,
				(select max(u.created_at) from public.document_updates u where u.document_id = d.id),
				(select s.updated_at from public.document_snapshots s where s.document_id = d.id)
			)`.as('at')
		)
		.where('d.id', '=', documentId)
		.executeTakeFirstOrThrow();
	return row.at;
}
