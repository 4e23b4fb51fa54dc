import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { clearLeft } from '$lib/server/exit';
import { safeNext } from '$lib/server/forms';

/** The "page hidden" page's button: show pages again, and go back to the one that was hidden. */
export const POST: RequestHandler = async ({ cookies, request }) => {
	// A body that is not a form (only a forged post sends one) just goes home.
	const next = (await request.formData().catch(() => null))?.get('next') ?? null;
	clearLeft(cookies);
	redirect(303, safeNext(typeof next === 'string' ? next : null, '/'));
};
