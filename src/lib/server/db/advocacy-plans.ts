import { sql } from 'kysely';
import type { Tx } from './index';
import { advocacyError } from '$lib/server/advocacy/errors';

export interface AdvocacyPlanInput {
	wantsStopped: string | null;
	wantsStarted: string | null;
	wantsChanged: string | null;
	steps: string | null;
	/** YYYY-MM-DD */
	reviewOn: string | null;
}

/** The plan of a request the caller may read, or undefined. `review_on` as YYYY-MM-DD. */
export async function advocacyPlan(tx: Tx, requestId: string) {
	return tx
		.selectFrom('advocacy_plans')
		.select([
			'wants_stopped',
			'wants_started',
			'wants_changed',
			'steps',
			sql<string | null>`to_char(review_on, 'YYYY-MM-DD')`.as('review_on'),
			'updated_at'
		])
		.where('request_id', '=', requestId)
		.executeTakeFirst();
}

/** Writes the plan (RLS: an advocate of the request's service, while it is open). */
export async function saveAdvocacyPlan(
	tx: Tx,
	requestId: string,
	authorId: string,
	p: AdvocacyPlanInput
): Promise<void> {
	const values = {
		wants_stopped: p.wantsStopped,
		wants_started: p.wantsStarted,
		wants_changed: p.wantsChanged,
		steps: p.steps,
		review_on: p.reviewOn,
		updated_by: authorId
	};
	try {
		await tx
			.insertInto('advocacy_plans')
			.values({ request_id: requestId, ...values })
			.onConflict((oc) =>
				oc.column('request_id').doUpdateSet({ ...values, updated_at: sql`now()` })
			)
			.execute();
	} catch (e) {
		throw advocacyError(e);
	}
}
