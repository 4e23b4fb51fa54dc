import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { locales } from '$lib/i18n';
import { m } from '$lib/paraglide/messages.js';
import { appDb, asUser } from '$lib/server/db';
import { setLanguage } from '$lib/server/db/profiles';
import { parseForm, safeNext } from '$lib/server/forms';
import { rememberLanguage } from '$lib/server/i18n';

const Choice = v.object({
	locale: v.picklist(locales, () => m.language_choose_error()),
	next: v.optional(v.string(), '')
});

/** Where to go back to after choosing (only a path inside the app). */
export const load: PageServerLoad = ({ url }) => ({
	next: safeNext(url.searchParams.get('next'), '')
});

export const actions: Actions = {
	/**
	 * Keeps the choice in a cookie (so pages before sign-in, and this phone, use it) and, for
	 * someone signed in, on their profile (a recorded language preference that sign-in brings to
	 * any other phone or laptop), then goes back to the page the person was on.
	 */
	default: async ({ request, cookies, locals }) => {
		const form = parseForm(Choice, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: {} });
		const user = locals.user;
		if (user) {
			await asUser(appDb(), user.claims, (tx) => setLanguage(tx, user.id, form.data.locale));
		}
		rememberLanguage(cookies, form.data.locale);
		redirect(303, safeNext(form.data.next, user ? '/home' : '/'));
	}
};
