import { Ownership } from '../../collab/own-words';
import type { Tx } from './index';

/**
 * Who wrote what: Yjs client ids bound to people by the collab server (public.document_writers),
 * and runs of words someone else's editor moved, which keep their writer
 * (public.document_provenance). The young person's own words are the text from clients bound to
 * them (not the template), except moved runs recorded as someone else's, plus moved runs
 * recorded as theirs.
 */
export async function ownWordsClients(
	tx: Tx,
	documentId: string,
	youngPersonId: string
): Promise<Ownership> {
	const rows = await tx
		.selectFrom('document_writers')
		.select('client_id')
		.where('document_id', '=', documentId)
		.where('writer_id', '=', youngPersonId)
		.where('from_template', '=', false)
		.execute();
	const runs = await tx
		.selectFrom('document_provenance')
		.select(['client_id', 'clock', 'length', 'writer_id'])
		.where('document_id', '=', documentId)
		.orderBy('client_id')
		.orderBy('clock')
		.execute();
	return new Ownership(
		rows.map((r) => Number(r.client_id)),
		runs.map((r) => ({
			client: Number(r.client_id),
			clock: Number(r.clock),
			len: r.length,
			own: r.writer_id === youngPersonId
		}))
	);
}
