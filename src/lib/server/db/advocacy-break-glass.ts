import { sql } from 'kysely';
import type { Tx } from './index';
import { advocacyError } from '$lib/server/advocacy/errors';

/**
 * For a service's manager: the service's requests, to choose one for a break-glass, in words
 * (when, how urgent, where it has got to, its first eight words, which service), never by id.
 */
export async function requestsForManager(tx: Tx) {
	const { rows } = await sql<{
		id: string;
		created_at: Date;
		urgency: string;
		status: string;
		first_words: string;
		more_words: boolean;
		service_name: string;
	}>`select id, created_at, urgency, status, first_words, more_words, service_name
		from private.advocacy_requests_for_manager()`.execute(tx);
	return rows;
}

/** Opens a break-glass (RLS: the service's manager, with a reason, for at most 24 hours). */
export async function openBreakGlass(
	tx: Tx,
	requestId: string,
	managerId: string,
	reason: string,
	hours: number
): Promise<void> {
	try {
		await tx
			.insertInto('advocacy_break_glass')
			.values({
				request_id: requestId,
				manager_id: managerId,
				reason,
				// From the transaction's own clock, as the policy's `now()` and the row's created_at:
				// the app's clock runs ahead of the transaction start, so 24 hours from it was over.
				expires_at: sql<Date>`now() + make_interval(hours => ${hours})`
			})
			.execute();
	} catch (e) {
		throw advocacyError(e);
	}
}

/** Every break-glass on the manager's services: the review list. */
export async function breakGlassReview(tx: Tx) {
	return tx
		.selectFrom('advocacy_break_glass as b')
		.innerJoin('profiles as p', 'p.id', 'b.manager_id')
		.select([
			'b.id',
			'b.request_id',
			'b.reason',
			'b.created_at',
			'b.expires_at',
			'p.preferred_name'
		])
		.orderBy('b.created_at', 'desc')
		.execute();
}
