import { error } from '@sveltejs/kit';
import type { Tx } from '$lib/server/db';
import { documentForMe, recordRead } from '$lib/server/db/documents';
import type { DocumentKind, ReadPurpose } from '$lib/server/db/schema-documents';
import { isUuid } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

/**
 * Opening a child's document, the same way on every page: a valid id or a 404 (never a 500), the
 * document only if the caller may read it (404 otherwise, so nobody learns that it exists), and
 * the audit row for the read written in the same transaction.
 */
export const KIND_LABELS: Readonly<Record<DocumentKind, string>> = {
	// Getters: each label is read in the language of the request reading it (never copy the object).
	get care_plan() {
		return m.record_kind_care_plan();
	},
	get pathway_plan() {
		return m.record_kind_pathway_plan();
	},
	get my_story() {
		return m.record_kind_my_story();
	}
};

export function notFound(): never {
	error(404, { message: m.record_document_not_found() });
}

/** A valid id from the URL, or a 404 (never a 500) for a malformed one. */
export function idOrNotFound(raw: string | null, missing: () => never = notFound): string {
	if (!isUuid(raw)) missing();
	return raw;
}

/** The document, if the caller may read it; the read is audit-logged with `purpose`. */
export async function openDocument(tx: Tx, id: string, readerId: string, purpose: ReadPurpose) {
	const doc = await documentForMe(tx, id);
	if (!doc || doc.access === 'none') return null;
	await recordRead(tx, doc, readerId, purpose);
	return doc;
}

/** What pages show about a document (whitelisted fields only). */
export function documentSummary(doc: NonNullable<Awaited<ReturnType<typeof documentForMe>>>) {
	return {
		id: doc.id,
		title: doc.title,
		kind: KIND_LABELS[doc.kind],
		isStory: doc.kind === 'my_story',
		youngPersonId: doc.young_person_id,
		youngPersonName: doc.young_person_name,
		access: doc.access
	};
}
