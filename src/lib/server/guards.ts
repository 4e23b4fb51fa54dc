import { error, redirect } from '@sveltejs/kit';
import type { VerifiedUser } from '$lib/server/auth/session';
import { m } from '$lib/paraglide/messages.js';

/** The verified user, or a redirect to sign in (hooks already do this; this narrows the type). */
export function requireUser(locals: App.Locals): VerifiedUser {
	if (!locals.user) redirect(303, '/sign-in');
	return locals.user;
}

/** A 403 with words a person can act on. */
export function forbidden(message: string = m.refusal_no_access()): never {
	error(403, { message });
}
