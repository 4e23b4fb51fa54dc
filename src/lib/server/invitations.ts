import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { m } from '$lib/paraglide/messages.js';
import { createAdminClient } from '$lib/server/auth/supabase';
import { makeUsername, signInEmailFor, signInNameFor } from '$lib/server/auth/username';
import { asUser, type VerifiedClaims } from '$lib/server/db';
import { addToCircle } from '$lib/server/db/circles';
import { createInvite } from '$lib/server/db/invites';
import { addMembership } from '$lib/server/db/memberships';
import type { Database } from '$lib/server/db/schema';

/**
 * The auth service refused to create the invited person's account (e.g. email already used). Its
 * message is for the person making the invite, in their language.
 */
export class InviteAccountError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'InviteAccountError';
	}
}

/** Invite links work once, within a day: long enough for a visit, short if a phone is lost. */
export const INVITE_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface InviteRequest {
	organisationId: string;
	preferredName: string;
	email: string | null;
	role: 'young_person' | 'family_member';
	/** For a family member: whose circle they join, and how they are related. */
	youngPersonId: string | null;
	relationship: string;
}

export interface IssuedInvite {
	inviteeId: string;
	/** Path of the one-time link; the page adds the origin. */
	path: string;
	/** What the invited person will type to sign in (their username or email). */
	signInName: string;
}

/**
 * Creates the invited person's account (no passphrase yet) through the auth service, then, as the
 * inviting practitioner under RLS, records the invite, the membership and the circle entry. If the
 * database refuses, the half-made account is deleted so nothing is left dangling.
 */
export async function issueInvite(
	db: Kysely<Database>,
	inviter: VerifiedClaims,
	req: InviteRequest
): Promise<IssuedInvite> {
	const email =
		req.email ?? signInEmailFor(makeUsername(req.preferredName, () => randomInt(10_000)));
	const admin = createAdminClient();
	const { data, error } = await admin.auth.admin.generateLink({
		type: 'invite',
		email,
		options: { data: { preferred_name: req.preferredName } }
	});
	if (error || !data.user) {
		throw new InviteAccountError(
			error?.message.includes('already') ? m.invite_email_taken() : m.invite_could_not_make()
		);
	}
	const inviteeId = data.user.id;
	try {
		await asUser(db, inviter, async (tx) => {
			await createInvite(tx, {
				organisationId: req.organisationId,
				inviteeId,
				invitedBy: inviter.sub,
				role: req.role,
				youngPersonId: req.youngPersonId,
				relationship: req.role === 'family_member' ? req.relationship : null,
				expiresAt: new Date(Date.now() + INVITE_LIFETIME_MS),
				linkToken: data.properties.hashed_token
			});
			await addMembership(tx, req.organisationId, inviteeId, req.role);
			await addToCircle(
				tx,
				req.role === 'young_person'
					? {
							youngPersonId: inviteeId,
							memberId: inviter.sub,
							relationship: req.relationship,
							access: 'edit',
							addedBy: inviter.sub
						}
					: {
							youngPersonId: req.youngPersonId ?? '',
							memberId: inviteeId,
							relationship: req.relationship,
							access: 'comment',
							addedBy: inviter.sub
						}
			);
		});
	} catch (cause) {
		const { error: cleanupError } = await admin.auth.admin.deleteUser(inviteeId);
		if (cleanupError) {
			throw new AggregateError([cause, cleanupError], 'Invite failed and cleanup failed');
		}
		throw cause;
	}
	return {
		inviteeId,
		path: `/invite/${encodeURIComponent(data.properties.hashed_token)}`,
		signInName: signInNameFor(email)
	};
}
