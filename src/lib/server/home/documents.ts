import type { Tx } from '$lib/server/db';
import { documentsICanOpen } from '$lib/server/db/documents';

/** The documents this person may open, for the home page (RLS decides which). */
export async function documentsHome(tx: Tx, userId: string) {
	const docs = await documentsICanOpen(tx);
	return docs.map((d) => ({
		id: d.id,
		title: d.title,
		kind: d.kind,
		youngPersonName: d.young_person_name,
		mine: d.young_person_id === userId
	}));
}
