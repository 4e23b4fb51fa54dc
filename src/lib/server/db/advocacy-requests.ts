import { sql } from 'kysely';
import type { Tx } from './index';
import type { AdvocacyStatus, CareStatus, SocialWorkerMayKnow, Urgency } from './schema-advocacy';
import { advocacyError } from '$lib/server/advocacy/errors';

export interface NewAdvocacyRequest {
	serviceId: string;
	callMe: string;
	contactHow: string | null;
	contactWhen: string | null;
	localAuthority: string | null;
	careStatus: CareStatus;
	about: string;
	urgency: Urgency;
	communicationNeeds: string | null;
	socialWorkerMayKnow: SocialWorkerMayKnow;
}

/** Advocacy services a request can go to (a public list; works for anon). */
export async function advocacyServices(tx: Tx) {
	const { rows } = await sql<{
		id: string;
		name: string;
	}>`select id, name from private.advocacy_services()`.execute(tx);
	return rows;
}

/**
 * Sends a request through private.submit_advocacy_request, which applies the rate limits. As anon
 * it returns a reference (shown once, never stored); signed in as a young person, it is linked to
 * them and the reference is null. `client` is the caller's address: the database hashes it.
 * `earlierReference` (anon only): the reference of a request the person made before; the
 * database looks it up through its metered door and links the new request to it if it was made
 * in the last day and is not closed (the advocate sees them together). Signed in, it is ignored.
 */
export async function submitAdvocacyRequest(
	tx: Tx,
	r: NewAdvocacyRequest,
	client: string,
	earlierReference: string | null = null
): Promise<{ requestId: string; reference: string | null }> {
	try {
		const { rows } = await sql<{ request_id: string; reference: string | null }>`
			select request_id, reference from private.submit_advocacy_request(
				${r.serviceId}, ${client}, ${r.callMe}, ${r.contactHow}, ${r.contactWhen},
				${r.localAuthority}, ${r.careStatus}, ${r.about}, ${r.urgency}, ${r.communicationNeeds},
				${r.socialWorkerMayKnow}, ${earlierReference})`.execute(tx);
		const row = rows[0];
		if (!row) throw new Error('submit_advocacy_request returned no row');
		return { requestId: row.request_id, reference: row.reference };
	} catch (e) {
		throw advocacyError(e);
	}
}

export interface ThreadMessage {
	id: string;
	body: string;
	from_young_person: boolean;
	author_name: string | null;
	created_at: string;
}

export interface ReferenceThread {
	call_me: string;
	about: string;
	urgency: Urgency;
	status: AdvocacyStatus;
	outcome: string | null;
	created_at: string;
	service_name: string;
	messages: ThreadMessage[];
	plan: {
		wants_stopped: string | null;
		wants_started: string | null;
		wants_changed: string | null;
		steps: string | null;
		review_on: string | null;
	} | null;
}

/**
 * What an anonymous reference opens, or null: one exact lookup, never a list. Counted against
 * `client` (the caller's address key) in the database, which refuses too many (AR429).
 */
export async function threadByReference(
	tx: Tx,
	reference: string,
	client: string
): Promise<ReferenceThread | null> {
	const { rows } = await sql<{
		thread: ReferenceThread | null;
	}>`select private.advocacy_thread_by_reference(${reference}, ${client}) as thread`.execute(tx);
	return rows[0]?.thread ?? null;
}

/**
 * The young person's reply through their reference (rate-limited in the database, where the
 * reply counts as a lookup of the reference). False: no such reference. (Not thrown: the caller's
 * transaction must commit, or the miss the database counted would be rolled back with it.)
 */
export async function replyByReference(
	tx: Tx,
	reference: string,
	body: string,
	client: string
): Promise<boolean> {
	try {
		const { rows } = await sql<{
			id: string | null;
		}>`select private.reply_by_reference(${reference}, ${body}, ${client}) as id`.execute(tx);
		return Boolean(rows[0]?.id);
	} catch (e) {
		throw advocacyError(e);
	}
}

const requestColumns = [
	'r.id',
	'r.service_id',
	'r.young_person_id',
	'r.call_me',
	'r.contact_how',
	'r.contact_when',
	'r.local_authority',
	'r.care_status',
	'r.about',
	'r.urgency',
	'r.communication_needs',
	'r.social_worker_may_know',
	'r.status',
	'r.allocated_to',
	'r.allocated_at',
	'r.responded_at',
	'r.circle_invite_at',
	'r.closed_at',
	'r.outcome',
	'r.created_at',
	'r.repeat_of',
	'o.name as service_name'
] as const;

/**
 * When a request's two clocks run out, from the database's working calendar (one calendar for
 * every clock; 4 working hours to respond for "Urgent: today"). Joined laterally, so each row's
 * calendar is walked once: two `(f(…)).column` selections would call it once per column.
 */
const clock = sql<{
	respond_due: Date;
	allocate_due: Date;
}>`private.advocacy_clock_due(r.service_id, r.created_at, r.urgency)`.as('clock');
const clockColumns = ['clock.respond_due', 'clock.allocate_due'] as const;

/** The signed-in young person's own requests, newest first. */
export async function myAdvocacyRequests(tx: Tx, userId: string) {
	return tx
		.selectFrom('advocacy_requests as r')
		.innerJoin('organisations as o', 'o.id', 'r.service_id')
		.select(requestColumns)
		.where('r.young_person_id', '=', userId)
		.orderBy('r.created_at', 'desc')
		.execute();
}

/** One request, if the caller may read it (RLS: the young person, their advocates, break-glass). */
export async function advocacyRequest(tx: Tx, id: string) {
	return tx
		.selectFrom('advocacy_requests as r')
		.innerJoin('organisations as o', 'o.id', 'r.service_id')
		.leftJoin('profiles as a', 'a.id', 'r.allocated_to')
		.innerJoinLateral(clock, (j) => j.onTrue())
		.select([...requestColumns, 'a.preferred_name as allocated_name', ...clockColumns])
		.where('r.id', '=', id)
		.executeTakeFirst();
}

/** Every request the caller's advocacy services hold (RLS keeps out everything else). */
export async function advocacyQueue(tx: Tx, advocateId: string) {
	return tx
		.selectFrom('advocacy_requests as r')
		.innerJoin('organisations as o', 'o.id', 'r.service_id')
		.innerJoin('memberships as m', (j) =>
			j.onRef('m.organisation_id', '=', 'r.service_id').on('m.user_id', '=', advocateId)
		)
		.leftJoin('profiles as a', 'a.id', 'r.allocated_to')
		.innerJoinLateral(clock, (j) => j.onTrue())
		.select([...requestColumns, 'a.preferred_name as allocated_name', ...clockColumns])
		.where('m.role', '=', 'advocate')
		.orderBy('r.created_at')
		.execute();
}

/** Allocates a request to an advocate of the same service; the database sets the time. */
export async function allocateRequest(tx: Tx, id: string, advocateId: string): Promise<boolean> {
	try {
		const r = await tx
			.updateTable('advocacy_requests')
			.set({ allocated_to: advocateId })
			.where('id', '=', id)
			.executeTakeFirst();
		return r.numUpdatedRows > 0n;
	} catch (e) {
		throw advocacyError(e);
	}
}

/** Closes a request with its outcome. */
export async function closeRequest(tx: Tx, id: string, outcome: string): Promise<boolean> {
	try {
		const r = await tx
			.updateTable('advocacy_requests')
			.set({ status: 'closed', outcome })
			.where('id', '=', id)
			.executeTakeFirst();
		return r.numUpdatedRows > 0n;
	} catch (e) {
		throw advocacyError(e);
	}
}

/** The advocate asks to join the young person's circle; the young person answers in the app. */
export async function askToJoinCircle(tx: Tx, id: string): Promise<boolean> {
	try {
		const r = await tx
			.updateTable('advocacy_requests')
			.set({ circle_invite_at: new Date() })
			.where('id', '=', id)
			.where('young_person_id', 'is not', null)
			.executeTakeFirst();
		return r.numUpdatedRows > 0n;
	} catch (e) {
		throw advocacyError(e);
	}
}

/**
 * The signed-in young person's first open request of the last day, if any: what a new request
 * from them would repeat (the database decides, private.my_earlier_advocacy_request). Anonymous
 * askers never get one: nothing may tell the next person on a shared phone that someone asked.
 * (Someone not signed in who types the reference of an earlier request is asked about that one:
 * they hold its reference, so they may read it anyway. See /ask-for-an-advocate.)
 */
export async function myEarlierRequest(tx: Tx) {
	return tx
		.selectFrom('advocacy_requests as r')
		.innerJoin('organisations as o', 'o.id', 'r.service_id')
		.select(['r.id', 'r.about', 'r.created_at', 'o.name as service_name'])
		.where('r.id', '=', sql<string>`private.my_earlier_advocacy_request()`)
		.executeTakeFirst();
}
