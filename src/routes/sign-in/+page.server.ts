import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions } from './$types';
import { addressKey } from '$lib/server/address';
import {
	clearSignInFailures,
	recordSignInFailure,
	signInWait,
	tryAgainIn
} from '$lib/server/auth/throttle';
import { signInEmailFor } from '$lib/server/auth/username';
import { appDb } from '$lib/server/db';
import { parseForm, requiredText, safeNext } from '$lib/server/forms';

const SignIn = v.object({
	identifier: requiredText('your username or email', 254),
	passphrase: v.pipe(v.optional(v.string(), ''), v.nonEmpty('Please enter your passphrase.'))
});

export const actions: Actions = {
	default: async ({ request, locals, url, getClientAddress }) => {
		const form = parseForm(SignIn, await request.formData(), ['passphrase']);
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const email = signInEmailFor(form.data.identifier);
		const address = addressKey(getClientAddress());
		const refuse = (status: number, message: string) =>
			fail(status, {
				errors: { identifier: message },
				values: { identifier: form.data.identifier }
			});

		// Locked out: refused before the passphrase is even tried, so the right one is refused too.
		const wait = await signInWait(appDb(), email, address);
		if (wait > 0) return refuse(429, tryAgainIn(wait));

		const { error } = await locals.supabase.auth.signInWithPassword({
			email,
			password: form.data.passphrase
		});
		if (error) {
			// The auth service's own rate limit (Supabase Auth answers 429) is worded like ours.
			if (error.status === 429) return refuse(429, tryAgainIn(60));
			const locked = await recordSignInFailure(appDb(), email, address);
			if (locked > 0) return refuse(429, tryAgainIn(locked));
			return refuse(400, 'That username or passphrase is not right. Check them and try again.');
		}
		await clearSignInFailures(appDb(), email);
		redirect(303, safeNext(url.searchParams.get('next')));
	}
};
