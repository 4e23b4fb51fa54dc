import type { PageServerLoad } from './$types';
import { appDb, asUser } from '$lib/server/db';
import { readsOfMyDocuments } from '$lib/server/db/documents';
import { requireUser } from '$lib/server/guards';
import { groupLooks } from './group';

/**
 * A young person sees who opened their documents (RLS: only their own), grouped by person and
 * day, other people first. Their own visits only with ?mine=1 (the "show my own" box).
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals);
	const includeMine = url.searchParams.get('mine') === '1';
	const rows = await asUser(appDb(), user.claims, (tx) =>
		readsOfMyDocuments(tx, user.id, { includeMine })
	);
	return { looks: groupLooks(rows), includeMine };
};
