import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { appDb, asUser } from '$lib/server/db';
import { documentForMe, recordRead, savedState } from '$lib/server/db/documents';
import { ownWordsClients } from '$lib/server/db/document-writers';
import { nextReviewText } from '$lib/server/db/document-versions';
import { docFromSaved, renderDocumentHtml } from '$lib/server/documents/render-html';
import { requireUser } from '$lib/server/guards';
import { markMentionsSeen } from '$lib/server/db/document-comments';
import { comment, commentViews, resolve } from './comments';
import { decide, suggest, suggestionViews } from './suggestions';

const Id = v.pipe(v.string(), v.uuid());

const KIND_LABELS = {
	care_plan: 'Care plan',
	pathway_plan: 'Pathway plan',
	my_story: 'My story'
} as const;

/**
 * The document as last saved, rendered on the server: readable before the editor loads and
 * without JavaScript. Reading it is audit-logged in the same transaction.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals);
	const id = documentId(params.id);
	const found = await asUser(appDb(), user.claims, async (tx) => {
		const doc = await documentForMe(tx, id);
		if (!doc || doc.access === 'none') return null;
		await recordRead(tx, doc, user.id, 'view');
		return {
			doc,
			saved: await savedState(tx, doc.id),
			ownWords: await ownWordsClients(tx, doc.id, doc.young_person_id),
			suggestions: await suggestionViews(tx, doc.id, user.id),
			comments: await commentViews(tx, doc.id, user.id),
			// Opening the document is seeing what they were mentioned in.
			seen: await markMentionsSeen(tx, doc.id, user.id),
			nextReview: await nextReviewText(tx, doc)
		};
	});
	if (!found) error(404, { message: 'We could not find that document.' });
	const ydoc = docFromSaved(found.saved, (e) =>
		console.error(`document ${found.doc.id}: a saved update could not be read`, e)
	);
	const html = renderDocumentHtml(ydoc, {
		ownWords: found.ownWords,
		name: found.doc.young_person_name,
		you: found.doc.young_person_id === user.id
	});
	ydoc.destroy();
	return {
		document: {
			id: found.doc.id,
			title: found.doc.title,
			kind: KIND_LABELS[found.doc.kind],
			youngPersonName: found.doc.young_person_name,
			access: found.doc.access,
			isMine: found.doc.young_person_id === user.id
		},
		suggestions: found.suggestions,
		threads: found.comments.threads,
		mentionable: found.comments.mentionable,
		html,
		nextReview: found.nextReview
	};
};

/** The document id from the URL, or a 404. */
function documentId(raw: string): string {
	const id = v.safeParse(Id, raw);
	if (!id.success) error(404, { message: 'We could not find that document.' });
	return id.output;
}

export const actions: Actions = {
	/** Start a comment thread, or reply to one. */
	comment: async ({ locals, params, request }) =>
		comment(requireUser(locals), documentId(params.id), await request.formData()),
	resolve: async ({ locals, params, request }) =>
		resolve(requireUser(locals), documentId(params.id), await request.formData(), true),
	reopen: async ({ locals, params, request }) =>
		resolve(requireUser(locals), documentId(params.id), await request.formData(), false),
	/** Suggest a change to the young person's own words. */
	suggest: async ({ locals, params, request }) =>
		suggest(requireUser(locals), documentId(params.id), await request.formData()),
	/** The young person accepts or declines a suggestion. */
	decide: async ({ locals, params, request }) =>
		decide(requireUser(locals), documentId(params.id), await request.formData())
};
