import type { ColumnType, Generated } from 'kysely';

/** How the young person describes their situation (the form's "care status"). */
export type CareStatus = 'in_care' | 'care_leaver' | 'child_in_need' | 'not_sure';
export type Urgency = 'today' | 'this_week' | 'not_urgent';
export type SocialWorkerMayKnow = 'yes' | 'no' | 'ask_me';
export type AdvocacyStatus = 'new' | 'allocated' | 'closed';

/** Set by the database (defaults or triggers), never written by the app. */
type DbTime = ColumnType<Date, never, never>;

export interface AdvocacyRequestsTable {
	id: Generated<string>;
	service_id: string;
	young_person_id: string | null;
	/** SHA-256 of an anonymous request's reference; the reference itself is never stored. */
	reference_hash: ColumnType<Buffer | null, never, never>;
	call_me: string;
	contact_how: string | null;
	contact_when: string | null;
	local_authority: string | null;
	care_status: CareStatus;
	about: string;
	urgency: Urgency;
	communication_needs: string | null;
	social_worker_may_know: SocialWorkerMayKnow;
	status: AdvocacyStatus;
	allocated_to: string | null;
	allocated_at: ColumnType<Date | null, never, never>;
	responded_at: ColumnType<Date | null, never, never>;
	circle_invite_at: ColumnType<Date | null, never, Date | string | null>;
	closed_at: ColumnType<Date | null, never, never>;
	outcome: string | null;
	created_at: DbTime;
	/** The first request of the day this one repeats (set only by the database). */
	repeat_of: ColumnType<string | null, never, never>;
}

export interface AdvocacyMessagesTable {
	id: Generated<string>;
	request_id: string;
	author_id: string | null;
	from_young_person: boolean;
	body: string;
	created_at: DbTime;
}

export interface AdvocacyPlansTable {
	id: Generated<string>;
	request_id: string;
	wants_stopped: string | null;
	wants_started: string | null;
	wants_changed: string | null;
	steps: string | null;
	review_on: ColumnType<string | null, string | null, string | null>;
	updated_by: string | null;
	created_at: DbTime;
	updated_at: ColumnType<Date, never, Date | string>;
}

export interface AdvocacyBreakGlassTable {
	id: Generated<string>;
	request_id: string;
	manager_id: string;
	reason: string;
	created_at: DbTime;
	expires_at: ColumnType<Date, Date | string, never>;
}

/** Advocacy requests, messages, plans and break-glass records (migration 20261123000300). */
export interface AdvocacyTables {
	advocacy_requests: AdvocacyRequestsTable;
	advocacy_messages: AdvocacyMessagesTable;
	advocacy_plans: AdvocacyPlansTable;
	advocacy_break_glass: AdvocacyBreakGlassTable;
}
