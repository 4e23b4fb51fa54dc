import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/guards';
import { appDb, asUser } from '$lib/server/db';
import { myAdvocacyRequests } from '$lib/server/db/advocacy-requests';
import { advocacyRoles } from '$lib/server/advocacy/roles';
import { PRIVATE_PAGE_HEADERS } from '$lib/server/advocacy/pages';

export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	setHeaders(PRIVATE_PAGE_HEADERS);
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		const roles = await advocacyRoles(tx, user.id);
		const requests = roles.youngPerson ? await myAdvocacyRequests(tx, user.id) : [];
		return {
			roles,
			requests: requests.map((r) => ({
				id: r.id,
				about: r.about,
				status: r.status,
				service_name: r.service_name,
				created_at: r.created_at
			}))
		};
	});
};
