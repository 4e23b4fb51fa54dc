import { sql } from 'kysely';
import pg from 'pg';
import type { Tx } from './survey-tx';
import type { AgeBand, DraftAnswers } from './schema-feedback';
import { m } from '../../paraglide/messages.js';

/** The person already answered this survey: one response each, by design. */
export class AlreadyAnsweredError extends Error {
	constructor() {
		super(m.feedback_already_answered());
		this.name = 'AlreadyAnsweredError';
	}
}

/** The database refused the answers (bad shape, a version the survey lacks, survey closed). */
export class ResponseRefusedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ResponseRefusedError';
	}
}

/**
 * The database refuses answers in English (private.record_survey_answers and
 * private.submit_survey_response); these are its refusals in the reader's language, by its words.
 * A refusal not listed here gets a general message rather than English in a Welsh page.
 */
const REFUSALS: Record<string, () => string> = {
	'This survey is not open to you.': () => m.feedback_refused_not_open(),
	'This survey has no version for that age group.': () => m.feedback_refused_no_version(),
	'Answers must be an object.': () => m.feedback_refused_not_object(),
	'A written answer must be text.': () => m.feedback_refused_not_text(),
	'Please keep each written answer to 2000 characters or fewer.': () =>
		m.feedback_refused_too_long({ max: 2000 }),
	'A choice must be a list of numbers.': () => m.feedback_refused_not_numbers(),
	'A scale answer is one number from 1 to 5.': () => m.feedback_refused_scale(),
	'Choose one answer.': () => m.feedback_refused_choose_one(),
	'That choice is not one of the answers.': () => m.feedback_refused_not_an_answer()
};

/** What a person is told when the database refuses their answers. */
export function refusalMessage(databaseMessage: string): string {
	return (REFUSALS[databaseMessage] ?? (() => m.feedback_refused()))();
}

/** The caller's unfinished answers to a survey, or null. Kept on the server, never the browser. */
export async function getDraft(tx: Tx, surveyId: string, userId: string) {
	return (
		(await tx
			.selectFrom('survey_drafts')
			.select(['age_band', 'answers'])
			.where('survey_id', '=', surveyId)
			.where('user_id', '=', userId)
			.executeTakeFirst()) ?? null
	);
}

/** Starts or saves the caller's unfinished answers (RLS: only surveys published to them). */
export async function saveDraft(
	tx: Tx,
	surveyId: string,
	userId: string,
	band: AgeBand,
	answers: DraftAnswers
): Promise<void> {
	const json = JSON.stringify(answers);
	await tx
		.insertInto('survey_drafts')
		.values({ survey_id: surveyId, user_id: userId, age_band: band, answers: json })
		.onConflict((oc) =>
			oc.columns(['survey_id', 'user_id']).doUpdateSet({
				age_band: band,
				answers: json,
				updated_at: sql<Date>`now()`
			})
		)
		.execute();
}

/** Throws the caller's unfinished answers away. */
export async function discardDraft(tx: Tx, surveyId: string, userId: string): Promise<void> {
	await tx
		.deleteFrom('survey_drafts')
		.where('survey_id', '=', surveyId)
		.where('user_id', '=', userId)
		.execute();
}

/** Has the caller answered this survey? (They may see only their own participation.) */
export async function hasAnswered(tx: Tx, surveyId: string, userId: string): Promise<boolean> {
	const row = await tx
		.selectFrom('survey_participation')
		.select('survey_id')
		.where('survey_id', '=', surveyId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	return row !== undefined;
}

/**
 * Sends the answers through private.submit_survey_response, which records participation, checks
 * the answers and holds them unlinked until 5 can be written together as anonymous responses,
 * and deletes the draft. A second response throws AlreadyAnsweredError.
 */
export async function submitResponse(
	tx: Tx,
	surveyId: string,
	band: AgeBand,
	answers: DraftAnswers
): Promise<void> {
	try {
		await sql`select private.submit_survey_response(${surveyId}::uuid, ${band}::public.survey_age_band, ${JSON.stringify(answers)}::jsonb)`.execute(
			tx
		);
	} catch (error) {
		if (error instanceof pg.DatabaseError) {
			if (error.code === '23505') throw new AlreadyAnsweredError();
			if (error.code === '22023' || error.code === '42501') {
				throw new ResponseRefusedError(refusalMessage(error.message));
			}
		}
		throw error;
	}
}
