import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { addressKey } from '$lib/server/address';
import { createDetachedClient } from '$lib/server/auth/supabase';
import { recordSignInFailure, signInWait, tryAgainIn } from '$lib/server/auth/throttle';
import { appDb, asAnon, asUser } from '$lib/server/db';
import { acceptMyInvites, inviteLinkState } from '$lib/server/db/invites';
import { FIRST_READING_CHOICE, firstReadingChoice } from '$lib/server/reading';
import { parseForm, passphrase } from '$lib/server/forms';

const Accept = v.pipe(
	v.object({ passphrase, confirm: v.optional(v.string(), '') }),
	v.forward(
		v.check(
			(f) => f.passphrase === f.confirm,
			() => m.invite_passphrases_differ()
		),
		['confirm']
	)
);

/**
 * Opening the link changes nothing: the one-time token is only used when the form is sent, so a
 * link preview or a mail scanner cannot use it up. It only asks whether the link is still open,
 * so a used or lapsed one says so at once instead of showing a form that cannot work.
 */
export const load: PageServerLoad = async ({ params }) => {
	const state = await asAnon(appDb(), (tx) => inviteLinkState(tx, params.token));
	return { closed: state === 'used' || state === 'lapsed' ? state : null };
};

export const actions: Actions = {
	default: async ({ request, params, locals, getClientAddress }) => {
		const form = parseForm(Accept, await request.formData(), ['passphrase', 'confirm']);
		if (!form.ok) return fail(400, { errors: form.errors, values: {} });
		// Invite links are long and random, but guesses still count against the address, as
		// wrong passphrases do (there is no account to name until a link works).
		const address = addressKey(getClientAddress(), 'sign-in');
		const wait = await signInWait(appDb(), null, address);
		if (wait > 0) return fail(429, { errors: { passphrase: tryAgainIn(wait) }, values: {} });

		// The link is used, and the passphrase set, apart from this request's cookies: a bad or
		// used link, or a passphrase the auth service refuses, must not sign out whoever is signed
		// in on this phone (a stray post could otherwise end their session).
		const invited = createDetachedClient().auth;
		const { data, error } = await invited.verifyOtp({ token_hash: params.token, type: 'invite' });
		if (error || !data.session) {
			const locked = await recordSignInFailure(appDb(), null, address);
			if (locked > 0) return fail(429, { errors: { passphrase: tryAgainIn(locked) }, values: {} });
			return fail(400, {
				errors: { passphrase: m.invite_link_used() },
				values: {}
			});
		}
		const { error: updateError } = await invited.updateUser({ password: form.data.passphrase });
		if (updateError) {
			// The link is used up now: say so, rather than leave them with a form that cannot work.
			// The auth service gives its reason in English, whatever the page's language: it is
			// still the only thing that says what was wrong (listed in docs/welsh-review.md).
			return fail(400, {
				errors: { passphrase: m.invite_passphrase_refused({ reason: updateError.message }) },
				values: {}
			});
		}
		// It all worked: someone else may be signed in on this phone, and the invite is for a new
		// person, whose session takes its place.
		await locals.supabase.auth.signOut({ scope: 'local' });
		const { error: sessionError } = await locals.supabase.auth.setSession(data.session);
		if (sessionError) {
			// Their account is ready; only signing them in here failed.
			return fail(400, {
				errors: { passphrase: m.invite_account_ready() },
				values: {}
			});
		}
		const { data: claimsData, error: claimsError } = await locals.supabase.auth.getClaims();
		if (claimsError || !claimsData) throw claimsError ?? new Error('No session after invite');
		const claims = claimsData.claims;
		const firstTime = await asUser(
			appDb(),
			{ ...claims, sub: claims.sub, role: claims.role ?? '' },
			async (tx) => {
				await acceptMyInvites(tx, claims.sub);
				return firstReadingChoice(tx, claims.sub);
			}
		);
		// A young person's first sign-in starts with how they like to read (issue 16, item 1).
		redirect(303, firstTime ? FIRST_READING_CHOICE : '/home?welcome=1');
	}
};
