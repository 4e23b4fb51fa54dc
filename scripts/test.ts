/**
 * `npm test`: every gate, in the order that fails fastest, then the canary gate that proves each
 * test runner can still fail. Stops at the first failing step so CI says plainly which gate broke,
 * prints every step's duration, and (with TEST_SUMMARY_FILE) writes them and the exit codes as
 * JSON for `npm run test:loaded`.
 */
import { writeFileSync } from 'node:fs';
import { runCanaries } from './support/canary.ts';
import { runNpm } from './support/commands.ts';

export interface StepResult {
	title: string;
	seconds: number;
	exitCode: number;
}

const run = (args: string[]) => () => runNpm(args);

const steps: [string, () => number][] = [
	['Type and Svelte checks', run(['run', 'check'])],
	['Formatting and lint', run(['run', 'lint'])],
	['Unit tests', run(['run', 'test:unit'])],
	['Database, RLS, auth and collab tests (real Postgres)', run(['run', 'test:db'])],
	['End-to-end tests (Chromium)', run(['run', 'test:e2e'])],
	['Canary: each runner fails when a test fails', runCanaries]
];

const results: StepResult[] = [];
function finish(exitCode: number): never {
	console.log('\nStep durations:');
	for (const r of results) {
		console.log(`  ${r.exitCode === 0 ? '✓' : '✗'} ${r.title.padEnd(56)} ${r.seconds} s`);
	}
	const file = process.env.TEST_SUMMARY_FILE;
	if (file) writeFileSync(file, JSON.stringify({ exitCode, steps: results }, null, 2) + '\n');
	process.exit(exitCode);
}

for (const [title, step] of steps) {
	console.log(`\n=== ${title} ===`);
	const started = Date.now();
	const exitCode = step();
	const seconds = Math.round((Date.now() - started) / 1000);
	results.push({ title, seconds, exitCode });
	if (exitCode !== 0) {
		console.error(`\n✗ ${title} failed after ${seconds} s.`);
		finish(exitCode);
	}
	console.log(`✓ ${title} (${seconds} s)`);
}
console.log('\nEvery test step passed.');
finish(0);
