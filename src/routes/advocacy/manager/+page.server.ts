import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
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
		forbidden(m.advocacy_manager_forbidden());
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
	request: v.pipe(
		v.optional(v.string(), ''),
		v.uuid(() => m.advocacy_manager_choose_request())
	),
	reason: v.pipe(
		v.optional(v.string(), ''),
		noNul(() => m.advocacy_manager_reason_name()),
		v.trim(),
		v.minLength(20, () => m.advocacy_manager_reason_short()),
		v.maxLength(1000, () => m.advocacy_manager_reason_long())
	),
	hours: v.pipe(
		v.optional(v.string(), ''),
		v.picklist(['1', '4', '24'], () => m.advocacy_manager_choose_hours()),
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
					errors: { request: m.advocacy_manager_not_your_service() },
					values: form.values
				});
			}
			throw e;
		}
		return { opened: form.data.request };
	}
};
