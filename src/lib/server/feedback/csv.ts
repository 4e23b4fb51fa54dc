import type { SurveyResultsView } from './results';

/** What a hidden figure says in the export: never a number. */
export const HIDDEN = 'hidden (fewer than 5)';

/** One CSV field, quoted when needed (RFC 4180); a leading =+-@ is defused for spreadsheets. */
export function csvField(value: string | number | null): string {
	if (value === null) return HIDDEN;
	let text = String(value);
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The results as CSV: response counts per version, then for each question, version and answer
 * the count, all from the already suppressed figures, so hidden stays hidden in a spreadsheet.
 */
export function resultsCsv(title: string, view: SurveyResultsView): string {
	const lines: string[] = [['survey', 'question', 'version', 'answer', 'count'].join(',')];
	const row = (...cells: (string | number | null)[]) => lines.push(cells.map(csvField).join(','));
	for (const r of view.responses) row(title, 'Responses', r.label, 'All', r.n);
	for (const q of view.questions) {
		for (const g of q.groups) {
			row(title, q.prompt, g.label, 'Answered this question', g.base);
			if (q.kind === 'scale') {
				row(title, q.prompt, g.label, 'Average (1 very sad to 5 very happy)', g.mean);
			}
			for (const o of g.options) row(title, q.prompt, g.label, o.label, o.n);
		}
	}
	return lines.join('\r\n') + '\r\n';
}
