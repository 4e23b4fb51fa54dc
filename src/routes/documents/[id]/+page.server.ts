import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import type { PageServerLoad } from './$types';
import { appDb, asUser } from '$lib/server/db';
import { documentForMe, recordRead, savedState } from '$lib/server/db/documents';
import { nextReviewText } from '$lib/server/db/document-versions';
import { docFromSaved, renderDocumentHtml } from '$lib/server/documents/render-html';
import { requireUser } from '$lib/server/guards';

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
	const id = v.safeParse(Id, params.id);
	if (!id.success) error(404, { message: 'We could not find that document.' });
	const found = await asUser(appDb(), user.claims, async (tx) => {
		const doc = await documentForMe(tx, id.output);
		if (!doc || doc.access === 'none') return null;
		await recordRead(tx, doc, user.id, 'view');
		return { doc, saved: await savedState(tx, doc.id), nextReview: await nextReviewText(tx, doc) };
	});
	if (!found) error(404, { message: 'We could not find that document.' });
	const ydoc = docFromSaved(found.saved, (e) =>
		console.error(`document ${found.doc.id}: a saved update could not be read`, e)
	);
	const html = renderDocumentHtml(ydoc);
	ydoc.destroy();
	return {
		document: {
			id: found.doc.id,
			title: found.doc.title,
			kind: KIND_LABELS[found.doc.kind],
			youngPersonName: found.doc.young_person_name,
			access: found.doc.access
		},
		html,
		nextReview: found.nextReview
	};
};
