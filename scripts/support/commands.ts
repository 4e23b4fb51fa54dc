import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** npm as this platform names it. */
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs `npm <args>` to the end and returns its exit code (1 when it was killed). */
export function runNpm(args: string[], options: SpawnSyncOptions = { stdio: 'inherit' }): number {
	return spawnSync(NPM, args, { cwd: root, ...options }).status ?? 1;
}

/**
 * Runs a command without blocking this process's event loop (the local auth service may run in
 * it) and resolves with its exit code (1 when it was killed).
 */
export function runCommand(
	cmd: string,
	args: string[],
	env: NodeJS.ProcessEnv = process.env
): Promise<number> {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { stdio: 'inherit', cwd: root, env });
		child.once('error', reject);
		child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
	});
}
