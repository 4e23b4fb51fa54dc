import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import * as Y from 'yjs';
import type { VerifiedUser } from '$lib/server/auth/session';
import { formatDateTime, signerWords, signoffWords } from './format';
import { HTML_LANG } from '$lib/i18n';
import { m } from '$lib/paraglide/messages.js';
import { appDb, asUser } from '$lib/server/db';
import { documentSummary, notFound, openDocument } from '$lib/server/documents/open';
import { getVersion, listVersions, nextReviewText } from '$lib/server/db/document-versions';
import { ownWordsClients } from '$lib/server/db/document-writers';
import { signoffsFor } from '$lib/server/db/document-signoffs';
import type { ReadPurpose } from '$lib/server/db/schema-documents';
import { docFromSaved, escapeHtml, renderDocumentHtml } from '$lib/server/documents/render-html';
import { currentLocale } from '$lib/server/i18n';

/**
 * Shared by the versions pages, the print view and the export: finding a document and its
 * versions for the signed-in person (404 for anything they may not see, so nobody learns that a
 * child's document exists), with the audit row for the read written in the same transaction.
 */
export const Uuid = v.pipe(v.string(), v.uuid());

export {
	documentSummary,
	idOrNotFound,
	KIND_LABELS,
	notFound,
	openDocument
} from '$lib/server/documents/open';

export function versionNotFound(): never {
	error(404, { message: m.record_version_not_found() });
}

/** A sign-off as pages show it. */
export interface SignoffView {
	signerName: string;
	isYoungPerson: boolean;
	agrees: boolean;
	reason: string | null;
	signedAt: string;
	mine: boolean;
}

function signoffView(
	s: Awaited<ReturnType<typeof signoffsFor>>[number],
	youngPersonId: string,
	me: string
): SignoffView {
	return {
		signerName: s.signer_name,
		isYoungPerson: s.signer_id === youngPersonId,
		agrees: s.agrees,
		reason: s.reason,
		signedAt: s.signed_at.toISOString(),
		mine: s.signer_id === me
	};
}

/** The versions page: every version with its sign-offs, and the next review date. */
export async function loadVersionList(user: VerifiedUser, documentId: string) {
	const found = await asUser(appDb(), user.claims, async (tx) => {
		const doc = await openDocument(tx, documentId, user.id, 'view');
		if (!doc) return null;
		const versions = await listVersions(tx, doc.id);
		const signoffs = await signoffsFor(
			tx,
			versions.map((x) => x.id)
		);
		return { doc, versions, signoffs, nextReview: await nextReviewText(tx, doc) };
	});
	if (!found) notFound();
	const { doc, versions, signoffs } = found;
	return {
		document: documentSummary(doc),
		nextReview: found.nextReview,
		versions: versions
			.map((x) => {
				const mine = signoffs.filter((s) => s.version_id === x.id);
				return {
					id: x.id,
					name: x.name,
					isReview: x.is_review,
					createdAt: x.created_at.toISOString(),
					createdBy: x.created_by_name,
					signoffs: mine.map((s) => signoffView(s, doc.young_person_id, user.id)),
					maySign: x.may_sign && !mine.some((s) => s.signer_id === user.id)
				};
			})
			.reverse()
	};
}

/** One version with its content (as escaped HTML and as Yjs) and its sign-offs. */
export async function loadVersion(
	user: VerifiedUser,
	documentId: string,
	versionId: string,
	purpose: ReadPurpose
) {
	const found = await asUser(appDb(), user.claims, async (tx) => {
		const doc = await openDocument(tx, documentId, user.id, purpose);
		if (!doc) return null;
		const version = await getVersion(tx, doc.id, versionId);
		return {
			doc,
			version,
			signoffs: version ? await signoffsFor(tx, [version.id]) : [],
			ownWords: await ownWordsClients(tx, doc.id, doc.young_person_id)
		};
	});
	if (!found) notFound();
	const { doc, version, signoffs } = found;
	if (!version) versionNotFound();
	const ydoc = versionDoc(version.state, version.id);
	const html = renderDocumentHtml(ydoc, { ownWords: found.ownWords, name: doc.young_person_name });
	ydoc.destroy();
	return {
		document: documentSummary(doc),
		version: {
			id: version.id,
			name: version.name,
			isReview: version.is_review,
			createdAt: version.created_at.toISOString(),
			createdBy: version.created_by_name,
			maySign: version.may_sign && !signoffs.some((s) => s.signer_id === user.id)
		},
		signoffs: signoffs.map((s) => signoffView(s, doc.young_person_id, user.id)),
		html
	};
}

/**
 * A version's stored state as a Y.Doc (a state that cannot be read is reported, not hidden).
 * Versions hold Yjs's V1 encoding (Y.encodeStateAsUpdate), unlike snapshots (V2), so the state
 * goes in as an update, not as a snapshot.
 */
export function versionDoc(state: Uint8Array, versionId: string): Y.Doc {
	return docFromSaved({ snapshot: null, updates: [state] }, (e) =>
		console.error(`version ${versionId}: its saved state could not be read`, e)
	);
}

export { formatDateTime, signoffWords };

/**
 * The export: a self-contained HTML page (no scripts, no outside files) with the same content
 * as the print view, for the statutory record. It is in the language of the request that asked
 * for it, and says so in `<html lang>`; the document's own words stay as they were written.
 */
export function exportHtml(record: Awaited<ReturnType<typeof loadVersion>>): string {
	const { document: doc, version, signoffs, html } = record;
	const signoffItems = signoffs.length
		? `<ul>${signoffs
				.map(
					(s) =>
						`<li><strong>${escapeHtml(signerWords(s))}</strong>, ` +
						`${escapeHtml(formatDateTime(s.signedAt))}: ${escapeHtml(signoffWords(s))}</li>`
				)
				.join('')}</ul>`
		: `<p>${escapeHtml(m.record_no_signoffs())}</p>`;
	const when = formatDateTime(version.createdAt);
	return `<!doctype html>
<html lang="${HTML_LANG[currentLocale()]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)} – ${escapeHtml(version.name)}</title>
<style>
body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 45rem; margin: 2rem auto; padding: 0 1rem; color: #111; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: bold; }
section { border-top: 1px solid #555; margin-top: 1.5rem; }
.own-words { background: #fff4c4; border-bottom: 2px solid #7a5c00; }
.own-words .visually-hidden { font-weight: bold; font-size: 0.85em; }
</style>
</head>
<body>
<h1>${escapeHtml(doc.title)}</h1>
<dl>
<dt>${escapeHtml(m.record_field_kind())}</dt><dd>${escapeHtml(doc.kind)}</dd>
<dt>${escapeHtml(m.record_field_for())}</dt><dd>${escapeHtml(doc.youngPersonName)}</dd>
<dt>${escapeHtml(m.record_field_version())}</dt><dd>${escapeHtml(version.isReview ? m.record_version_is_review({ name: version.name }) : version.name)}</dd>
<dt>${escapeHtml(m.record_field_saved())}</dt><dd>${escapeHtml(version.createdBy ? m.record_saved_by({ when, by: version.createdBy }) : when)}</dd>
</dl>
<section aria-labelledby="content-heading">
<h2 id="content-heading">${escapeHtml(m.record_what_document_says())}</h2>
<p>${escapeHtml(m.record_own_words_explained({ name: doc.youngPersonName }))}</p>
${html || `<p>${escapeHtml(m.record_nothing_written())}</p>`}
</section>
<section aria-labelledby="signoffs-heading">
<h2 id="signoffs-heading">${escapeHtml(m.record_signoff_heading())}</h2>
${signoffItems}
</section>
</body>
</html>
`;
}
