import type { LayoutServerLoad } from './$types';
import { loadMe } from '$lib/server/me';

export const load: LayoutServerLoad = async ({ locals }) => {
	return {
		me: locals.user ? await loadMe(locals.user) : null,
		// Only read-aloud matters to the page's script; the rest is applied as <html> classes.
		reading: await locals.reading()
	};
};
