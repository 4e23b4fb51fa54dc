import type { ActionStatus, AgeBand, QuestionKind } from '../../server/db/schema-feedback';

/**
 * Words for the feedback feature, shared by the server (CSV, charts) and the pages. Plain English
 * for young people: reading age about 9.
 */
export const AGE_BANDS: readonly AgeBand[] = ['age_4_7', 'age_8_11', 'age_11_17', 'care_leavers'];

/** What a designer sees for each version. */
export const BAND_LABELS: Record<AgeBand, string> = {
	age_4_7: '4 to 7 (with an adult)',
	age_8_11: '8 to 11',
	age_11_17: '11 to 17',
	care_leavers: 'Care leavers'
};

/** What a young person chooses from when a survey has more than one version. */
export const BAND_CHOICES: Record<AgeBand, string> = {
	age_4_7: 'I am 4 to 7, and a grown-up is helping me',
	age_8_11: 'I am 8 to 11',
	age_11_17: 'I am 11 to 17',
	care_leavers: 'I have left care'
};

/** The younger versions show a question's simpler wording when it has one. */
export const SIMPLE_BANDS: readonly AgeBand[] = ['age_4_7', 'age_8_11'];

/** The 1–5 scale: a face and a word for each point, so nobody has to read a number. */
export const SCALE: readonly { value: number; face: string; word: string }[] = [
	{ value: 1, face: '😢', word: 'Very sad' },
	{ value: 2, face: '🙁', word: 'Sad' },
	{ value: 3, face: '😐', word: 'OK' },
	{ value: 4, face: '🙂', word: 'Happy' },
	{ value: 5, face: '😄', word: 'Very happy' }
];

export const KIND_LABELS: Record<QuestionKind, string> = {
	scale: 'Faces scale (very sad to very happy)',
	single: 'Choose one',
	multiple: 'Choose any',
	text: 'Write an answer',
	anything_else: '"Anything else?"'
};

export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = {
	planned: 'We are planning it',
	in_progress: 'We are doing it',
	done: 'Done'
};

/** Who a survey is for, in the designer's words. */
export const AUDIENCE_LABELS = {
	young_person: 'Young people (in care and care leavers)',
	family_member: 'Families and carers'
} as const;

/** The words of a question for a version: younger versions get the simpler wording if any. */
export function promptFor(
	question: { prompt: string; simple_prompt: string | null },
	band: AgeBand
): string {
	return SIMPLE_BANDS.includes(band) && question.simple_prompt
		? question.simple_prompt
		: question.prompt;
}

/** The answer options of a question (the scale's words for a scale). */
export function optionLabels(question: { kind: QuestionKind; options: string[] }): string[] {
	if (question.kind === 'scale') return SCALE.map((s) => s.word);
	return question.options;
}
