import type { ColumnType, Generated } from 'kysely';
import type { AdvocacyTables } from './schema-advocacy';
import type { DocumentTables } from './schema-documents';
import type { FeedbackTables } from './schema-feedback';
import type { StoryTables } from './schema-story';
import type { ReadingTables } from './schema-reading';

/**
 * Hand-written types for the tables in supabase/migrations. Keep in step with the SQL: a column
 * added there and not here is invisible to the app, which is the safe way round.
 */
export type MemberRole =
	| 'young_person'
	| 'family_member'
	| 'social_worker'
	| 'personal_adviser'
	| 'advocate'
	| 'service_designer'
	| 'admin';
export type AccessLevel = 'edit' | 'comment' | 'view' | 'none';
export type OrganisationKind = 'local_authority' | 'advocacy_service';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface OrganisationsTable {
	id: Generated<string>;
	name: string;
	kind: OrganisationKind;
	created_at: Generated<Date>;
}

export interface ProfilesTable {
	id: string;
	preferred_name: string;
	pronouns: string | null;
	/** The language the person chose (migration 20261204000100); null until they choose. */
	language: string | null;
	created_at: Generated<Date>;
	updated_at: Timestamp;
}

export interface MembershipsTable {
	id: Generated<string>;
	organisation_id: string;
	user_id: string;
	role: MemberRole;
	created_at: Generated<Date>;
}

export interface CircleMembersTable {
	id: Generated<string>;
	young_person_id: string;
	member_id: string;
	relationship: string;
	access: AccessLevel;
	added_by: string | null;
	created_at: Generated<Date>;
}

export interface InvitesTable {
	id: Generated<string>;
	organisation_id: string;
	invitee_id: string;
	invited_by: string;
	role: 'young_person' | 'family_member';
	young_person_id: string | null;
	relationship: string | null;
	created_at: Generated<Date>;
	expires_at: Timestamp;
	accepted_at: Date | null;
	/** SHA-256 of the invite link's token, so opening the link can say it is used or lapsed. */
	link_hash: ColumnType<Buffer | null, Buffer | null | undefined, never>;
}

/** People, organisations and circles (migration 20261123000100). */
export interface CoreTables {
	organisations: OrganisationsTable;
	profiles: ProfilesTable;
	memberships: MembershipsTable;
	circle_members: CircleMembersTable;
	invites: InvitesTable;
}

/**
 * Every table the app queries. Each area keeps its table types in its own module
 * (schema-*.ts) so that work on one area never edits another's types.
 */
export interface Database
	extends CoreTables, DocumentTables, AdvocacyTables, FeedbackTables, StoryTables, ReadingTables {}
