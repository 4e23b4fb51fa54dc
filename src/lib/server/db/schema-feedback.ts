import type { ColumnType, Generated } from 'kysely';
import type { MemberRole } from './schema';

/**
 * Feedback surveys and "you said, we did": table types for the app's Kysely queries
 * (migration 20261123000400_feedback.sql). Responses, answers and running totals are deliberately
 * absent: no app role can select them; results come only through private.survey_results, which
 * applies small-number suppression (see $lib/server/db/survey-results.ts).
 */
export type AgeBand = 'age_4_7' | 'age_8_11' | 'age_11_17' | 'care_leavers';
export type QuestionKind = 'scale' | 'single' | 'multiple' | 'text' | 'anything_else';
export type SurveyStatus = 'draft' | 'published' | 'closed';
export type ActionStatus = 'planned' | 'in_progress' | 'done';

/** Answers kept while someone is part-way through: question id → numbers (choices) or text. */
export type DraftAnswers = Record<string, number[] | string>;

type Updated = ColumnType<Date, Date | string | undefined, Date | string>;

export interface SurveysTable {
	id: Generated<string>;
	organisation_id: string;
	title: string;
	intro: string | null;
	audience: MemberRole[];
	bands: AgeBand[];
	status: Generated<SurveyStatus>;
	series_id: Generated<string>;
	round: Generated<number>;
	created_by: string | null;
	created_at: Generated<Date>;
	published_at: Date | null;
}

export interface SurveyQuestionsTable {
	id: Generated<string>;
	survey_id: string;
	position: number;
	kind: QuestionKind;
	key: Generated<string>;
	prompt: string;
	simple_prompt: string | null;
	options: Generated<string[]>;
	only_band: AgeBand | null;
	/** The Welsh wording (migration 20261204001000_survey_welsh.sql); null or empty: English only. */
	prompt_cy: string | null;
	simple_prompt_cy: string | null;
	/** Option k in Welsh is option k in English: answers store the number, never the words. */
	options_cy: Generated<string[]>;
}

export interface SurveyParticipationTable {
	survey_id: string;
	user_id: string;
}

export interface SurveyDraftsTable {
	survey_id: string;
	user_id: string;
	age_band: AgeBand;
	answers: ColumnType<DraftAnswers, string, string>;
	updated_at: Updated;
}

export interface SurveyThemesTable {
	id: Generated<string>;
	survey_id: string;
	name: string;
}

export interface SurveyActionsTable {
	id: Generated<string>;
	organisation_id: string;
	survey_id: string;
	question_id: string | null;
	theme_id: string | null;
	you_said: string;
	we_did: string;
	owner_name: string;
	status: Generated<ActionStatus>;
	progress: Generated<number>;
	published: Generated<boolean>;
	created_by: string | null;
	created_at: Generated<Date>;
	updated_at: Updated;
}

export interface FeedbackTables {
	surveys: SurveysTable;
	survey_questions: SurveyQuestionsTable;
	survey_participation: SurveyParticipationTable;
	survey_drafts: SurveyDraftsTable;
	survey_themes: SurveyThemesTable;
	survey_actions: SurveyActionsTable;
}
