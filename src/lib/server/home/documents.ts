import type { Tx } from '$lib/server/db';
import type { MemberRole } from '$lib/server/db/schema';

/** The documents this person may open, for the home page (filled in by the documents work). */
export async function documentsHome(_tx: Tx, _userId: string, _roles: Set<MemberRole>) {
	return [] as { id: string; title: string }[];
}
