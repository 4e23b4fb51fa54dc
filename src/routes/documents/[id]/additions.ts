import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { VerifiedUser } from '$lib/server/auth/session';
import { appDb, asUser } from '$lib/server/db';
import { documentForMe } from '$lib/server/db/documents';
import { askCollab, CollabRequestError, type CollabAnswer } from '$lib/server/documents/ask-collab';
import {
	additionLines,
	MAX_ADDITION_CHARS,
	type AdditionProblem
} from '$lib/collab/section-additions';
import { m } from '$lib/paraglide/messages.js';

/**
 * "Add to this section": the form under each section that works without JavaScript. The app
 * checks the words and the person's access, then hands them to the collab service with a ticket
 * for this person (never a writer the form names), which applies them as their own edit, as if
 * typed in their editor (see src/lib/server/collab/additions.ts). Whatever goes wrong, the words
 * come back in the form.
 */

const PROBLEMS: Record<AdditionProblem, () => string> = {
	empty: () => m.nojs_add_empty(),
	'too long': () => m.nojs_add_too_long({ max: MAX_ADDITION_CHARS }),
	characters: () => m.nojs_add_characters()
};

const AddForm = v.object({
	section: v.pipe(v.optional(v.string(), ''), v.maxLength(200)),
	text: v.optional(v.string(), '')
});

/** What the page shows after an addition: the section it was for, and its error or success. */
export interface AddResult {
	addSection: string;
	addError?: string;
	addText?: string;
	added?: string;
}

function refused(status: number, section: string, text: string, message: string) {
	return fail(status, { addSection: section, addError: message, addText: text });
}

/** Form action body: add the person's words to the end of one section. */
export async function addToSection(user: VerifiedUser, documentId: string, formData: FormData) {
	const parsed = v.safeParse(AddForm, {
		section: formData.get('section') ?? '',
		text: formData.get('text') ?? ''
	});
	if (!parsed.success) return refused(400, '', '', m.doc_try_again());
	const { section, text } = parsed.output;
	const lines = additionLines(text);
	if ('problem' in lines) return refused(400, section, text, PROBLEMS[lines.problem]());
	const doc = await asUser(appDb(), user.claims, (tx) => documentForMe(tx, documentId));
	if (!doc || doc.access === 'none') return refused(404, section, text, m.doc_not_found());
	if (doc.access !== 'edit') return refused(403, section, text, m.nojs_add_not_allowed());
	let answer: CollabAnswer;
	try {
		answer = await askCollab(user, documentId, 'edit', 'additions', { section, text });
	} catch (error) {
		if (!(error instanceof CollabRequestError)) throw error;
		// Logged for the operator; the person keeps their words and can try again.
		console.error(error);
		return refused(503, section, text, m.nojs_add_unavailable());
	}
	if (answer.status === 201) return { addSection: section, added: m.nojs_add_saved() };
	const reason = answer.body.refused;
	if (answer.status === 422 && typeof reason === 'string' && Object.hasOwn(PROBLEMS, reason)) {
		return refused(400, section, text, PROBLEMS[reason as AdditionProblem]());
	}
	if (answer.status === 422) return refused(400, section, text, m.nojs_add_no_section());
	if (answer.status === 403) return refused(403, section, text, m.nojs_add_not_allowed());
	return refused(503, section, text, m.nojs_add_unavailable());
}
