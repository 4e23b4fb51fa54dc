import type { ActionStatus, AgeBand, QuestionKind } from '../../server/db/schema-feedback';
import { m } from '../../paraglide/messages.js';
import { getLocale, type Locale } from '../../paraglide/runtime.js';

/**
 * Words for the feedback feature, shared by the server (CSV, charts) and the pages. Plain English
 * for young people: reading age about 9.
 */
export const AGE_BANDS: readonly AgeBand[] = ['age_4_7', 'age_8_11', 'age_11_17', 'care_leavers'];

/**
 * The tables of words below are objects of getters: each word is read when it is shown, in the
 * language of that page or request (never copy them: a copy keeps one language).
 */

/** What a designer sees for each version. */
export const BAND_LABELS: Readonly<Record<AgeBand, string>> = {
	get age_4_7() {
		return m.band_4_7();
	},
	get age_8_11() {
		return m.band_8_11();
	},
	get age_11_17() {
		return m.band_11_17();
	},
	get care_leavers() {
		return m.band_care_leavers();
	}
};

/** What a young person chooses from when a survey has more than one version. */
export const BAND_CHOICES: Readonly<Record<AgeBand, string>> = {
	get age_4_7() {
		return m.band_choice_4_7();
	},
	get age_8_11() {
		return m.band_choice_8_11();
	},
	get age_11_17() {
		return m.band_choice_11_17();
	},
	get care_leavers() {
		return m.band_choice_care_leavers();
	}
};

/** The younger versions show a question's simpler wording when it has one. */
export const SIMPLE_BANDS: readonly AgeBand[] = ['age_4_7', 'age_8_11'];

/**
 * The 1–5 scale: a face (drawn by Face.svelte from the value) and a word for each point, so
 * nobody has to read a number. The word is in the reader's language (a getter, read when shown);
 * answers are stored as the number, so they count together whatever language they were given in.
 */
const scalePoint = (value: number, word: () => string) => ({
	value,
	get word() {
		return word();
	}
});
export const SCALE: readonly {
	readonly value: number;
	readonly word: string;
}[] = [
	scalePoint(1, m.scale_very_sad),
	scalePoint(2, m.scale_sad),
	scalePoint(3, m.scale_ok),
	scalePoint(4, m.scale_happy),
	scalePoint(5, m.scale_very_happy)
];

export const KIND_LABELS: Readonly<Record<QuestionKind, string>> = {
	get scale() {
		return m.kind_scale();
	},
	get single() {
		return m.kind_single();
	},
	get multiple() {
		return m.kind_multiple();
	},
	get text() {
		return m.kind_text();
	},
	get anything_else() {
		return m.kind_anything_else();
	}
};

/** How far along an action is, in the reader's language (getters, read when shown). */
export const ACTION_STATUS_LABELS: Readonly<Record<ActionStatus, string>> = {
	get planned() {
		return m.action_status_planned();
	},
	get in_progress() {
		return m.action_status_in_progress();
	},
	get done() {
		return m.action_status_done();
	}
};

/** Who a survey is for, in the designer's words. */
export const AUDIENCE_LABELS: Readonly<Record<'young_person' | 'family_member', string>> = {
	get young_person() {
		return m.audience_young_people();
	},
	get family_member() {
		return m.audience_families();
	}
};

/** A question's words in each language it was written in (English always; Welsh if written). */
export interface QuestionWords {
	kind: QuestionKind;
	prompt: string;
	simple_prompt: string | null;
	options: string[];
	prompt_cy?: string | null;
	simple_prompt_cy?: string | null;
	options_cy?: string[];
}

/**
 * A question as one reader sees it: in their language if the designer wrote it in that language,
 * otherwise in English (`lang` says which, so a page can mark English inside a Welsh page), with
 * the simpler wording for the younger versions. Only the words change: the question keeps its id
 * and option k stays option k, so answers in either language count together.
 */
export interface Wording {
	prompt: string;
	/** The answers to choose from (empty for a scale: it has faces and words of its own). */
	options: string[];
	lang: Locale;
}

export function wordingFor(
	question: QuestionWords,
	band: AgeBand | null,
	locale: Locale = getLocale()
): Wording {
	const simple = band !== null && SIMPLE_BANDS.includes(band);
	if (locale === 'cy' && question.prompt_cy) {
		const options = question.options_cy ?? [];
		return {
			prompt: (simple && question.simple_prompt_cy) || question.prompt_cy,
			options: options.length === question.options.length ? options : question.options,
			lang: 'cy'
		};
	}
	return {
		prompt: (simple && question.simple_prompt) || question.prompt,
		options: question.options,
		lang: 'en'
	};
}

/** The words of a question for a version, in the reader's language (see `wordingFor`). */
export function promptFor(question: QuestionWords, band: AgeBand, locale?: Locale): string {
	return wordingFor(question, band, locale).prompt;
}

/**
 * The answer options of a question in the reader's language (the scale's words for a scale),
 * in the order of their numbers: label k - 1 is option k.
 */
export function optionLabels(question: QuestionWords, locale?: Locale): string[] {
	if (question.kind === 'scale') return SCALE.map((s) => s.word);
	return wordingFor(question, null, locale).options;
}
