import type { PageServerLoad } from './$types';
import { appDb, asUser } from '$lib/server/db';
import { readsOfMyDocuments } from '$lib/server/db/documents';
import { requireUser } from '$lib/server/guards';

/** A young person sees every time someone opened one of their documents (RLS: only their own). */
export const load: PageServerLoad = async ({ locals }) => {
	const user = requireUser(locals);
	const reads = await asUser(appDb(), user.claims, (tx) => readsOfMyDocuments(tx, user.id, 100));
	return { reads };
};
