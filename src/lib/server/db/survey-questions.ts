import { sql } from 'kysely';
import type { Tx } from './survey-tx';
import type { AgeBand, QuestionKind } from './schema-feedback';

export interface Question {
	id: string;
	survey_id: string;
	position: number;
	kind: QuestionKind;
	key: string;
	prompt: string;
	simple_prompt: string | null;
	options: string[];
	only_band: AgeBand | null;
	/** The Welsh wording, if the designer wrote it (null / empty: readers see the English). */
	prompt_cy: string | null;
	simple_prompt_cy: string | null;
	/** In the same order as `options`: option k is one answer in both languages. */
	options_cy: string[];
}

/** A survey's questions in order (RLS: its designers, and its audience once published). */
export async function surveyQuestions(tx: Tx, surveyId: string): Promise<Question[]> {
	return tx
		.selectFrom('survey_questions')
		.select([
			'id',
			'survey_id',
			'position',
			'kind',
			'key',
			'prompt',
			'simple_prompt',
			'options',
			'only_band',
			'prompt_cy',
			'simple_prompt_cy',
			'options_cy'
		])
		.where('survey_id', '=', surveyId)
		.orderBy('position')
		.execute();
}

/** The questions one version asks: every core question, and those only for that version. */
export function questionsForBand(questions: Question[], band: AgeBand): Question[] {
	return questions.filter((q) => q.only_band === null || q.only_band === band);
}

export interface NewQuestion {
	kind: QuestionKind;
	prompt: string;
	simplePrompt: string | null;
	options: string[];
	onlyBand: AgeBand | null;
	/** The Welsh wording; null / empty when the designer wrote the question in English only. */
	promptCy: string | null;
	simplePromptCy: string | null;
	optionsCy: string[];
}

/** Adds a question at the end of a draft (RLS refuses once the survey is published). */
export async function addQuestion(tx: Tx, surveyId: string, q: NewQuestion): Promise<void> {
	await tx
		.insertInto('survey_questions')
		.values({
			survey_id: surveyId,
			position: sql<number>`(select coalesce(max(position), 0) + 1 from public.survey_questions where survey_id = ${surveyId})`,
			kind: q.kind,
			prompt: q.prompt,
			simple_prompt: q.simplePrompt,
			options: q.options,
			only_band: q.onlyBand,
			prompt_cy: q.promptCy,
			simple_prompt_cy: q.simplePromptCy,
			options_cy: q.optionsCy
		})
		.execute();
}

/** Removes a question from a draft; false if the draft has no such question. */
export async function removeQuestion(
	tx: Tx,
	surveyId: string,
	questionId: string
): Promise<boolean> {
	const result = await tx
		.deleteFrom('survey_questions')
		.where('id', '=', questionId)
		.where('survey_id', '=', surveyId)
		.executeTakeFirst();
	return result.numDeletedRows > 0n;
}
