import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { requireUser } from '$lib/server/guards';
import { appDb, asAnon, asUser } from '$lib/server/db';
import {
	HelpRateLimitedError,
	HelpRefusedError,
	dutyNumbers,
	myHelpRequests,
	peopleICanTell,
	sendHelpRequest
} from '$lib/server/db/help-requests';
import { myMemberships } from '$lib/server/db/memberships';
import { noNul } from '$lib/server/forms';
import { PRIVATE_PAGE_HEADERS } from '$lib/server/advocacy/pages';

/** 500 letters at most (the database holds the same limit). */
const MESSAGE_MAX = 500;

const Message = v.pipe(
	v.optional(v.string(), ''),
	noNul(() => m.help_message_label()),
	v.trim(),
	v.maxLength(MESSAGE_MAX, () => m.help_error_too_long())
);

export const load: PageServerLoad = async ({ locals, setHeaders, url }) => {
	// What a young person sent is on this page: never kept by a browser or a proxy.
	setHeaders(PRIVATE_PAGE_HEADERS);
	if (!locals.user) {
		// The numbers are public: every local authority that has set an out-of-hours number.
		const numbers = await asAnon(appDb(), (tx) => dutyNumbers(tx));
		return { signedIn: false, youngPerson: false, numbers, people: [], mine: [], sent: false };
	}
	const user = locals.user;
	return asUser(appDb(), user.claims, async (tx) => {
		const memberships = await myMemberships(tx, user.id);
		const youngPerson = memberships.some((membership) => membership.role === 'young_person');
		const all = await dutyNumbers(tx);
		// A young person sees their own council's number first (all of them if it has none).
		const mineOrgs = new Set(memberships.map((membership) => membership.organisation_id));
		const own = all.filter((n) => mineOrgs.has(n.organisation_id));
		const people = youngPerson ? await peopleICanTell(tx) : [];
		return {
			signedIn: true,
			youngPerson,
			numbers: own.length > 0 ? own : all,
			people: people.map((p) => ({ id: p.id, name: p.preferred_name, role: p.role })),
			mine: youngPerson
				? (await myHelpRequests(tx)).map((r) => ({
						id: r.id,
						message: r.message,
						createdAt: r.created_at,
						recipientNames: r.recipient_names,
						reply: r.reply,
						acknowledgedBy: r.acknowledged_by_name
					}))
				: [],
			sent: url.searchParams.has('sent')
		};
	});
};

export const actions: Actions = {
	tell: async ({ request, locals }) => {
		const user = requireUser(locals);
		const formData = await request.formData();
		const message = v.safeParse(Message, formData.get('message') ?? '');
		const chosen = formData.getAll('to').filter((x): x is string => typeof x === 'string');
		const values = {
			message: typeof formData.get('message') === 'string' ? String(formData.get('message')) : '',
			to: chosen
		};
		if (!message.success) {
			return fail(400, { errors: { message: message.issues[0].message }, values });
		}
		const outcome = await asUser(appDb(), user.claims, async (tx) => {
			const people = await peopleICanTell(tx);
			const known = new Set(people.map((p) => p.id));
			if (people.length > 0 && chosen.length === 0) return { error: 'choose' } as const;
			if (chosen.some((id) => !known.has(id))) return { error: 'unknown' } as const;
			try {
				await sendHelpRequest(tx, message.output || null, chosen);
				return { error: null };
			} catch (e) {
				if (e instanceof HelpRateLimitedError) return { error: 'too many' } as const;
				if (e instanceof HelpRefusedError) return { error: 'refused' } as const;
				throw e;
			}
		});
		if (outcome.error) {
			const words = {
				choose: () => ({ to: m.help_error_choose() }),
				unknown: () => ({ to: m.help_error_not_listed() }),
				'too many': () => ({ form: m.help_error_too_many() }),
				refused: () => ({ form: m.help_error_refused() })
			}[outcome.error]();
			return fail(outcome.error === 'refused' ? 403 : outcome.error === 'too many' ? 429 : 400, {
				errors: words,
				values
			});
		}
		redirect(303, '/help?sent#yours');
	}
};
