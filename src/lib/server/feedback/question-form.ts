import type { QuestionKind } from '../db/schema-feedback';
import { m } from '../../paraglide/messages.js';

/** The longest answer to choose from (the form says so; the database allows any length). */
export const MAX_OPTION = 120;

/** One answer on each line; blank lines do not count. */
export function optionLines(text: string): string[] {
	return text
		.split(/\r?\n/)
		.map((o) => o.trim())
		.filter((o) => o !== '');
}

export interface QuestionWordsInput {
	kind: QuestionKind;
	options: string;
	promptCy: string | null;
	simplePromptCy: string | null;
	optionsCy: string;
}

export type QuestionWordsResult =
	| { ok: true; options: string[]; optionsCy: string[] }
	| { ok: false; errors: Record<string, string> };

/**
 * Checks a question's answers in English and, when the designer wrote them, in Welsh. Welsh
 * answer k is English answer k (answers are stored by number, so a Welsh "Ydw" and an English
 * "Yes" count as one answer): the Welsh list is empty or exactly as long as the English one.
 * Welsh answers or simpler words need the Welsh question too. A question that is not "choose
 * one" or "choose any" keeps no answers in either language.
 */
export function readQuestionWords(input: QuestionWordsInput): QuestionWordsResult {
	const choice = input.kind === 'single' || input.kind === 'multiple';
	const options = choice ? optionLines(input.options) : [];
	const optionsCy = choice ? optionLines(input.optionsCy) : [];
	const errors: Record<string, string> = {};
	if (choice && (options.length < 2 || options.length > 12)) {
		errors.options = m.survey_options_count();
	} else if (options.some((o) => o.length > MAX_OPTION)) {
		errors.options = m.survey_options_too_long();
	}
	if (options.concat(optionsCy).some((o) => o.includes('\u0000'))) {
		// Postgres text cannot hold NUL: refused here, not by the database as a 500.
		errors[options.some((o) => o.includes('\u0000')) ? 'options' : 'optionsCy'] =
			m.form_unusual_character({ label: m.survey_options_label() });
	} else if (
		(optionsCy.length > 0 || (choice && input.promptCy)) &&
		optionsCy.length !== options.length
	) {
		errors.optionsCy = m.survey_welsh_options_count();
	} else if (optionsCy.some((o) => o.length > MAX_OPTION)) {
		errors.optionsCy = m.survey_options_too_long();
	}
	if (!input.promptCy && (optionsCy.length > 0 || input.simplePromptCy)) {
		errors.promptCy = m.survey_welsh_needs_prompt();
	}
	return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, options, optionsCy };
}
