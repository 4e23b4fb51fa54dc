import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/guards';
import { startStory } from '$lib/server/documents/start';

/** Where "Start my story" posts (from the home page); shown on its own only to explain errors. */
export const load: PageServerLoad = async ({ locals }) => {
	requireUser(locals);
	return {};
};

export const actions: Actions = {
	story: async ({ locals }) => startStory(requireUser(locals))
};
