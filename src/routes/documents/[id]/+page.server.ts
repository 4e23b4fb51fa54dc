import type { Actions, PageServerLoad } from './$types';
import { appDb, asUser } from '$lib/server/db';
import { savedDoc } from '$lib/server/db/documents';
import { ownWordsClients } from '$lib/server/db/document-writers';
import { nextReviewText } from '$lib/server/db/document-versions';
import {
	documentSummary,
	idOrNotFound,
	KIND_LABELS,
	notFound,
	openDocument
} from '$lib/server/documents/open';
import { renderDocumentHtml } from '$lib/server/documents/render-html';
import { renderDocumentSections } from '$lib/server/documents/render-sections';
import { requireUser } from '$lib/server/guards';
import { markMentionsSeen } from '$lib/server/db/document-comments';
import { comment, commentViews, resolve } from './comments';
import { decide, suggest, suggestionViews } from './suggestions';
import { addToSection } from './additions';

/**
 * The document as last saved, rendered on the server: readable before the editor loads and
 * without JavaScript. Reading it is audit-logged in the same transaction.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals);
	const id = idOrNotFound(params.id);
	const found = await asUser(appDb(), user.claims, async (tx) => {
		const doc = await openDocument(tx, id, user.id, 'view');
		if (!doc) return null;
		return {
			doc,
			ydoc: await savedDoc(tx, doc.id),
			ownWords: await ownWordsClients(tx, doc.id, doc.young_person_id),
			suggestions: await suggestionViews(tx, doc.id, user.id),
			comments: await commentViews(tx, doc.id, user.id),
			// Opening the document is seeing what they were mentioned in.
			seen: await markMentionsSeen(tx, doc.id, user.id),
			nextReview: await nextReviewText(tx, doc)
		};
	});
	if (!found) notFound();
	const { ydoc } = found;
	const attribution = {
		ownWords: found.ownWords,
		name: found.doc.young_person_name,
		you: found.doc.young_person_id === user.id
	};
	// Editors get the HTML cut at each section, for the "Add to this section" forms; everyone else
	// the whole. Never both: the page shows one, and the data is sent with it to hydrate.
	const sections = found.doc.access === 'edit' ? renderDocumentSections(ydoc, attribution) : null;
	const html = sections ? null : renderDocumentHtml(ydoc, attribution);
	ydoc.destroy();
	return {
		document: {
			...documentSummary(found.doc),
			kind: KIND_LABELS[found.doc.kind],
			isMine: found.doc.young_person_id === user.id
		},
		suggestions: found.suggestions,
		threads: found.comments.threads,
		mentionable: found.comments.mentionable,
		html,
		sections,
		nextReview: found.nextReview
	};
};

export const actions: Actions = {
	/** Start a comment thread, or reply to one. */
	comment: async ({ locals, params, request }) =>
		comment(requireUser(locals), idOrNotFound(params.id), await request.formData()),
	resolve: async ({ locals, params, request }) =>
		resolve(requireUser(locals), idOrNotFound(params.id), await request.formData(), true),
	reopen: async ({ locals, params, request }) =>
		resolve(requireUser(locals), idOrNotFound(params.id), await request.formData(), false),
	/** Suggest a change to the young person's own words. */
	suggest: async ({ locals, params, request }) =>
		suggest(requireUser(locals), idOrNotFound(params.id), await request.formData()),
	/** The young person accepts or declines a suggestion. */
	decide: async ({ locals, params, request }) =>
		decide(requireUser(locals), idOrNotFound(params.id), await request.formData()),
	/** Add to the end of a section, from a form that works without JavaScript. */
	add: async ({ locals, params, request }) =>
		addToSection(requireUser(locals), idOrNotFound(params.id), await request.formData())
};
