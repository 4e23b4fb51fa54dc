import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
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
		const roles = new Set(memberships.map((membership) => membership.role));
		return {
			welcome: url.searchParams.has('welcome'),
			memberships: memberships.map((membership) => ({
				organisationName: membership.organisation_name,
				role: membership.role
			})),
			myCircle: roles.has('young_person') ? await circleOf(tx, user.id) : [],
			circlesIAmIn: await circlesIAmIn(tx, user.id),
			documents: await documentsHome(tx, user.id),
			mentions: (await myMentions(tx, user.id, 5)).map((mention) => ({
				id: mention.comment_id,
				documentId: mention.document_id,
				thread: mention.thread_id ?? mention.comment_id,
				title: mention.title,
				authorName: mention.author_name ?? m.home_someone(),
				isNew: mention.seen_at === null
			})),
			advocacy: await advocacyHome(tx, user.id, roles),
			feedback: await feedbackHome(tx, user.id, roles)
		};
	});
};
