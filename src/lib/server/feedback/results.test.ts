import { describe, expect, it } from 'vitest';
import type { Question } from '../db/survey-questions';
import type { ResultRow } from '../db/survey-results';
import { barChartSvg } from './charts';
import { csvField, hiddenFigure, resultsCsv } from './csv';
import { buildResults } from './results';
import { overwriteGetLocale } from '$lib/paraglide/runtime.js';
import { currentLocale, withLocale } from '$lib/server/i18n';

// As src/hooks.server.ts does: messages speak the language of the request being handled.
overwriteGetLocale(currentLocale);

const scale: Question = {
	id: 'q1',
	survey_id: 's',
	position: 1,
	kind: 'scale',
	key: 'home',
	prompt: 'How do you feel about where you live?',
	simple_prompt: null,
	options: [],
	only_band: null,
	prompt_cy: null,
	simple_prompt_cy: null,
	options_cy: []
};
const choice: Question = {
	...scale,
	id: 'q2',
	position: 2,
	kind: 'single',
	key: 'advocate',
	prompt: 'Do you know how to get an advocate?',
	options: ['Yes', 'No']
};

// As private.survey_results returns them: 8–11 (3 people) hidden; 11–17 (7) hidden too (secondary
// suppression); everyone (10) shown with option 1 (4 people) hidden.
const rows: ResultRow[] = [
	{ question_id: null, age_band: null, option: 0, n: 10, mean: null },
	{ question_id: null, age_band: 'age_8_11', option: 0, n: null, mean: null },
	{ question_id: null, age_band: 'age_11_17', option: 0, n: null, mean: null },
	{ question_id: 'q1', age_band: null, option: 0, n: 10, mean: 3.9 },
	{ question_id: 'q1', age_band: null, option: 4, n: 6, mean: null },
	{ question_id: 'q1', age_band: null, option: 5, n: null, mean: null },
	{ question_id: 'q1', age_band: 'age_8_11', option: 0, n: null, mean: null },
	{ question_id: 'q1', age_band: 'age_11_17', option: 0, n: null, mean: null },
	{ question_id: 'q2', age_band: null, option: 0, n: 10, mean: null },
	{ question_id: 'q2', age_band: null, option: 1, n: 6, mean: null },
	{ question_id: 'q2', age_band: null, option: 2, n: null, mean: null }
];

const view = buildResults(['age_11_17', 'age_8_11'], [scale, choice], rows);

describe('buildResults', () => {
	it('keeps hidden figures hidden and orders versions youngest first', () => {
		expect(view.responses).toEqual([
			{ band: null, label: 'Everyone', n: 10 },
			{ band: 'age_8_11', label: '8 to 11', n: null },
			{ band: 'age_11_17', label: '11 to 17', n: null }
		]);
		const [everyone, young] = view.questions[0]!.groups;
		expect(everyone!.base).toBe(10);
		expect(everyone!.mean).toBe(3.9);
		expect(everyone!.options.map((o) => o.n)).toEqual([0, 0, 0, 6, null]);
		expect(young!.base).toBeNull();
		expect(young!.options.every((o) => o.n === null)).toBe(true);
	});

	it('shows each question in the reader’s language where written, and says which', () => {
		const welshChoice = { ...choice, prompt_cy: 'Ydych chi’n gwybod?', options_cy: ['Ydw', 'Na'] };
		const inWelsh = withLocale('cy', () =>
			buildResults(['age_11_17', 'age_8_11'], [scale, welshChoice], rows)
		);
		// The scale question has no Welsh: English on a Welsh page, and marked as English.
		expect(inWelsh.questions.map((q) => [q.prompt, q.promptLang])).toEqual([
			[scale.prompt, 'en'],
			['Ydych chi’n gwybod?', 'cy']
		]);
		expect(view.questions.map((q) => q.promptLang)).toEqual(['en', 'en']);
	});

	it('never shows a group whose base is under 5, whatever the rows say', () => {
		const leaky = buildResults(
			['age_8_11'],
			[choice],
			[
				{ question_id: 'q2', age_band: 'age_8_11', option: 0, n: 3, mean: null },
				{ question_id: 'q2', age_band: 'age_8_11', option: 1, n: 3, mean: null }
			]
		);
		const group = leaky.questions[0]!.groups[1]!;
		expect(group.base).toBeNull();
		expect(group.options.map((o) => o.n)).toEqual([null, null]);
	});
});

describe('charts', () => {
	it('draws no bars for a hidden group and says why', () => {
		const svg = barChartSvg('c', 'Home (8 to 11)', view.questions[0]!.groups[1]!);
		expect(svg).toContain('role="img"');
		expect(svg).toContain('<desc id="c-desc">8 to 11: fewer than 5 people answered');
		expect(svg).not.toContain('<rect');
		expect(svg).toContain('Hidden: fewer than 5 answers');
	});

	it('draws a hidden option as a placeholder, never with its figure', () => {
		const svg = barChartSvg('c', 'Advocate', view.questions[1]!.groups[0]!);
		expect(svg).toContain('Yes: 6; No: fewer than 5 (hidden)');
		expect(svg).toContain('stroke-dasharray');
		expect((svg.match(/fill="#1d4e89"/g) ?? []).length).toBe(1);
	});

	it('escapes text', () => {
		const svg = barChartSvg('c', '<script>"x"</script>', view.questions[1]!.groups[0]!);
		expect(svg).not.toContain('<script>');
		expect(svg).toContain('&lt;script&gt;&quot;x&quot;');
	});
});

describe('CSV', () => {
	const csv = resultsCsv('Home survey', view);
	const lines = csv.trim().split('\r\n');

	it('writes hidden figures as words, never as numbers', () => {
		expect(lines).toContain(`Home survey,Responses,8 to 11,All,${hiddenFigure()}`);
		expect(lines).toContain(`Home survey,Responses,Everyone,All,10`);
		expect(lines).toContain(
			`Home survey,How do you feel about where you live?,8 to 11,Answered this question,${hiddenFigure()}`
		);
		expect(lines).toContain(
			`Home survey,Do you know how to get an advocate?,Everyone,No,${hiddenFigure()}`
		);
		// No line of a hidden group carries a number.
		const hiddenGroupLines = lines.filter(
			(l) => l.includes(',8 to 11,') || l.includes(',11 to 17,')
		);
		expect(hiddenGroupLines.length).toBeGreaterThan(0);
		for (const l of hiddenGroupLines) expect(l.endsWith(hiddenFigure())).toBe(true);
	});

	it('quotes and defuses fields', () => {
		expect(csvField('a, "b"')).toBe('"a, ""b"""');
		expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
		expect(csvField(null)).toBe(hiddenFigure());
	});
});
