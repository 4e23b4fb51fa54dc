import { sql } from 'kysely';
import type { Tx } from './survey-tx';
import type { AgeBand } from './schema-feedback';

/**
 * One figure from private.survey_results. `n` is null when suppressed (fewer than 5 people, or
 * hidden so that a suppressed figure cannot be worked out). question_id null: response counts.
 * age_band null: all versions together. option 0: how many answered (the group's base).
 */
export interface ResultRow {
	question_id: string | null;
	age_band: AgeBand | null;
	option: number;
	n: number | null;
	mean: number | null;
}

/**
 * A survey's suppressed figures. The database applies suppression, so no page, chart or export
 * can show a figure it should not: raw responses are not readable by any app role.
 */
export async function surveyResults(tx: Tx, surveyId: string): Promise<ResultRow[]> {
	const { rows } = await sql<{
		question_id: string | null;
		age_band: AgeBand | null;
		option: number;
		n: number | null;
		mean: string | null;
	}>`select question_id, age_band, option, n, mean from private.survey_results(${surveyId}::uuid)`.execute(
		tx
	);
	return rows.map((r) => ({ ...r, mean: r.mean === null ? null : Number(r.mean) }));
}

/** How many took part and could have; null when under 5. */
export async function surveyReach(tx: Tx, surveyId: string) {
	const { rows } = await sql<{
		participants: number | null;
		eligible: number | null;
	}>`select participants, eligible from private.survey_reach(${surveyId}::uuid)`.execute(tx);
	return rows[0] ?? { participants: null, eligible: null };
}

export interface TextAnswer {
	id: string;
	age_band: AgeBand;
	body: string;
	theme_ids: string[];
}

/** Free-text answers to a question, only from versions where at least 5 people answered it. */
export async function textAnswers(tx: Tx, questionId: string, limit = 100): Promise<TextAnswer[]> {
	const { rows } = await sql<TextAnswer>`select id, age_band, body, theme_ids
		from private.survey_text_answers(${questionId}::uuid, ${limit}::integer)`.execute(tx);
	return rows;
}

/** Tags or untags a free-text answer with a theme (designers only, checked in the database). */
export async function tagTextAnswer(
	tx: Tx,
	answerId: string,
	themeId: string,
	tagged: boolean
): Promise<void> {
	await sql`select private.tag_text_answer(${answerId}::uuid, ${themeId}::uuid, ${tagged})`.execute(
		tx
	);
}

/** How many answers carry each theme; null when 1–4. */
export async function themeCounts(tx: Tx, surveyId: string) {
	const { rows } = await sql<{
		theme_id: string;
		n: number | null;
	}>`select theme_id, n from private.survey_theme_counts(${surveyId}::uuid)`.execute(tx);
	return rows;
}
