import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/guards';
import { appDb, asUser } from '$lib/server/db';
import { circleOf, circlesIAmIn } from '$lib/server/db/circles';
import { myMentions } from '$lib/server/db/document-comments';
import { myMemberships } from '$lib/server/db/memberships';
import { advocacyHome } from '$lib/server/home/advocacy';
import { documentsHome } from '$lib/server/home/documents';
import { feedbackHome } from '$lib/server/home/feedback';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		const memberships = await myMemberships(tx, user.id);
		const roles = new Set(memberships.map((m) => m.role));
		return {
			welcome: url.searchParams.has('welcome'),
			memberships: memberships.map((m) => ({
				organisationName: m.organisation_name,
				role: m.role
			})),
			myCircle: roles.has('young_person') ? await circleOf(tx, user.id) : [],
			circlesIAmIn: await circlesIAmIn(tx, user.id),
			documents: await documentsHome(tx, user.id),
			mentions: (await myMentions(tx, user.id, 5)).map((m) => ({
				id: m.comment_id,
				documentId: m.document_id,
				thread: m.thread_id ?? m.comment_id,
				title: m.title,
				authorName: m.author_name ?? 'Someone',
				isNew: m.seen_at === null
			})),
			advocacy: await advocacyHome(tx, user.id, roles),
			feedback: await feedbackHome(tx, user.id, roles)
		};
	});
};
