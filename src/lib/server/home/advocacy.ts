import type { Tx } from '$lib/server/db';
import type { MemberRole } from '$lib/server/db/schema';

/** What the home page shows about advocacy for this person (filled in by the advocacy work). */
export async function advocacyHome(_tx: Tx, _userId: string, _roles: Set<MemberRole>) {
	return null;
}
