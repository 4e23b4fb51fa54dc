import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { forbidden, requireUser } from '$lib/server/guards';
import { appDb, asUser, type Tx } from '$lib/server/db';
import {
	breakGlassReview,
	openBreakGlass,
	requestsForManager
} from '$lib/server/db/advocacy-break-glass';
import { noNul, parseForm } from '$lib/server/forms';
import { advocacyRoles } from '$lib/server/advocacy/roles';
import { AdvocacyRefusedError } from '$lib/server/advocacy/errors';
import { PRIVATE_PAGE_HEADERS } from '$lib/server/advocacy/pages';
import type { VerifiedUser } from '$lib/server/auth/session';

async function requireManager(tx: Tx, user: VerifiedUser) {
	if (!(await advocacyRoles(tx, user.id)).manager) {
		forbidden('This page is for the manager of an advocacy service.');
	}
}

export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	setHeaders(PRIVATE_PAGE_HEADERS);
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		await requireManager(tx, user);
		const review = await breakGlassReview(tx);
		const now = Date.now();
		return {
			requests: await requestsForManager(tx),
			review: review.map((b) => ({ ...b, open: b.expires_at.getTime() > now }))
		};
	});
};

const BreakGlass = v.object({
	request: v.pipe(v.optional(v.string(), ''), v.uuid('Please choose a request.')),
	reason: v.pipe(
		v.optional(v.string(), ''),
		noNul('the reason'),
		v.trim(),
		v.minLength(20, 'Please give the safeguarding reason in at least 20 characters.'),
		v.maxLength(1000, 'Please keep the reason to 1000 characters or fewer.')
	),
	hours: v.pipe(
		v.optional(v.string(), ''),
		v.picklist(['1', '4', '24'], 'Please choose how long you need.'),
		v.transform(Number)
	)
});

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const user = requireUser(locals);
		const form = parseForm(BreakGlass, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		try {
			await asUser(appDb(), user.claims, async (tx) => {
				await requireManager(tx, user);
				await openBreakGlass(tx, form.data.request, user.id, form.data.reason, form.data.hours);
			});
		} catch (e) {
			if (e instanceof AdvocacyRefusedError) {
				return fail(403, {
					errors: { request: 'You can open a break-glass only on your service’s requests.' },
					values: form.values
				});
			}
			throw e;
		}
		return { opened: form.data.request };
	}
};
