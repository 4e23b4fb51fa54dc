import type { Tx } from './index';
import type { ShareAccess } from './schema-documents';

/**
 * Who a story is shared with, and at what level. RLS shows a story's shares only to the young
 * person who owns it (and each person their own), so for anyone else this is empty.
 */
export async function sharesOf(tx: Tx, documentId: string) {
	return tx
		.selectFrom('document_shares as s')
		.innerJoin('profiles as p', 'p.id', 's.person_id')
		.select(['s.id', 's.person_id', 's.access', 's.created_at', 'p.preferred_name'])
		.where('s.document_id', '=', documentId)
		.orderBy('p.preferred_name')
		.execute();
}

/**
 * Shares a story with one person, or changes the level if it is already shared with them.
 * RLS allows only the young person who owns the story, and only with someone in their circle:
 * a refused insert raises (42501), so callers check those first to give a clear message.
 */
export async function shareStory(
	tx: Tx,
	share: { documentId: string; personId: string; access: ShareAccess; sharedBy: string }
): Promise<void> {
	await tx
		.insertInto('document_shares')
		.values({
			document_id: share.documentId,
			person_id: share.personId,
			access: share.access,
			shared_by: share.sharedBy
		})
		.onConflict((oc) =>
			oc.columns(['document_id', 'person_id']).doUpdateSet({ access: share.access })
		)
		.execute();
}

/**
 * Stops sharing a story with one person. Returns false when nothing was removed (not shared, or
 * RLS: not the caller's story). The database then tells the collab server, which closes that
 * person's open editor.
 */
export async function stopSharing(tx: Tx, documentId: string, personId: string): Promise<boolean> {
	const result = await tx
		.deleteFrom('document_shares')
		.where('document_id', '=', documentId)
		.where('person_id', '=', personId)
		.executeTakeFirst();
	return result.numDeletedRows > 0n;
}
