/**
 * `npm test`: every gate, in the order that fails fastest. Stops at the first failing step so CI
 * says plainly which gate broke.
 */
import { spawnSync } from 'node:child_process';

const steps: [string, string[]][] = [
	['Type and Svelte checks', ['run', 'check']],
	['Formatting and lint', ['run', 'lint']],
	['Unit tests', ['run', 'test:unit']],
	['Database, RLS and auth tests (real Postgres)', ['run', 'test:db']],
	['End-to-end tests (Chromium)', ['run', 'test:e2e']]
];

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
for (const [title, args] of steps) {
	console.log(`\n=== ${title} ===`);
	const started = Date.now();
	const result = spawnSync(npm, args, { stdio: 'inherit' });
	const seconds = ((Date.now() - started) / 1000).toFixed(0);
	if (result.status !== 0) {
		console.error(`\n✗ ${title} failed after ${seconds} s.`);
		process.exit(result.status ?? 1);
	}
	console.log(`✓ ${title} (${seconds} s)`);
}
console.log('\nEvery test step passed.');
