import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { forbidden, requireUser } from '$lib/server/guards';
import { appDb, asUser } from '$lib/server/db';
import { advocacyQueue } from '$lib/server/db/advocacy-requests';
import { advocacyRoles } from '$lib/server/advocacy/roles';
import { queueOrder, requestClocks } from '$lib/server/advocacy/queue';
import { PRIVATE_PAGE_HEADERS } from '$lib/server/advocacy/pages';
import { groupRepeats } from '$lib/server/advocacy/repeats';

export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	setHeaders(PRIVATE_PAGE_HEADERS);
	const user = requireUser(locals);
	const rows = await asUser(appDb(), user.claims, async (tx) => {
		if (!(await advocacyRoles(tx, user.id)).advocate) {
			forbidden(m.advocacy_queue_forbidden());
		}
		return advocacyQueue(tx, user.id);
	});
	const now = new Date();
	const ordered = queueOrder(rows.map((r) => ({ ...r, clocks: requestClocks(r, now) })));
	return {
		open: groupRepeats(
			ordered
				.filter((r) => r.status !== 'closed')
				.map((r) => ({
					id: r.id,
					call_me: r.call_me,
					about: r.about.slice(0, 140),
					urgency: r.urgency,
					status: r.status,
					anonymous: r.young_person_id === null,
					allocated_name: r.allocated_name,
					service_name: r.service_name,
					clocks: r.clocks,
					repeat_of: r.repeat_of
				}))
		),
		closedCount: ordered.length - ordered.filter((r) => r.status !== 'closed').length
	};
};
