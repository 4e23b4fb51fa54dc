import { sql } from 'kysely';
import type { Tx } from './index';
import type { MemberRole } from './schema';

/**
 * "I need help now" (issue 15). Every write goes through a security definer function in schema
 * private (supabase/migrations/20261205100100_help_now.sql): who may be told, the clock, the duty
 * team and escalation are all decided there, with an audit row in the same transaction.
 */

/** What the person who acknowledged it told the young person. */
export type HelpReply = 'seen' | 'call_today';

/** Why a worker sees a request: they were chosen, they are on duty, or it is late. */
export type HelpWhy = 'chosen' | 'duty' | 'escalated';

export interface HelpPerson {
	id: string;
	preferred_name: string;
	role: MemberRole;
}

/** Whom the signed-in young person may tell (never family); empty for anyone else. */
export async function peopleICanTell(tx: Tx): Promise<HelpPerson[]> {
	const { rows } = await sql<HelpPerson>`
		select id, preferred_name, role from private.help_people_i_can_tell()`.execute(tx);
	return rows;
}

/** Thrown when the database refuses a help request or an acknowledgement (SQLSTATE 42501). */
export class HelpRefusedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'HelpRefusedError';
	}
}

/** Thrown when someone sends too many in an hour (SQLSTATE AR429 from the shared limiter). */
export class HelpRateLimitedError extends Error {
	constructor() {
		super('too many help requests in an hour');
		this.name = 'HelpRateLimitedError';
	}
}

function mapError(e: unknown): never {
	const code = (e as { code?: string }).code;
	if (code === '42501') throw new HelpRefusedError((e as Error).message);
	if (code === 'AR429') throw new HelpRateLimitedError();
	throw e;
}

/** Sends it to `recipients` (or to the duty team with none). Returns the new request's id. */
export async function sendHelpRequest(
	tx: Tx,
	message: string | null,
	recipients: string[]
): Promise<string> {
	try {
		const { rows } = await sql<{ id: string }>`
			select private.send_help_request(${message}, ${recipients}::uuid[]) as id`.execute(tx);
		return rows[0]!.id;
	} catch (e) {
		mapError(e);
	}
}

export interface MyHelpRequest {
	id: string;
	message: string | null;
	created_at: Date;
	recipient_names: string[];
	reply: HelpReply | null;
	acknowledged_by_name: string | null;
}

/** The young person's own last ten, newest first, with who acknowledged each. */
export async function myHelpRequests(tx: Tx): Promise<MyHelpRequest[]> {
	const { rows } = await sql<MyHelpRequest>`
		select id, message, created_at, recipient_names, reply, acknowledged_by_name
		from private.my_help_requests()`.execute(tx);
	return rows;
}

export interface InboxRequest {
	id: string;
	young_person_name: string;
	message: string | null;
	due_at: Date;
	why: HelpWhy;
	late: boolean;
	acknowledged_at: Date | null;
	acknowledged_by_name: string | null;
}

/**
 * The requests this worker handles, waiting ones first (soonest due), then those acknowledged in
 * the last week. Opening it records who saw which (once each): the audit trail.
 */
export async function helpInbox(tx: Tx): Promise<InboxRequest[]> {
	const { rows } = await sql<InboxRequest>`
		select id, young_person_name, message, due_at, why, late, acknowledged_at, acknowledged_by_name
		from private.help_inbox()`.execute(tx);
	return rows;
}

/** Acknowledges a request the caller handles (a second acknowledgement changes nothing). */
export async function acknowledgeHelpRequest(
	tx: Tx,
	requestId: string,
	reply: HelpReply
): Promise<void> {
	try {
		await sql`select private.acknowledge_help_request(${requestId}, ${reply})`.execute(tx);
	} catch (e) {
		mapError(e);
	}
}

export interface DutyNumber {
	organisation_id: string;
	organisation_name: string;
	duty_phone: string;
}

/** Every local authority's out-of-hours duty number (public; works signed out). */
export async function dutyNumbers(tx: Tx): Promise<DutyNumber[]> {
	const { rows } = await sql<DutyNumber>`
		select organisation_id, organisation_name, duty_phone
		from private.help_duty_numbers()`.execute(tx);
	return rows;
}
