import type { PageServerLoad } from './$types';
import { forbidden, requireUser } from '$lib/server/guards';
import { appDb, asUser } from '$lib/server/db';
import { listInvites } from '$lib/server/db/invites';
import { myMemberships, organisationPeople } from '$lib/server/db/memberships';

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		const adminOf = (await myMemberships(tx, user.id)).filter((m) => m.role === 'admin');
		if (adminOf.length === 0) forbidden('This page is for organisation admins.');
		return {
			organisations: await Promise.all(
				adminOf.map(async (m) => ({
					id: m.organisation_id,
					name: m.organisation_name,
					people: await organisationPeople(tx, m.organisation_id),
					invites: await listInvites(tx, { organisationId: m.organisation_id })
				}))
			)
		};
	});
};
