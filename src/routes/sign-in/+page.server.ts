import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions } from './$types';
import { signInEmailFor } from '$lib/server/auth/username';
import { parseForm, requiredText, safeNext } from '$lib/server/forms';

const SignIn = v.object({
	identifier: requiredText('your username or email', 254),
	passphrase: v.pipe(v.optional(v.string(), ''), v.nonEmpty('Please enter your passphrase.'))
});

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		const form = parseForm(SignIn, await request.formData(), ['passphrase']);
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const { error } = await locals.supabase.auth.signInWithPassword({
			email: signInEmailFor(form.data.identifier),
			password: form.data.passphrase
		});
		if (error) {
			const tooMany = error.status === 429;
			return fail(tooMany ? 429 : 400, {
				errors: {
					identifier: tooMany
						? 'Too many tries. Please wait a few minutes and try again.'
						: 'That username or passphrase is not right. Check them and try again.'
				},
				values: { identifier: form.data.identifier }
			});
		}
		redirect(303, safeNext(url.searchParams.get('next')));
	}
};
