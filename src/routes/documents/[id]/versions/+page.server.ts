import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { appDb, asUser } from '$lib/server/db';
import { documentForMe } from '$lib/server/db/documents';
import { askCollab, CollabRequestError } from '$lib/server/documents/ask-collab';
import { checkbox, parseForm, requiredText } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { m } from '$lib/paraglide/messages.js';
import { idOrNotFound, loadVersionList, notFound } from './record';

const SaveVersion = v.object({
	name: requiredText(() => m.record_version_name_field(), 120),
	isReview: checkbox
});

/** Every version of the document, newest first, with its sign-offs and the next review date. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals);
	return loadVersionList(user, idOrNotFound(params.id));
};

export const actions: Actions = {
	/**
	 * Saves the document as it is stored now under a name; editors only. The collab service
	 * builds the version from the stored log and writes it (the app's role cannot write a
	 * version's content), and the database checks again that this person may edit.
	 */
	save: async ({ locals, params, request }) => {
		const user = requireUser(locals);
		const documentId = idOrNotFound(params.id);
		const form = parseForm(SaveVersion, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const access = await asUser(appDb(), user.claims, async (tx) => {
			const doc = await documentForMe(tx, documentId);
			return doc?.access ?? 'none';
		});
		if (access === 'none') notFound();
		let outcome: 'saved' | 'not an editor' = 'not an editor';
		if (access === 'edit') {
			try {
				const answer = await askCollab(user, documentId, access, 'versions', {
					name: form.data.name,
					isReview: form.data.isReview
				});
				if (answer.status === 201) outcome = 'saved';
				else if (answer.status !== 403) {
					throw new CollabRequestError(`saving a version: collab answered ${answer.status}`);
				}
			} catch (error) {
				if (!(error instanceof CollabRequestError)) throw error;
				// Logged for the operator; the person keeps their form and can try again.
				console.error(error);
				return fail(503, {
					errors: { name: m.record_save_failed() },
					values: form.values
				});
			}
		}
		if (outcome === 'not an editor') {
			return fail(403, {
				errors: { name: m.record_save_not_editor() },
				values: form.values
			});
		}
		return { saved: form.data.name };
	}
};
