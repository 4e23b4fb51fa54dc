import type { Tx } from '../db/survey-tx';
import { surveyQuestions } from '../db/survey-questions';
import { surveyResults } from '../db/survey-results';
import { surveyRounds, type Survey } from '../db/surveys';
import { barChartSvg } from './charts';
import { buildResults, type SurveyResultsView } from './results';

/** One question's average (1–5) in each round of the series; null when hidden or not asked. */
export interface Trend {
	key: string;
	prompt: string;
	rounds: { round: number; mean: number | null }[];
}

export interface ResultsPage {
	view: SurveyResultsView;
	/** SVG per question id and group label, made on the server. */
	charts: Record<string, Record<string, string>>;
	trends: Trend[];
}

/** The suppressed results alone (what the CSV needs), without charts or trends. */
export async function surveyView(
	tx: Tx,
	survey: Survey,
	questions?: Awaited<ReturnType<typeof surveyQuestions>>
): Promise<SurveyResultsView> {
	const qs = questions ?? (await surveyQuestions(tx, survey.id));
	return buildResults(survey.bands, qs, await surveyResults(tx, survey.id));
}

/**
 * Everything the results page shows, all from suppressed figures: the results themselves, an SVG
 * chart for each question and group, and trends of scale questions across rounds.
 */
export async function resultsPage(tx: Tx, survey: Survey): Promise<ResultsPage> {
	const questions = await surveyQuestions(tx, survey.id);
	const view = await surveyView(tx, survey, questions);
	const charts: ResultsPage['charts'] = {};
	for (const q of view.questions) {
		if (q.kind === 'text' || q.kind === 'anything_else') continue;
		charts[q.id] = {};
		q.groups.forEach((g, i) => {
			charts[q.id]![g.label] = barChartSvg(`chart-${q.id}-${i}`, `${q.prompt} (${g.label})`, g);
		});
	}
	const trends: Trend[] = [];
	const rounds = (await surveyRounds(tx, survey.series_id)).filter((r) => r.status !== 'draft');
	if (rounds.length > 1) {
		const means = new Map<string, Map<number, number | null>>();
		for (const r of rounds) {
			const qs = r.id === survey.id ? questions : await surveyQuestions(tx, r.id);
			const v =
				r.id === survey.id ? view : buildResults(r.bands, qs, await surveyResults(tx, r.id));
			for (const q of v.questions.filter((x) => x.kind === 'scale')) {
				const all = q.groups.find((g) => g.band === null);
				if (!means.has(q.key)) means.set(q.key, new Map());
				means.get(q.key)!.set(r.round, all?.mean ?? null);
			}
		}
		for (const q of view.questions.filter((x) => x.kind === 'scale')) {
			trends.push({
				key: q.key,
				prompt: q.prompt,
				rounds: rounds.map((r) => ({
					round: r.round,
					mean: means.get(q.key)?.get(r.round) ?? null
				}))
			});
		}
	}
	return { view, charts, trends };
}
