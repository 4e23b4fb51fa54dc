import { m } from '../../paraglide/messages.js';
import { figure, type GroupFigures } from './results';

/** Escapes text for SVG/XML content and attributes. */
export function escapeXml(text: string): string {
	return text
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}

const WIDTH = 320;
const LABEL_WIDTH = 110;
const BAR_HEIGHT = 22;
const GAP = 8;

/**
 * A horizontal bar chart of one group as an SVG string, made on the server so it works without
 * JavaScript. It is an image with a title and a description that says every figure in words
 * (hidden figures say "hidden"); the page also gives the same figures as a table. A hidden group
 * draws no bars at all, and a hidden option draws a hatched placeholder, never its true length.
 */
export function barChartSvg(id: string, title: string, group: GroupFigures): string {
	const titleId = `${id}-title`;
	const descId = `${id}-desc`;
	if (group.base === null) {
		const desc = m.survey_chart_group_hidden({ group: group.label });
		return [
			`<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${WIDTH} 40" width="100%"`,
			` aria-labelledby="${titleId} ${descId}" class="chart">`,
			`<title id="${titleId}">${escapeXml(title)}</title>`,
			`<desc id="${descId}">${escapeXml(desc)}</desc>`,
			`<text x="0" y="24" font-size="14" fill="currentColor">${escapeXml(m.survey_chart_hidden())}</text>`,
			`</svg>`
		].join('');
	}
	const max = Math.max(1, ...group.options.map((o) => o.n ?? 0));
	const height = group.options.length * (BAR_HEIGHT + GAP) + GAP;
	const words = group.options.map((o) => `${o.label}: ${figure(o.n)}`).join('; ');
	const desc = m.survey_chart_desc({ group: group.label, base: group.base, figures: words });
	const bars = group.options.map((o, i) => {
		const y = GAP + i * (BAR_HEIGHT + GAP);
		const label = `<text x="0" y="${y + 16}" font-size="13" fill="currentColor">${escapeXml(o.label)}</text>`;
		if (o.n === null) {
			return (
				label +
				`<rect x="${LABEL_WIDTH}" y="${y}" width="24" height="${BAR_HEIGHT}" fill="none"` +
				` stroke="currentColor" stroke-dasharray="3 3"/>` +
				`<text x="${LABEL_WIDTH + 30}" y="${y + 16}" font-size="13" fill="currentColor">${escapeXml(m.survey_hidden())}</text>`
			);
		}
		const w = Math.round(((WIDTH - LABEL_WIDTH - 40) * o.n) / max);
		return (
			label +
			`<rect x="${LABEL_WIDTH}" y="${y}" width="${w}" height="${BAR_HEIGHT}" fill="#1d4e89"/>` +
			`<text x="${LABEL_WIDTH + w + 6}" y="${y + 16}" font-size="13" fill="currentColor">${o.n}</text>`
		);
	});
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${WIDTH} ${height}" width="100%"`,
		` aria-labelledby="${titleId} ${descId}" class="chart">`,
		`<title id="${titleId}">${escapeXml(title)}</title>`,
		`<desc id="${descId}">${escapeXml(desc)}</desc>`,
		...bars,
		`</svg>`
	].join('');
}
