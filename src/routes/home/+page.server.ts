import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { requireUser } from '$lib/server/guards';
import { HelpRefusedError, acknowledgeHelpRequest, helpInbox } from '$lib/server/db/help-requests';
import { inboxView } from '$lib/server/help/inbox';
import { PRIVATE_PAGE_HEADERS } from '$lib/server/advocacy/pages';
import { appDb, asUser } from '$lib/server/db';
import { circleOf, circlesIAmIn } from '$lib/server/db/circles';
import { myMentions } from '$lib/server/db/document-comments';
import { myMemberships } from '$lib/server/db/memberships';
import { advocacyHome } from '$lib/server/home/advocacy';
import { documentsHome } from '$lib/server/home/documents';
import { feedbackHome } from '$lib/server/home/feedback';

export const load: PageServerLoad = async ({ locals, url, setHeaders }) => {
	// A young person's "I need to talk" may be at the top: never kept by a browser or a proxy.
	setHeaders(PRIVATE_PAGE_HEADERS);
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		const memberships = await myMemberships(tx, user.id);
		const roles = new Set(memberships.map((membership) => membership.role));
		const now = new Date();
		return {
			// Workers' help-now requests come first; opening them here is recorded (the trail).
			help: (await helpInbox(tx)).map((r) => inboxView(r, now)),
			acknowledged: url.searchParams.has('acknowledged'),
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

const Acknowledge = v.object({
	request: v.pipe(v.string(), v.uuid()),
	reply: v.picklist(['seen', 'call_today'])
});

export const actions: Actions = {
	/** "I have seen this" / "I will call them today" on a help-now request. */
	acknowledge: async ({ request, locals }) => {
		const user = requireUser(locals);
		const formData = await request.formData();
		const parsed = v.safeParse(Acknowledge, {
			request: formData.get('request'),
			reply: formData.get('reply')
		});
		if (!parsed.success) return fail(400, { helpError: m.help_ack_refused() });
		try {
			await asUser(appDb(), user.claims, (tx) =>
				acknowledgeHelpRequest(tx, parsed.output.request, parsed.output.reply)
			);
		} catch (e) {
			if (e instanceof HelpRefusedError) return fail(403, { helpError: m.help_ack_refused() });
			throw e;
		}
		return { helpDone: m.help_ack_done() };
	}
};
