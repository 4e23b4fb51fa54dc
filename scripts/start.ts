/**
 * `npm start`. Runs scripts/local-stack/run.ts in a process group of its own, so that Ctrl-C
 * reaches only this process, which then asks the stack to stop in order (app, collab, auth, then
 * Postgres). Without this, the terminal's Ctrl-C hits Postgres at the same moment as everything
 * else, and the parts still shutting down lose their database mid-sentence.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const runner = path.join(import.meta.dirname, 'local-stack/run.ts');
// Node itself (with tsx's loader), not the tsx CLI: the CLI would not pass SIGUSR2 on.
const child = spawn(process.execPath, ['--import', 'tsx', runner, ...process.argv.slice(2)], {
	stdio: 'inherit',
	detached: true
});

// SIGUSR2: the runner's own "stop in order" signal (it treats SIGINT and SIGTERM the same way).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => child.kill('SIGUSR2'));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
