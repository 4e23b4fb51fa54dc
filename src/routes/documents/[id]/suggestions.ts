import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { decodeAnchor, decodeAnchorBytes } from '$lib/collab/anchors';
import type { VerifiedUser } from '$lib/server/auth/session';
import { appDb, asUser } from '$lib/server/db';
import { documentForMe, savedDoc } from '$lib/server/db/documents';
import {
	decideSuggestion,
	pendingSuggestion,
	suggestionsFor,
	suggestionsInLastHour
} from '$lib/server/db/document-suggestions';
import type { Tx } from '$lib/server/db';
import { documentText, quoteAt } from '$lib/server/documents/anchors';
import { askCollab, CollabRequestError, type CollabAnswer } from '$lib/server/documents/ask-collab';
import { noNul, parseForm } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

/**
 * Suggestions on the document page: someone suggests a change to the young person's own words
 * (their own edit was turned into one, or they chose words and asked to suggest), and the young
 * person accepts or declines it. The server reads the quoted words itself from the saved
 * document; the browser only says where they are.
 */

/** Enough for a real review; a flood (each one reads the whole document) is refused. */
const SUGGESTIONS_PER_HOUR = 60;

/** What the collab service's refusals mean, for the person suggesting. */
const REFUSALS = {
	'words not found': () => m.doc_suggestion_words_not_found(),
	'too long': () => m.doc_quote_too_long({ max: 4000 }),
	unchanged: () => m.doc_suggestion_unchanged()
} as const;

const tooMany = () => m.doc_suggestion_too_many({ count: SUGGESTIONS_PER_HOUR });

const Anchor = v.pipe(
	v.optional(v.string(), ''),
	v.check(
		(s) => decodeAnchor(s) !== null,
		() => m.doc_suggestion_anchor_invalid()
	)
);

const SuggestForm = v.object({
	anchorStart: Anchor,
	anchorEnd: Anchor,
	// Not trimmed: an addition keeps the spaces that join it to the words around it.
	suggested: v.pipe(
		v.optional(v.string(), ''),
		noNul(() => m.doc_suggestion_name()),
		v.maxLength(4000, () => m.form_too_long({ label: m.doc_suggestion_name(), max: 4000 }))
	)
});

const DecideForm = v.object({
	suggestion: v.pipe(
		v.optional(v.string(), ''),
		v.uuid(() => m.doc_suggestion_not_found())
	),
	decision: v.picklist(['accept', 'decline'], () => m.doc_suggestion_choose_decision())
});

/** A suggestion as the page shows it (and as the editor needs it to make the change). */
export interface SuggestionView {
	id: string;
	authorName: string;
	mine: boolean;
	original: string;
	suggested: string;
	status: 'pending' | 'accepted' | 'declined';
	createdAt: string;
	anchorStart: string;
	anchorEnd: string;
}

export async function suggestionViews(tx: Tx, documentId: string, me: string) {
	const rows = await suggestionsFor(tx, documentId);
	return rows.map((s): SuggestionView => ({
		id: s.id,
		authorName: s.author_name ?? m.doc_someone(),
		mine: s.author_id === me,
		original: s.original_text,
		suggested: s.suggested_text,
		status: s.status,
		createdAt: s.created_at.toISOString(),
		// Stored as the encoded positions the form sent: base64 again for the page.
		anchorStart: Buffer.from(s.anchor_start).toString('base64'),
		anchorEnd: Buffer.from(s.anchor_end).toString('base64')
	}));
}

/** Form action body: suggest a change to the words between two anchors. */
export async function suggest(user: VerifiedUser, documentId: string, formData: FormData) {
	const form = parseSuggest(formData);
	if (!form.ok) return fail(400, { suggestErrors: form.errors, values: form.values });
	const { anchorStart, anchorEnd, suggested } = form.data;
	const outcome = await asUser(appDb(), user.claims, async (tx) => {
		const doc = await documentForMe(tx, documentId);
		if (!doc || doc.access === 'none') return { error: m.doc_not_found() };
		if (doc.young_person_id === user.id) {
			return { error: m.doc_suggestion_own_words() };
		}
		if (doc.access === 'view') {
			return { error: m.doc_suggestion_view_only() };
		}
		if ((await suggestionsInLastHour(tx, user.id)) >= SUGGESTIONS_PER_HOUR) {
			return { error: tooMany() };
		}
		return { name: doc.young_person_name, access: doc.access };
	});
	if ('error' in outcome) {
		return fail(400, { suggestErrors: { suggested: outcome.error }, values: form.values });
	}
	// The collab service reads the words at the anchors from the stored document and records the
	// suggestion (the app's role cannot write a suggestion's quoted words).
	let answer: CollabAnswer;
	try {
		answer = await askCollab(user, documentId, outcome.access, 'suggestions', {
			anchorStart,
			anchorEnd,
			suggested
		});
	} catch (error) {
		if (!(error instanceof CollabRequestError)) throw error;
		// Logged for the operator; the person keeps their words and can try again.
		console.error(error);
		return fail(503, {
			suggestErrors: { suggested: m.doc_suggestion_unavailable() },
			values: form.values
		});
	}
	if (answer.status !== 201) {
		const refused = answer.body.refused;
		const message =
			answer.status === 422 && typeof refused === 'string' && Object.hasOwn(REFUSALS, refused)
				? REFUSALS[refused as keyof typeof REFUSALS]()
				: answer.status === 429
					? tooMany()
					: answer.status === 403
						? m.doc_suggestion_no_longer()
						: null;
		if (!message) throw new CollabRequestError(`suggesting: collab answered ${answer.status}`);
		return fail(400, { suggestErrors: { suggested: message }, values: form.values });
	}
	return { suggested: m.doc_suggest_sent({ name: outcome.name }) };
}

function parseSuggest(formData: FormData) {
	const form = parseForm(SuggestForm, formData);
	if (form.ok) return form;
	// A bad anchor is not something a person can fix in a field: say it by the text box.
	const message = form.errors.suggested ?? form.errors.anchorStart ?? form.errors.anchorEnd;
	return { ...form, errors: { suggested: message ?? m.doc_try_again() } };
}

/**
 * Form action body: the young person accepts or declines a suggestion. Accepting is recorded
 * only once the suggested words are really in the saved document (their editor makes the change
 * first, as them), so "accepted" never claims a change that did not happen.
 */
export async function decide(user: VerifiedUser, documentId: string, formData: FormData) {
	const raw = {
		suggestion: String(formData.get('suggestion') ?? ''),
		decision: String(formData.get('decision') ?? '')
	};
	const parsed = v.safeParse(DecideForm, raw);
	if (!parsed.success) {
		return fail(400, {
			decideError: parsed.issues[0]?.message ?? m.doc_try_again(),
			decided: raw.suggestion
		});
	}
	const { suggestion, decision } = parsed.output;
	const outcome = await asUser(appDb(), user.claims, async (tx) => {
		const doc = await documentForMe(tx, documentId);
		if (!doc || doc.young_person_id !== user.id) {
			return m.doc_suggestion_only_young_person();
		}
		const pending = await pendingSuggestion(tx, documentId, suggestion);
		if (!pending) return m.doc_suggestion_already_decided();
		if (decision === 'accept') {
			// The words at the suggestion's place now, read from the saved document. The start
			// usually survives the change; when it does not (nothing in common with the old
			// words), the new words must at least be in the document and the old ones gone.
			const ydoc = await savedDoc(tx, documentId);
			const start = decodeAnchorBytes(pending.anchor_start);
			const end = decodeAnchorBytes(pending.anchor_end);
			const there = start && end ? quoteAt(ydoc, start, end) : null;
			const text = documentText(ydoc);
			ydoc.destroy();
			const done =
				there === pending.suggested_text ||
				(there !== pending.original_text &&
					text.includes(pending.suggested_text) &&
					!text.includes(pending.original_text));
			if (!done) {
				return m.doc_suggestion_accept_needs_live();
			}
		}
		const status = decision === 'accept' ? 'accepted' : 'declined';
		return (await decideSuggestion(tx, documentId, suggestion, status, user.id))
			? null
			: m.doc_suggestion_already_decided();
	});
	if (outcome) return fail(400, { decideError: outcome, decided: suggestion });
	return { decided: suggestion, decision };
}
