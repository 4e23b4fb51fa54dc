import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/home');

export const actions: Actions = {
	default: async ({ locals }) => {
		// Revokes the refresh token at the auth service and clears the session cookies.
		const { error } = await locals.supabase.auth.signOut();
		if (error) console.error('sign-out failed at the auth service', error.message);
		redirect(303, '/sign-in?signed-out=1');
	}
};
