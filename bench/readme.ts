/**
 * The README's performance figures, made from bench/results/latest.json and nothing else, so
 * the README can never quote a figure no run produced or call a missed target met.
 * `npm run bench:readme` writes them between the markers; bench/readme.test.ts fails when the
 * README differs from what this makes of latest.json.
 */
import { format, resolveConfig } from 'prettier';
import {
	describe as describeTarget,
	figureAt,
	type Machine,
	type Results,
	type TargetEntry
} from './targets.ts';

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

export class MarkersMissingError extends Error {
	constructor() {
		super(`README.md must hold ${START} … ${END} once, in that order, around the figures`);
		this.name = 'MarkersMissingError';
	}
}

const round = (n: number, places = 2) =>
	// Below 1, two significant figures, so 0.007 ms does not read as 0.01 ms.
	String(
		Math.abs(n) < 1 && n !== 0
			? Number(n.toPrecision(2))
			: Math.round(n * 10 ** places) / 10 ** places
	);
const machineText = (m: Machine | undefined) =>
	m
		? `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}`
		: 'machine not recorded';
const withUnit = (value: number, unit: string) =>
	unit === '×' ? `${round(value)}×` : `${round(value)} ${unit}`;
const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : '—');

function verdict(e: TargetEntry): string {
	if (e.met === null) return 'not measured';
	return e.met ? 'met' : '**MISSED**';
}

function targetRow(e: TargetEntry, results: Results): string {
	const measured =
		e.measured === 'not measured' ? 'not measured' : withUnit(e.measured.value, e.measured.unit);
	const run = e.source ? `${e.source}, ${day(results.benchmarks[e.source]?.ranAt)}` : '—';
	// Notes are plain text from targets.ts; a file name gets code formatting, nothing else.
	const note = (e.note ?? '').replace(/(\S+\.test\.ts)/g, '`$1`');
	return `| ${e.what} | ${measured} | ≤ ${withUnit(e.target.atMost, e.target.unit)} | ${verdict(e)} | ${run} | ${note} |`;
}

/** Figures with no target of their own, shown so the table above has its context. */
function otherRows(results: Results): string[] {
	const collab = results.benchmarks.collab?.figures;
	const own = results.benchmarks['own-words']?.figures;
	const surveys = results.benchmarks.surveys?.figures;
	const rows: string[] = [];
	const pair = (a: number | undefined, b: number | undefined, unit: string) =>
		a === undefined || b === undefined ? undefined : `${round(a)} / ${round(b)} ${unit}`;
	const add = (what: string, ours: string | undefined, reference = '—') => {
		if (ours !== undefined) rows.push(`| ${what} | ${ours} | ${reference} |`);
	};
	const fanout = collab?.fanout;
	for (const n of typeof fanout === 'object' && fanout !== null ? Object.keys(fanout) : []) {
		const at = (...k: string[]) => figureAt(collab, 'fanout', n, ...k);
		add(
			`keystroke → other editors, ${n}, p50 / p99`,
			pair(at('oursMs', 'p50'), at('oursMs', 'p99'), 'ms'),
			pair(at('referenceMs', 'p50'), at('referenceMs', 'p99'), 'ms')
		);
	}
	const ack = (k: string) => figureAt(collab, 'savedAckMs', k);
	add('"saved" acknowledgement, p50 / p95', pair(ack('p50'), ack('p95'), 'ms'));
	const open = (k: string) => figureAt(collab, 'open160KB', k);
	const refOpen = open('referenceMs');
	add(
		'open a 160 KB document, from Postgres / already in memory',
		pair(open('oursColdMs'), open('oursWarmMs'), 'ms'),
		refOpen === undefined ? '—' : `${round(refOpen)} ms`
	);
	const memory = collab?.memory;
	for (const size of typeof memory === 'object' && memory !== null ? Object.keys(memory) : []) {
		const m = (k: string) => figureAt(collab, 'memory', size, k);
		const [encoded, alone, withIt] = [
			m('encodedBytesPerDocument'),
			m('bytesPerDocumentAlone'),
			m('bytesPerDocumentWithItsConnection')
		];
		if (encoded === undefined || alone === undefined || withIt === undefined) continue;
		const kb = (b: number) => round(b / 1024, 1);
		add(
			`memory per open document, ${size}: connections closed / open`,
			`${kb(alone)} / ${kb(withIt)} KB for ${kb(encoded)} KB encoded`
		);
	}
	const judge = (k: string) => figureAt(own, 'keystroke', 'judgeMs', k);
	const apply = (k: string) => figureAt(own, 'keystroke', 'applyMs', k);
	add('own words: judging a keystroke, p50 / p99', pair(judge('p50'), judge('p99'), 'ms'));
	add('own words: applying it, p50 / p99', pair(apply('p50'), apply('p99'), 'ms'));
	const bigBytes = figureAt(own, 'largeUpdate', 'bytes');
	const bigMs = figureAt(own, 'largeUpdate', 'judgeMs');
	if (bigBytes !== undefined && bigMs !== undefined)
		add(`own words: judging one ${round(bigBytes / 1024, 0)} KB update`, `${round(bigMs)} ms`);
	const page = figureAt(surveys, 'resultsPageMs', 'median');
	const responses = figureAt(surveys, 'responses');
	if (page !== undefined && responses !== undefined)
		add(
			`survey results page, ${responses.toLocaleString('en-GB')} responses, median`,
			`${round(page)} ms`
		);
	const editor = figureAt(results.benchmarks['page-weight']?.figures, 'documentPageEditorGzipKB');
	if (editor !== undefined)
		add('document page: the editor, fetched once the page is up (gzip -9)', `${round(editor)} KB`);
	return rows;
}

/** The block between the markers (markers included), before prettier lays out the tables. */
export function renderFigures(results: Results): string {
	const runs = Object.entries(results.benchmarks)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([name, run]) => {
			const load = run.loadAverage
				? `load average ${run.loadAverage.atStart} before, ${run.loadAverage.atEnd} after`
				: 'load not recorded';
			return `- \`${name}\`: ${day(run.ranAt)}, ${run.seconds} s, ${machineText(run.machine)}, ${load}`;
		});
	const t = results.targets;
	const count = (met: boolean | null) => t.filter((e) => e.met === met).length;
	const misses = t.filter((e) => e.met === false).map((e) => `- MISSED: ${describeTarget(e)}`);
	return [
		START,
		'<!-- Generated by `npm run bench:readme` from bench/results/latest.json: do not edit by hand. -->',
		'',
		'Runs (each on a machine shared with other work):',
		'',
		...runs,
		'',
		`**${count(true)} of ${t.length} targets met, ${count(false)} missed, ${count(null)} not measured.**`,
		...(misses.length > 0 ? ['', ...misses] : []),
		'',
		'| target | measured | limit | verdict | run | note |',
		'| --- | --- | --- | --- | --- | --- |',
		...t.map((e) => targetRow(e, results)),
		'',
		'Other figures from the same runs (no target of their own):',
		'',
		'| what | ours | reference |',
		'| --- | --- | --- |',
		...otherRows(results),
		END
	].join('\n');
}

/** Replaces what lies between the markers; everything else in the README stays as it is. */
export function spliceFigures(readme: string, block: string): string {
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	if (start < 0 || end < start || readme.indexOf(START, start + 1) >= 0) {
		throw new MarkersMissingError();
	}
	return readme.slice(0, start) + block + readme.slice(end + END.length);
}

/**
 * The README as it should be: figures spliced in, then formatted with the repository's prettier
 * settings, so `prettier --check` (npm run lint) and this generator agree on every byte.
 */
export async function generateReadme(readme: string, results: Results, readmePath: string) {
	const spliced = spliceFigures(readme, renderFigures(results));
	const options = (await resolveConfig(readmePath)) ?? {};
	return format(spliced, { ...options, filepath: readmePath });
}
