import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MarkersMissingError, generateReadme, renderFigures, spliceFigures } from './readme.ts';
import { evaluateTargets, missLines, type BenchRun, type Results } from './targets.ts';

const root = path.join(import.meta.dirname, '..');
const readmePath = path.join(root, 'README.md');
const latest = () =>
	JSON.parse(readFileSync(path.join(root, 'bench/results/latest.json'), 'utf8')) as Results;

const run = (figures: Record<string, unknown>): BenchRun => ({
	ranAt: '2026-12-01T10:00:00.000Z',
	seconds: 1,
	figures
});

/** Made-up figures: every target met except the 50-editor p99 ratio and 2 KB memory. */
function fakeBenchmarks(): Record<string, BenchRun> {
	return {
		collab: run({
			fanout: {
				'50 editors': {
					oursMs: { p50: 1.5, p99: 4.9 },
					referenceMs: { p50: 1.2, p99: 2.8 },
					ratio: { p50: 1.21, p99: 1.72 }
				}
			},
			savedAckMs: { p50: 2.8, p95: 4.3 },
			open160KB: { oursColdMs: 38, oursWarmMs: 13, referenceMs: 47 },
			storage: { bytesPerTypedCharacter: 1.27 },
			memory: {
				'2 KB documents': { ratioToEncodedSize: 16.8, ratioWithConnection: 23.1 },
				'8 KB documents': { ratioToEncodedSize: 13.9, ratioWithConnection: 14.9 }
			}
		}),
		'own-words': run({ keystroke: { ratioJudgeToApply: { p50: 1.4, p99: 1.6 } } })
	};
}

function fakeResults(benchmarks = fakeBenchmarks()): Results {
	const machine = { cpus: 2, cpuModel: 'Test', memoryGiB: 1, node: 'v24', platform: 'test' };
	return { machine, benchmarks, targets: evaluateTargets(benchmarks) };
}

describe("the README's performance figures", () => {
	it('are exactly what `npm run bench:readme` makes of bench/results/latest.json', async () => {
		const readme = readFileSync(readmePath, 'utf8');
		// On failure: run `npm run bench:readme` (after `npm run bench`), never edit by hand.
		expect(readme).toBe(await generateReadme(readme, latest(), readmePath));
		// Prettier formats the whole README: seconds on a loaded 2-core machine.
	}, 60_000);

	it('come from verdicts that are what bench/targets.ts makes of the recorded figures', () => {
		const results = latest();
		expect(results.targets).toEqual(evaluateTargets(results.benchmarks));
	});

	it('show a miss as a miss, in the table and in the list of misses', () => {
		const block = renderFigures(fakeResults());
		const row = block.split('\n').find((l) => l.includes('50 editors, p99 | 1.72×'));
		expect(row).toContain('**MISSED**');
		expect(block).toContain('- MISSED: ours ÷ reference fan-out, 50 editors, p99: 1.72×');
		expect(block).toContain('10 of 21 targets met, 3 missed, 8 not measured.');
		expect(block.match(/\*\*MISSED\*\*/g)).toHaveLength(3);
	});

	it('need both markers, once each', () => {
		expect(() => spliceFigures('no markers here', 'x')).toThrow(MarkersMissingError);
		const twice = '<!-- bench:start --><!-- bench:end --><!-- bench:start -->';
		expect(() => spliceFigures(twice, 'x')).toThrow(MarkersMissingError);
	});
});

describe('the targets', () => {
	it('list every percentile and size, with and without connections for memory', () => {
		const targets = evaluateTargets(fakeBenchmarks());
		expect(targets.map((t) => [t.what, t.met])).toEqual([
			['keystroke → other editors, 50 editors, p50', true],
			['keystroke → other editors, 50 editors, p99', true],
			['durable "saved" ack, p95', true],
			['ours ÷ reference fan-out, 50 editors, p50', true],
			['ours ÷ reference fan-out, 50 editors, p99', false],
			['200 documents × 2 editors, 1 node: keystroke latency ÷ reference, p50', null],
			['200 documents × 2 editors, 1 node: keystroke latency ÷ reference, p99', null],
			['200 documents × 2 editors, 1 node: last "saved" ÷ last delivery', null],
			['200 documents × 2 editors, 3 nodes: keystroke latency ÷ reference, p50', null],
			['200 documents × 2 editors, 3 nodes: keystroke latency ÷ reference, p99', null],
			['200 documents × 2 editors, 3 nodes: last "saved" ÷ last delivery', null],
			['3 collab nodes, owner SIGKILLed: acknowledged edits lost', null],
			['bytes stored per typed character, after compaction', true],
			['load a 160 KB document (from Postgres, median)', true],
			['server memory per open document ÷ encoded size, 2 KB documents, connections closed', false],
			[
				'server memory per open document ÷ encoded size, 2 KB documents, each with its connection',
				false
			],
			['server memory per open document ÷ encoded size, 8 KB documents, connections closed', true],
			[
				'server memory per open document ÷ encoded size, 8 KB documents, each with its connection',
				true
			],
			['young-person pages, first-load JS (compressed), document page included', null],
			['own words: judging an edit ÷ applying it, 160 KB document, p50', true],
			['own words: judging an edit ÷ applying it, 160 KB document, p99', true]
		]);
	});

	it('keep a target whose figure is missing, as not measured rather than met', () => {
		const targets = evaluateTargets({});
		expect(targets.length).toBeGreaterThan(0);
		expect(targets.every((t) => t.measured === 'not measured' && t.met === null)).toBe(true);
		expect(missLines(targets).every((l) => l.startsWith('NOT MEASURED: '))).toBe(true);
	});

	it('say where the CPU went in the 200-document runs, when a run recorded it', () => {
		const many = (cpu: Record<string, unknown>) =>
			evaluateTargets({
				collab: run({
					manyDocuments: {
						'1 node': { ratio: { p50: 3.1, p99: 1.9 }, lastSavedOverLastDelivered: 1, ...cpu }
					}
				})
			}).find(
				(t) => t.what === '200 documents × 2 editors, 1 node: keystroke latency ÷ reference, p50'
			);
		const recorded = many({
			cpuMicrosecondsPerUpdate: { server: 63, postgres: 38, editors: 80 },
			referenceCpuMicrosecondsPerUpdate: { server: 50, postgres: 1, editors: 95 }
		});
		expect(recorded?.met).toBe(false);
		expect(recorded?.note).toBe(
			'target set by issue 13; CPU µs per update (median run): ours server 63, postgres 38, ' +
				'editors 80; reference server 50, editors 95'
		);
		// Not read (no /proc): nothing made up.
		const unread = many({
			cpuMicrosecondsPerUpdate: { server: null, postgres: null, editors: 80 },
			referenceCpuMicrosecondsPerUpdate: { server: null, postgres: null, editors: 95 }
		});
		expect(unread?.note).toBe(
			'target set by issue 13; CPU µs per update (median run): ours editors 80; reference editors 95'
		);
		expect(many({})?.note).toBe('target set by issue 13');
	});

	it('print every miss plainly', () => {
		const lines = missLines(evaluateTargets(fakeBenchmarks()));
		expect(lines.filter((l) => l.startsWith('MISS: '))).toEqual([
			'MISS: ours ÷ reference fan-out, 50 editors, p99: 1.72× (target ≤ 1.5×)',
			'MISS: server memory per open document ÷ encoded size, 2 KB documents, connections closed: 16.8× (target ≤ 15×)',
			'MISS: server memory per open document ÷ encoded size, 2 KB documents, each with its connection: 23.1× (target ≤ 15×)'
		]);
	});
});
