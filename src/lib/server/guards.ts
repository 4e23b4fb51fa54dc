import { error, redirect } from '@sveltejs/kit';
import type { VerifiedUser } from '$lib/server/auth/session';

/** The verified user, or a redirect to sign in (hooks already do this; this narrows the type). */
export function requireUser(locals: App.Locals): VerifiedUser {
	if (!locals.user) redirect(303, '/sign-in');
	return locals.user;
}

/** A 403 with words a person can act on. */
export function forbidden(message = 'You do not have access to this page.'): never {
	error(403, { message });
}
