/**
 * `npm run test:loaded`: `npm test` on a machine kept busy, as CI's may be. Two CPU hogs run
 * beside it (`stress-ng --cpu 2`, installed from Debian when missing and we are root; otherwise
 * two busy-looping Node processes), and the per-step durations and exit codes are appended to
 * bench/results/test-loaded.json. Tests assert counts and states, never speed, so they must pass.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aptInstall } from './support/apt.ts';
import { runNpm } from './support/commands.ts';
import type { StepResult } from './test.ts';

const root = path.resolve(import.meta.dirname, '..');
const outFile = path.join(root, 'bench/results/test-loaded.json');

interface LoadedRun {
	ranAt: string;
	machine: { cpus: number; cpuModel: string };
	load: string;
	exitCode: number;
	totalSeconds: number;
	steps: StepResult[];
}

function hasCommand(name: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** stress-ng if it is there or can be installed; null when neither. */
function ensureStressNg(): string | null {
	if (hasCommand('stress-ng')) return 'stress-ng';
	if (process.getuid?.() !== 0) return null;
	aptInstall('stress-ng');
	return hasCommand('stress-ng') ? 'stress-ng' : null;
}

function startLoad(): { describe: string; stop: () => void } {
	const stressNg = ensureStressNg();
	const hogs: ChildProcess[] = stressNg
		? [spawn(stressNg, ['--cpu', '2', '--quiet'], { stdio: 'ignore', detached: true })]
		: [0, 1].map(() =>
				spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore', detached: true })
			);
	return {
		describe: stressNg ? 'stress-ng --cpu 2' : '2 busy-looping node processes',
		stop: () => {
			for (const hog of hogs) {
				// Its own process group: stress-ng's workers go with it.
				if (hog.pid) process.kill(-hog.pid, 'SIGKILL');
			}
		}
	};
}

const load = startLoad();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'in-my-words-loaded-'));
const summaryFile = path.join(tmp, 'summary.json');
const started = Date.now();
let exitCode = 1;
try {
	console.log(`Running npm test beside ${load.describe} …`);
	exitCode = runNpm(['test'], {
		stdio: 'inherit',
		env: { ...process.env, TEST_SUMMARY_FILE: summaryFile }
	});
} finally {
	load.stop();
}
const summary = existsSync(summaryFile)
	? (JSON.parse(readFileSync(summaryFile, 'utf8')) as { steps: StepResult[] })
	: { steps: [] };
rmSync(tmp, { recursive: true, force: true });

const run: LoadedRun = {
	ranAt: new Date(started).toISOString(),
	machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown' },
	load: load.describe,
	exitCode,
	totalSeconds: Math.round((Date.now() - started) / 1000),
	steps: summary.steps
};
const runs: LoadedRun[] = existsSync(outFile)
	? (JSON.parse(readFileSync(outFile, 'utf8')) as LoadedRun[])
	: [];
runs.push(run);
writeFileSync(outFile, JSON.stringify(runs, null, 2) + '\n');
console.log(
	`\nnpm test under load: exit ${exitCode} after ${run.totalSeconds} s; written to ${outFile}`
);
process.exit(exitCode);
