import { m } from '../../paraglide/messages.js';
import type { SurveyResultsView } from './results';

/** What a hidden figure says in the export, in the reader's language: never a number. */
export function hiddenFigure(): string {
	return m.survey_csv_hidden();
}

/** One CSV field, quoted when needed (RFC 4180); a leading =+-@ is defused for spreadsheets. */
export function csvField(value: string | number | null): string {
	if (value === null) return hiddenFigure();
	let text = String(value);
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The results as CSV: response counts per version, then for each question, version and answer
 * the count, all from the already suppressed figures, so hidden stays hidden in a spreadsheet.
 * A person reads it in a spreadsheet, so its headings and words are in their language.
 */
export function resultsCsv(title: string, view: SurveyResultsView): string {
	const lines: string[] = [
		[
			m.survey_csv_survey(),
			m.survey_csv_question(),
			m.survey_csv_version(),
			m.survey_csv_answer(),
			m.survey_csv_count()
		]
			.map(csvField)
			.join(',')
	];
	const row = (...cells: (string | number | null)[]) => lines.push(cells.map(csvField).join(','));
	for (const r of view.responses)
		row(title, m.survey_responses(), r.label, m.survey_csv_all(), r.n);
	for (const q of view.questions) {
		for (const g of q.groups) {
			row(title, q.prompt, g.label, m.survey_csv_answered(), g.base);
			if (q.kind === 'scale') row(title, q.prompt, g.label, m.survey_csv_average(), g.mean);
			for (const o of g.options) row(title, q.prompt, g.label, o.label, o.n);
		}
	}
	return lines.join('\r\n') + '\r\n';
}
