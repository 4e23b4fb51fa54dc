import type { Tx } from '$lib/server/db';
import type { MemberRole } from '$lib/server/db/schema';

/** What the home page shows about feedback for this person (filled in by the feedback work). */
export async function feedbackHome(_tx: Tx, _userId: string, _roles: Set<MemberRole>) {
	return null;
}
