import { sql } from 'kysely';
import type { Tx } from './index';
import { advocacyError } from '$lib/server/advocacy/errors';

/** The messages of a request the caller may read, oldest first. */
export async function advocacyMessages(tx: Tx, requestId: string) {
	return tx
		.selectFrom('advocacy_messages as m')
		.leftJoin('profiles as p', 'p.id', 'm.author_id')
		.select([
			'm.id',
			'm.body',
			'm.from_young_person',
			'm.created_at',
			'p.preferred_name as author_name'
		])
		.where('m.request_id', '=', requestId)
		.orderBy('m.created_at')
		.orderBy('m.id')
		.execute();
}

/** An advocate's message (RLS: an advocate of the request's service, in an open request). */
export async function advocateMessage(
	tx: Tx,
	requestId: string,
	authorId: string,
	body: string
): Promise<void> {
	try {
		await tx
			.insertInto('advocacy_messages')
			.values({ request_id: requestId, author_id: authorId, from_young_person: false, body })
			.execute();
	} catch (e) {
		throw advocacyError(e);
	}
}

/** A signed-in young person's message in their own request (rate-limited in the database). */
export async function youngPersonMessage(
	tx: Tx,
	requestId: string,
	body: string,
	client: string
): Promise<void> {
	try {
		await sql`select private.reply_as_young_person(${requestId}, ${body}, ${client})`.execute(tx);
	} catch (e) {
		throw advocacyError(e);
	}
}
