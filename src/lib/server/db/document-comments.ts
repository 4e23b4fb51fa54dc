import { sql } from 'kysely';
import type { Tx } from './index';

/**
 * Comments on a document (public.document_comments) and mentions on them
 * (public.document_comment_mentions). RLS decides who reads, comments, resolves and mentions.
 */

/** Every comment on a document, oldest first, with its author's name and who it mentions. */
export async function commentsOn(tx: Tx, documentId: string) {
	const comments = await tx
		.selectFrom('document_comments as c')
		.leftJoin('profiles as a', 'a.id', 'c.author_id')
		.leftJoin('profiles as r', 'r.id', 'c.resolved_by')
		.select([
			'c.id',
			'c.thread_id',
			'c.author_id',
			'c.body',
			'c.anchor_start',
			'c.anchor_end',
			'c.quote',
			'c.resolved_at',
			'c.created_at',
			'a.preferred_name as author_name',
			'r.preferred_name as resolved_by_name'
		])
		.where('c.document_id', '=', documentId)
		.orderBy('c.created_at', 'desc')
		.orderBy('c.id', 'desc')
		.limit(500)
		.execute()
		// The newest 500, shown oldest first.
		.then((rows) => rows.reverse());
	const mentions = comments.length
		? await tx
				.selectFrom('document_comment_mentions as m')
				.innerJoin('profiles as p', 'p.id', 'm.person_id')
				.select(['m.comment_id', 'm.person_id', 'p.preferred_name'])
				.where(
					'm.comment_id',
					'in',
					comments.map((c) => c.id)
				)
				.execute()
		: [];
	return { comments, mentions };
}

/**
 * People who can read the document and so may be mentioned on it (never the caller): the young
 * person and the circle members private.may_be_mentioned allows.
 */
export async function mentionablePeople(tx: Tx, documentId: string, me: string) {
	const { rows } = await sql<{ id: string; preferred_name: string; relationship: string | null }>`
		select p.id, p.preferred_name, c.relationship
		from public.documents d
		join public.profiles p
		  on p.id = d.young_person_id
		  or p.id in (select m.member_id from public.circle_members m
		              where m.young_person_id = d.young_person_id)
		left join public.circle_members c
		  on c.young_person_id = d.young_person_id and c.member_id = p.id
		where d.id = ${documentId}::uuid and p.id <> ${me}::uuid
		  and private.may_be_mentioned(p.id, d.id)
		order by (p.id = d.young_person_id) desc, p.preferred_name`.execute(tx);
	return rows;
}

export async function addComment(
	tx: Tx,
	c: {
		documentId: string;
		authorId: string;
		body: string;
		threadId: string | null;
		anchor: { start: Uint8Array; end: Uint8Array; quote: string } | null;
		mentions: string[];
	}
): Promise<string> {
	const row = await tx
		.insertInto('document_comments')
		.values({
			document_id: c.documentId,
			author_id: c.authorId,
			body: c.body,
			thread_id: c.threadId,
			anchor_start: c.anchor?.start ?? null,
			anchor_end: c.anchor?.end ?? null,
			quote: c.anchor?.quote ?? null
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	if (c.mentions.length > 0) {
		await tx
			.insertInto('document_comment_mentions')
			.values(c.mentions.map((person) => ({ comment_id: row.id, person_id: person })))
			.execute();
	}
	return row.id;
}

/** How many comments this person has written in the last hour (a flood is refused). */
export async function commentsInLastHour(tx: Tx, authorId: string): Promise<number> {
	const row = await tx
		.selectFrom('document_comments')
		.select((eb) => eb.fn.countAll<string>().as('n'))
		.where('author_id', '=', authorId)
		.where('created_at', '>', new Date(Date.now() - 3_600_000))
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

/** Is `threadId` a thread (not a reply) on this document that the caller can see? */
export async function isThreadOf(tx: Tx, documentId: string, threadId: string): Promise<boolean> {
	const row = await tx
		.selectFrom('document_comments')
		.select('id')
		.where('id', '=', threadId)
		.where('document_id', '=', documentId)
		.where('thread_id', 'is', null)
		.executeTakeFirst();
	return row !== undefined;
}

/** Resolves or reopens a thread; false if it is not a thread the caller may resolve. */
export async function setResolved(
	tx: Tx,
	documentId: string,
	threadId: string,
	resolvedBy: string | null
): Promise<boolean> {
	const result = await tx
		.updateTable('document_comments')
		.set({ resolved_at: resolvedBy ? new Date() : null, resolved_by: resolvedBy })
		.where('document_id', '=', documentId)
		.where('id', '=', threadId)
		.where('thread_id', 'is', null)
		// Resolving keeps who resolved it first; reopening only what is resolved.
		.where('resolved_at', resolvedBy ? 'is' : 'is not', null)
		.executeTakeFirst();
	return result.numUpdatedRows === 1n;
}

/** The caller's mentions, newest first, with where they are (for the home page). */
export async function myMentions(tx: Tx, me: string, limit = 10) {
	return tx
		.selectFrom('document_comment_mentions as m')
		.innerJoin('document_comments as c', 'c.id', 'm.comment_id')
		.innerJoin('documents as d', 'd.id', 'c.document_id')
		.leftJoin('profiles as a', 'a.id', 'c.author_id')
		.select([
			'm.comment_id',
			'm.seen_at',
			'm.created_at',
			'c.document_id',
			'c.thread_id',
			'd.title',
			'a.preferred_name as author_name'
		])
		.where('m.person_id', '=', me)
		.orderBy('m.created_at', 'desc')
		.limit(limit)
		.execute();
}

/** Marks the caller's mentions on a document as seen (they have opened it). */
export async function markMentionsSeen(tx: Tx, documentId: string, me: string): Promise<void> {
	await tx
		.updateTable('document_comment_mentions')
		.set({ seen_at: new Date() })
		.where('person_id', '=', me)
		.where('seen_at', 'is', null)
		.where(
			'comment_id',
			'in',
			tx.selectFrom('document_comments').select('id').where('document_id', '=', documentId)
		)
		.execute();
}
