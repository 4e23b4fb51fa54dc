/**
 * `npm run bench [name …]`: runs every `bench/*.bench.ts` (or just the named ones), each of
 * which measures something and returns its figures, including any reference it is compared with
 * in the same run. Prints one JSON document and writes it to bench/results/latest.json, keeping
 * the figures of benchmarks not run this time. Then judges every performance target against all
 * the figures kept (bench/targets.ts), writes the verdicts into the same file and prints every
 * miss plainly on stderr. `npm run bench:readme` turns the file into the README's table.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { evaluateTargets, missLines, type Machine, type Results } from './targets.ts';

type Figures = Record<string, unknown>;
const round2 = (n: number) => Math.round(n * 100) / 100;

const dir = import.meta.dirname;
const outFile = path.join(dir, 'results/latest.json');
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
	.filter((f) => f.endsWith('.bench.ts'))
	.filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')))
	.sort();
if (files.length === 0) throw new Error(`No benchmark matches ${wanted.join(', ')}`);

const previous: Results | null = existsSync(outFile)
	? (JSON.parse(readFileSync(outFile, 'utf8')) as Results)
	: null;
const machine: Machine = {
	cpus: os.cpus().length,
	cpuModel: os.cpus()[0]?.model ?? 'unknown',
	memoryGiB: Math.round(os.totalmem() / 2 ** 30),
	node: process.version,
	platform: `${os.platform()} ${os.release()}`
};
const results: Results = {
	machine,
	benchmarks: { ...(previous?.benchmarks ?? {}) },
	targets: []
};

for (const file of files) {
	const name = file.replace(/\.bench\.ts$/, '');
	console.error(`running ${name} …`);
	const started = Date.now();
	const loadAtStart = os.loadavg()[0] ?? NaN;
	const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as {
		default: () => Promise<Figures>;
	};
	const figures = await mod.default();
	results.benchmarks[name] = {
		ranAt: new Date().toISOString(),
		seconds: Math.round((Date.now() - started) / 100) / 10,
		// Kept figures may come from another machine: each run says where it ran.
		machine,
		// Other work on a shared machine moves the p99s and open times; the 1-minute load average
		// before and after says how busy it was, so a slow run can be read as such.
		loadAverage: { atStart: round2(loadAtStart), atEnd: round2(os.loadavg()[0] ?? NaN) },
		figures
	};
}

// Judged on every benchmark's figures, kept ones included, so the verdicts match the file.
results.targets = evaluateTargets(results.benchmarks);
const json = JSON.stringify(results, null, 2);
writeFileSync(outFile, json + '\n');
console.log(json);
const lines = missLines(results.targets);
for (const line of lines) console.error(line);
const count = (met: boolean | null) => results.targets.filter((t) => t.met === met).length;
console.error(
	`${count(true)} of ${results.targets.length} targets met, ${count(false)} missed, ${count(null)} not measured.`
);
