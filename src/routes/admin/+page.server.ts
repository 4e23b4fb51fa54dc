import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { forbidden, requireUser } from '$lib/server/guards';
import { appDb, asUser } from '$lib/server/db';
import { listInvites } from '$lib/server/db/invites';
import { myMemberships, organisationPeople } from '$lib/server/db/memberships';

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		const adminOf = (await myMemberships(tx, user.id)).filter(
			(membership) => membership.role === 'admin'
		);
		if (adminOf.length === 0) forbidden(m.admin_only());
		return {
			organisations: await Promise.all(
				adminOf.map(async (membership) => ({
					id: membership.organisation_id,
					name: membership.organisation_name,
					people: await organisationPeople(tx, membership.organisation_id),
					invites: await listInvites(tx, { organisationId: membership.organisation_id })
				}))
			)
		};
	});
};
