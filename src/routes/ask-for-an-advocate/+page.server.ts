import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { appDb, asAnon, asUser } from '$lib/server/db';
import {
	advocacyServices,
	myEarlierRequest,
	replyByReference,
	submitAdvocacyRequest,
	threadByReference,
	type ReferenceThread
} from '$lib/server/db/advocacy-requests';
import { youngPersonMessage } from '$lib/server/db/advocacy-messages';
import { myMemberships } from '$lib/server/db/memberships';
import { parseForm } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';
import {
	honeypotMessage,
	LIMITS,
	RequestForm,
	requestChoices
} from '$lib/server/advocacy/request-form';
import { limitFailure, PRIVATE_PAGE_HEADERS } from '$lib/server/advocacy/pages';
import { addressKey } from '$lib/server/address';
import { advocacyError } from '$lib/server/advocacy/errors';
import { isWellFormedReference, referenceAsTyped } from '$lib/advocacy-reference';

/** The form field where someone not signed in may give the reference of an earlier request. */
const EARLIER_REFERENCE = 'earlierReference';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Is the request a reference opened one a new request would repeat? The same rule as the
 * database's (private.advocacy_request_repeats, migration 20261205200300): made in the last day
 * and not closed. The database decides the link itself; this only decides whether to ask.
 */
function repeatable(thread: ReferenceThread): boolean {
	return thread.status !== 'closed' && Date.now() - Date.parse(thread.created_at) < DAY_MS;
}

/** Who is asking: nobody signed in, a signed-in young person, or someone else signed in. */
async function asker(locals: App.Locals): Promise<'anonymous' | 'young_person' | 'other'> {
	const user = locals.user;
	if (!user) return 'anonymous';
	const memberships = await asUser(appDb(), user.claims, (tx) => myMemberships(tx, user.id));
	return memberships.some((membership) => membership.role === 'young_person')
		? 'young_person'
		: 'other';
}

/** Enough of the earlier request for the person to recognise it. */
function firstWords(text: string, count = 12): string {
	const words = text.trim().split(/\s+/);
	return words.length > count ? `${words.slice(0, count).join(' ')}…` : text.trim();
}

export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	setHeaders(PRIVATE_PAGE_HEADERS);
	const who = await asker(locals);
	const services = await asAnon(appDb(), (tx) => advocacyServices(tx));
	return {
		who,
		services,
		limits: LIMITS,
		choices: requestChoices()
	};
};

export const actions: Actions = {
	default: async ({ request, locals, getClientAddress }) => {
		const body = await request.formData();
		const form = parseForm(RequestForm, body);
		// Not signed in: the reference of an earlier request, if they gave one (optional).
		const earlierReference = locals.user ? '' : referenceAsTyped(body.get(EARLIER_REFERENCE));
		const referenceErrors: Record<string, string> =
			earlierReference === '' || isWellFormedReference(earlierReference)
				? {}
				: { [EARLIER_REFERENCE]: m.advocacy_ref_bad_shape() };
		if (!form.ok) {
			return fail(400, { errors: { ...form.errors, ...referenceErrors }, values: form.values });
		}
		if (EARLIER_REFERENCE in referenceErrors) {
			return fail(400, { errors: referenceErrors, values: form.values });
		}
		if (form.data.website !== '') {
			return fail(400, { errors: { form: honeypotMessage() }, values: form.values });
		}
		const who = await asker(locals);
		if (who === 'other') {
			return fail(403, {
				errors: { form: m.ask_for_young_people_only() },
				values: form.values
			});
		}
		const d = form.data;
		const input = {
			serviceId: d.service,
			callMe: d.callMe,
			contactHow: d.contactHow,
			contactWhen: d.contactWhen,
			localAuthority: d.localAuthority,
			careStatus: d.careStatus,
			about: d.about,
			urgency: d.urgency,
			communicationNeeds: d.communicationNeeds,
			socialWorkerMayKnow: d.socialWorkerMayKnow
		};
		const client = addressKey(getClientAddress(), 'advocacy');
		// Asking again the same day (signed in only): first offer to add it to the earlier request.
		const repeat = body.get('repeat');
		if (locals.user && repeat !== 'new') {
			const user = locals.user;
			const earlier = await asUser(appDb(), user.claims, (tx) => myEarlierRequest(tx));
			if (earlier && repeat === 'add') {
				try {
					await asUser(appDb(), user.claims, (tx) =>
						youngPersonMessage(tx, earlier.id, d.about, client)
					);
				} catch (e) {
					return limitFailure(e, form.values);
				}
				redirect(303, `/advocacy/${earlier.id}?added`);
			}
			if (earlier) {
				return fail(409, {
					earlier: {
						about: firstWords(earlier.about),
						createdAt: earlier.created_at,
						serviceName: earlier.service_name
					},
					values: form.values
				});
			}
		}
		// Not signed in, with an earlier request's reference: only the person holding it is asked
		// about that request, in the answer to this post (nothing is kept in the browser). It is
		// looked up through the metered door only, like the reply page's lookups.
		if (!locals.user && earlierReference !== '' && repeat !== 'new') {
			let thread: ReferenceThread | null;
			try {
				thread = await asAnon(appDb(), (tx) => threadByReference(tx, earlierReference, client));
			} catch (e) {
				return limitFailure(advocacyError(e), form.values, EARLIER_REFERENCE);
			}
			if (!thread) {
				return fail(404, {
					errors: { [EARLIER_REFERENCE]: m.ask_reply_not_found() },
					values: form.values
				});
			}
			if (repeatable(thread)) {
				if (repeat === 'add') {
					let added: boolean;
					try {
						added = await asAnon(appDb(), (tx) =>
							replyByReference(tx, earlierReference, d.about, client)
						);
					} catch (e) {
						return limitFailure(e, form.values);
					}
					if (!added) {
						return fail(404, {
							errors: { [EARLIER_REFERENCE]: m.ask_reply_not_found() },
							values: form.values
						});
					}
					return { added: { reference: earlierReference } };
				}
				return fail(409, {
					earlier: {
						about: firstWords(thread.about),
						createdAt: thread.created_at,
						serviceName: thread.service_name
					},
					values: form.values
				});
			}
			// Older than a day, or closed: sent as a new request, and nothing more said about it.
		}
		let sent: { requestId: string; reference: string | null };
		try {
			sent = locals.user
				? await asUser(appDb(), locals.user.claims, (tx) =>
						submitAdvocacyRequest(tx, input, client)
					)
				: await asAnon(appDb(), (tx) =>
						submitAdvocacyRequest(tx, input, client, earlierReference || null)
					);
		} catch (e) {
			return limitFailure(e, form.values);
		}
		if (!sent.reference) redirect(303, `/advocacy/${sent.requestId}?sent`);
		return { sent: { reference: sent.reference, callMe: d.callMe } };
	}
};
