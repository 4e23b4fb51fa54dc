import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { clearLeft, sameSitePath } from '$lib/server/exit';

/** The "page hidden" page's button: show pages again, and go back to the one that was hidden. */
export const POST: RequestHandler = async ({ cookies, request }) => {
	const next = sameSitePath((await request.formData()).get('next'));
	clearLeft(cookies);
	redirect(303, next);
};
