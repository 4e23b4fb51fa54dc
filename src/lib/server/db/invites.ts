import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from './index';
import type { InvitesTable } from './schema';

export interface NewInvite {
	organisationId: string;
	inviteeId: string;
	invitedBy: string;
	role: InvitesTable['role'];
	youngPersonId: string | null;
	relationship: string | null;
	expiresAt: Date;
	/** The token in the invite's link (only its hash is kept). */
	linkToken: string;
}

/** How the invites table keeps a link's token: its SHA-256, never the token itself. */
function linkHash(token: string): Buffer {
	return createHash('sha256').update(token, 'utf8').digest();
}

/** Records an invite; RLS requires the caller to be a practitioner or admin in the organisation. */
export async function createInvite(tx: Tx, i: NewInvite): Promise<string> {
	const row = await tx
		.insertInto('invites')
		.values({
			organisation_id: i.organisationId,
			invitee_id: i.inviteeId,
			invited_by: i.invitedBy,
			role: i.role,
			young_person_id: i.youngPersonId,
			relationship: i.relationship,
			expires_at: i.expiresAt,
			link_hash: linkHash(i.linkToken)
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/**
 * Whether an invite link can still be used, asked as anyone (the person opening it is not signed
 * in yet). 'unknown' for links made before links were recorded: those just show the form.
 */
export async function inviteLinkState(
	tx: Tx,
	token: string
): Promise<'open' | 'used' | 'lapsed' | 'unknown'> {
	// The auth service's link tokens are hex (Supabase's hashed_token): anything else, such as a
	// NUL Postgres cannot even be sent, is no link of ours.
	if (!/^[0-9a-f]{1,128}$/i.test(token)) return 'unknown';
	const { rows } = await sql<{
		state: 'open' | 'used' | 'lapsed' | 'unknown';
	}>`select private.invite_link_state(${token}) as state`.execute(tx);
	return rows[0]?.state ?? 'unknown';
}

/** The invitee marks their open invites accepted (RLS: only their own, only unexpired). */
export async function acceptMyInvites(tx: Tx, inviteeId: string): Promise<number> {
	const result = await tx
		.updateTable('invites')
		.set({ accepted_at: new Date() })
		.where('invitee_id', '=', inviteeId)
		.where('accepted_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/** Invites of an organisation (admins) or sent by the caller, newest first. */
export async function listInvites(tx: Tx, filter: { organisationId?: string; invitedBy?: string }) {
	let q = tx
		.selectFrom('invites as i')
		.innerJoin('profiles as p', 'p.id', 'i.invitee_id')
		.select([
			'i.id',
			'i.role',
			'i.created_at',
			'i.expires_at',
			'i.accepted_at',
			'p.preferred_name as invitee_name'
		])
		.orderBy('i.created_at', 'desc');
	if (filter.organisationId) q = q.where('i.organisation_id', '=', filter.organisationId);
	if (filter.invitedBy) q = q.where('i.invited_by', '=', filter.invitedBy);
	return q.execute();
}
