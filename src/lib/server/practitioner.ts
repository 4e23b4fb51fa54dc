import { m } from '$lib/paraglide/messages.js';
import { forbidden } from '$lib/server/guards';
import type { Tx } from '$lib/server/db';
import { myMemberships } from '$lib/server/db/memberships';

/**
 * The local authority a practitioner (or admin) invites people into. Someone without such a
 * role gets a 403 page.
 */
export async function practitionerOrganisation(tx: Tx, userId: string) {
	const memberships = await myMemberships(tx, userId);
	const membership = memberships.find(
		(x) =>
			x.kind === 'local_authority' &&
			(x.role === 'social_worker' || x.role === 'personal_adviser' || x.role === 'admin')
	);
	if (!membership) forbidden(m.invite_practitioners_only());
	return membership;
}
