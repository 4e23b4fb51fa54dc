import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { appDb, asUser } from '$lib/server/db';
import { documentForMe } from '$lib/server/db/documents';
import { saveVersion } from '$lib/server/db/document-versions';
import { checkbox, parseForm, requiredText } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { idOrNotFound, loadVersionList, notFound } from './record';

const SaveVersion = v.object({
	name: requiredText('a name for this version', 120),
	isReview: checkbox
});

/** Every version of the document, newest first, with its sign-offs and the next review date. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals);
	return loadVersionList(user, idOrNotFound(params.id));
};

export const actions: Actions = {
	/** Saves the document as it is stored now under a name; editors only (RLS checks too). */
	save: async ({ locals, params, request }) => {
		const user = requireUser(locals);
		const documentId = idOrNotFound(params.id);
		const form = parseForm(SaveVersion, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const outcome = await asUser(appDb(), user.claims, async (tx) => {
			const doc = await documentForMe(tx, documentId);
			if (!doc || doc.access === 'none') return 'not found' as const;
			if (doc.access !== 'edit') return 'not an editor' as const;
			await saveVersion(tx, {
				documentId: doc.id,
				name: form.data.name,
				isReview: form.data.isReview,
				createdBy: user.id
			});
			return 'saved' as const;
		});
		if (outcome === 'not found') notFound();
		if (outcome === 'not an editor') {
			return fail(403, {
				errors: { name: 'Only people who can write in this document can save a version.' },
				values: form.values
			});
		}
		return { saved: form.data.name };
	}
};
