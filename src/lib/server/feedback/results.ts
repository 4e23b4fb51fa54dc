import { AGE_BANDS, BAND_LABELS, optionLabels, wordingFor } from '../../components/feedback/labels';
import type { Question } from '../db/survey-questions';
import type { ResultRow } from '../db/survey-results';
import type { AgeBand } from '../db/schema-feedback';
import { m } from '../../paraglide/messages.js';

/** The smallest group whose figures are ever shown. */
export const MIN_GROUP = 5;

/** One bar: `n` null means hidden (fewer than 5, or hidden so another hidden figure stays so). */
export interface OptionFigure {
	label: string;
	n: number | null;
}

/** One question in one version (or all versions: band null). `base` null: the group is hidden. */
export interface GroupFigures {
	band: AgeBand | null;
	label: string;
	base: number | null;
	mean: number | null;
	options: OptionFigure[];
}

export interface QuestionResults {
	id: string;
	key: string;
	prompt: string;
	/** The language of the prompt's words (English where no Welsh was written). */
	promptLang: 'en' | 'cy';
	kind: Question['kind'];
	groups: GroupFigures[];
}

export interface SurveyResultsView {
	responses: { band: AgeBand | null; label: string; n: number | null }[];
	questions: QuestionResults[];
}

/**
 * Shapes the suppressed rows from the database into what the page, charts and CSV show. It never
 * un-hides anything: a group without a shown base shows no options at all, and an option the
 * database hid stays null. Options nobody chose have no row and show as 0.
 */
export function buildResults(
	bands: AgeBand[],
	questions: Question[],
	rows: ResultRow[]
): SurveyResultsView {
	const key = (q: string | null, b: AgeBand | null, o: number) => `${q}|${b}|${o}`;
	const byKey = new Map(rows.map((r) => [key(r.question_id, r.age_band, r.option), r]));
	const ordered = AGE_BANDS.filter((b) => bands.includes(b));
	const groupsOf: (AgeBand | null)[] = [null, ...ordered];
	const label = (b: AgeBand | null) => (b === null ? m.survey_everyone() : BAND_LABELS[b]);

	return {
		responses: groupsOf.map((b) => ({
			band: b,
			label: label(b),
			n: byKey.get(key(null, b, 0))?.n ?? null
		})),
		questions: questions.map((q) => ({
			id: q.id,
			key: q.key,
			// In the reader's language where written: the figures are the question's, by id and
			// option number, whatever language each person answered in.
			prompt: wordingFor(q, null).prompt,
			// Its language, so an English-only question on a Welsh page is marked as English.
			promptLang: wordingFor(q, null).lang,
			kind: q.kind,
			groups: groupsOf
				.filter((b) => b === null || q.only_band === null || q.only_band === b)
				.map((b) => {
					const base = byKey.get(key(q.id, b, 0));
					const shown = base !== undefined && base.n !== null && base.n >= MIN_GROUP;
					const labels = q.kind === 'text' || q.kind === 'anything_else' ? [] : optionLabels(q);
					return {
						band: b,
						label: label(b),
						base: shown ? base.n : null,
						mean: shown ? base.mean : null,
						options: labels.map((l, i) => {
							if (!shown) return { label: l, n: null };
							const cell = byKey.get(key(q.id, b, i + 1));
							return { label: l, n: cell === undefined ? 0 : cell.n };
						})
					};
				})
		}))
	};
}

/** "12", or the words used everywhere for a hidden figure. */
export function figure(n: number | null): string {
	return n === null ? m.survey_hidden_lower() : String(n);
}
