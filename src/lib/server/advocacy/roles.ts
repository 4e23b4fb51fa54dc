import type { Tx } from '$lib/server/db';
import { myMemberships } from '$lib/server/db/memberships';

/** What the caller is in advocacy terms. A manager is an admin of an advocacy service. */
export async function advocacyRoles(tx: Tx, userId: string) {
	const memberships = await myMemberships(tx, userId);
	return {
		youngPerson: memberships.some((m) => m.role === 'young_person'),
		advocate: memberships.some((m) => m.role === 'advocate' && m.kind === 'advocacy_service'),
		manager: memberships.some((m) => m.role === 'admin' && m.kind === 'advocacy_service')
	};
}
