import type { Tx } from '$lib/server/db';
import { documentsICanOpen } from '$lib/server/db/documents';
import type { MemberRole } from '$lib/server/db/schema';

/** The documents this person may open, for the home page (RLS decides which). */
export async function documentsHome(tx: Tx, _userId: string, _roles: Set<MemberRole>) {
	const docs = await documentsICanOpen(tx);
	return docs.map((d) => ({
		id: d.id,
		title: d.title,
		kind: d.kind,
		youngPersonName: d.young_person_name,
		mine: d.young_person_id === _userId
	}));
}
