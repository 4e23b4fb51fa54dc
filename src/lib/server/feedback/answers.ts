import type { Question } from '../db/survey-questions';
import { m } from '../../paraglide/messages.js';

export type AnswerValue = number[] | string | null;

export type AnswerResult = { ok: true; value: AnswerValue } | { ok: false; error: string };

/** The longest written answer we keep (the database checks the same). */
export const MAX_TEXT = 2000;

/**
 * Reads one question's answer from a posted form (field `answer`). Nothing chosen or written
 * means "skipped", which is always allowed. Anything that is not one of the question's own
 * answers is refused with words a young person can act on.
 */
export function readAnswer(question: Question, form: FormData): AnswerResult {
	const raw = form.getAll('answer').filter((v): v is string => typeof v === 'string');
	if (question.kind === 'text' || question.kind === 'anything_else') {
		const text = (raw[0] ?? '').trim();
		// Postgres cannot store the NUL character; no keyboard types it, only a doctored form.
		if (text.includes('\u0000')) {
			return { ok: false, error: m.feedback_unusual_character() };
		}
		if (text.length > MAX_TEXT) {
			return { ok: false, error: m.feedback_too_long({ max: MAX_TEXT }) };
		}
		return { ok: true, value: text === '' ? null : text };
	}
	const picked = [...new Set(raw.filter((v) => v !== ''))];
	if (picked.length === 0) return { ok: true, value: null };
	const max = question.kind === 'scale' ? 5 : question.options.length;
	const numbers = picked.map(Number);
	if (numbers.some((n) => !Number.isInteger(n) || n < 1 || n > max)) {
		return { ok: false, error: m.feedback_choose_answer() };
	}
	if (question.kind !== 'multiple' && numbers.length > 1) {
		return { ok: false, error: m.feedback_just_one() };
	}
	return { ok: true, value: numbers.sort((a, b) => a - b) };
}
