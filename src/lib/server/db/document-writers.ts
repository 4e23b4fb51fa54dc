import type { Tx } from './index';

/**
 * Who wrote what: Yjs client ids bound to people by the collab server (public.document_writers).
 * The young person's own words are the text from clients bound to them, except the template.
 */
export async function ownWordsClients(
	tx: Tx,
	documentId: string,
	youngPersonId: string
): Promise<Set<number>> {
	const rows = await tx
		.selectFrom('document_writers')
		.select('client_id')
		.where('document_id', '=', documentId)
		.where('writer_id', '=', youngPersonId)
		.where('from_template', '=', false)
		.execute();
	return new Set(rows.map((r) => Number(r.client_id)));
}
