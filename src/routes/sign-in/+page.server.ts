import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions } from './$types';
import { LANGUAGE_COOKIE, isLocale, type Locale } from '$lib/i18n';
import { m } from '$lib/paraglide/messages.js';
import { addressKey } from '$lib/server/address';
import {
	clearSignInFailures,
	recordSignInFailure,
	signInWait,
	tryAgainIn
} from '$lib/server/auth/throttle';
import { signInEmailFor } from '$lib/server/auth/username';
import { appDb, asUser } from '$lib/server/db';
import { getLanguage, setLanguage } from '$lib/server/db/profiles';
import { parseForm, requiredText, safeNext } from '$lib/server/forms';
import { rememberLanguage } from '$lib/server/i18n';

const SignIn = v.object({
	identifier: requiredText(() => m.sign_in_identifier_name(), 254),
	passphrase: v.pipe(
		v.optional(v.string(), ''),
		v.nonEmpty(() => m.sign_in_passphrase_missing())
	)
});

export const actions: Actions = {
	default: async ({ request, locals, url, cookies, getClientAddress }) => {
		const form = parseForm(SignIn, await request.formData(), ['passphrase']);
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const email = signInEmailFor(form.data.identifier);
		const address = addressKey(getClientAddress(), 'sign-in');
		const refuse = (status: number, message: string) =>
			fail(status, {
				errors: { identifier: message },
				values: { identifier: form.data.identifier }
			});

		// Locked out: refused before the passphrase is even tried, so the right one is refused too.
		const wait = await signInWait(appDb(), email, address);
		if (wait > 0) return refuse(429, tryAgainIn(wait));

		const { data, error } = await locals.supabase.auth.signInWithPassword({
			email,
			password: form.data.passphrase
		});
		if (error) {
			// The auth service's own rate limit (Supabase Auth answers 429) is worded like ours.
			if (error.status === 429) return refuse(429, tryAgainIn(60));
			const locked = await recordSignInFailure(appDb(), email, address);
			if (locked > 0) return refuse(429, tryAgainIn(locked));
			return refuse(400, m.sign_in_not_right());
		}
		await clearSignInFailures(appDb(), email);
		const locale = await languageAfterSignIn(locals, data.user.id, cookies.get(LANGUAGE_COOKIE));
		if (locale) rememberLanguage(cookies, locale);
		redirect(303, safeNext(url.searchParams.get('next')));
	}
};

/**
 * The person's recorded language wins (they may have chosen it on another phone); someone who
 * has not recorded one yet keeps the language they chose on this phone before signing in, and
 * it is recorded for them. Either way the cookie then says it, for the pages after this one (null: nothing chosen
 * anywhere, the browser's language goes on deciding).
 */
async function languageAfterSignIn(
	locals: App.Locals,
	userId: string,
	chosenHere: string | undefined
): Promise<Locale | null> {
	const { data, error } = await locals.supabase.auth.getClaims();
	if (error || !data) throw error ?? new Error('No session right after signing in');
	const claims = { ...data.claims, sub: userId, role: data.claims.role ?? '' };
	return asUser(appDb(), claims, async (tx) => {
		const recorded = await getLanguage(tx, userId);
		if (recorded) return recorded;
		if (chosenHere && isLocale(chosenHere)) {
			await setLanguage(tx, userId, chosenHere);
			return chosenHere;
		}
		return null;
	});
}
