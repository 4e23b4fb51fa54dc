import { error } from '@sveltejs/kit';
import type { Tx } from '../db/survey-tx';
import { questionsForBand, surveyQuestions, type Question } from '../db/survey-questions';
import { getDraft } from '../db/survey-responses';
import { getSurvey, type Survey } from '../db/surveys';
import type { AgeBand, DraftAnswers } from '../db/schema-feedback';
import { isUuid } from '../forms';
import { m } from '../../paraglide/messages.js';

/**
 * A survey the caller may answer (RLS shows published surveys only to their audience; designers
 * see their own but must not answer them), or a 404.
 */
export async function requireAnswerableSurvey(tx: Tx, id: string): Promise<Survey> {
	const survey = isUuid(id) ? await getSurvey(tx, id) : null;
	if (!survey || survey.status !== 'published') {
		error(404, { message: m.feedback_not_found() });
	}
	return survey;
}

export interface Progress {
	survey: Survey;
	band: AgeBand;
	questions: Question[];
	answers: DraftAnswers;
}

/** Where the caller is in a survey: their version, its questions and their saved answers. */
export async function loadProgress(tx: Tx, userId: string, surveyId: string) {
	const survey = await requireAnswerableSurvey(tx, surveyId);
	const draft = await getDraft(tx, survey.id, userId);
	if (!draft) return { survey, progress: null };
	const questions = questionsForBand(await surveyQuestions(tx, survey.id), draft.age_band);
	return {
		survey,
		progress: { survey, band: draft.age_band, questions, answers: draft.answers } as Progress
	};
}
