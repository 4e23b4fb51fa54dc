import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect, inject } from 'vitest';
import { ORIGIN, TEST_SECRET } from './support.ts';

const entry = path.resolve(import.meta.dirname, '../../src/lib/server/collab/main.ts');

/**
 * The collab server as it runs in production (src/lib/server/collab/main.ts) in a child process,
 * on its own database role, so a test can SIGKILL it and start it again on the same port, SIGTERM
 * it (the drain), or SIGSTOP it past its lease. Its lease is short (2 s unless the test says
 * otherwise), so a killed node's documents move in seconds.
 */
export class CollabProcess {
	private child: ChildProcess | null = null;
	/** Everything it has logged (JSON lines on stderr), for a test to look for events in. */
	output = '';

	constructor(
		readonly port: number,
		private readonly env: Record<string, string> = {}
	) {}

	/**
	 * Its node id (as in private.document_leases), from its "listening" line; a new one after
	 * each start.
	 */
	get nodeId(): string | null {
		const ids = [...this.output.matchAll(/"event":"listening"[^\n]*"node":"([^"]+)"/g)];
		return ids.at(-1)?.[1] ?? null;
	}

	/** Starts it and waits until it answers its health check (it fails if the child exits). */
	async start(): Promise<void> {
		const running = spawn(process.execPath, [entry], {
			env: {
				...process.env,
				COLLAB_DATABASE_URL: inject('collabDatabaseUrl'),
				COLLAB_TICKET_SECRET: TEST_SECRET,
				COLLAB_ALLOWED_ORIGINS: ORIGIN,
				COLLAB_PORT: String(this.port),
				COLLAB_LEASE_MS: '2000',
				...this.env
			},
			stdio: ['ignore', 'ignore', 'pipe']
		});
		this.child = running;
		let stderr = '';
		running.stderr?.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString()).slice(-4000);
			this.output += chunk.toString();
		});
		await expect
			.poll(
				async () => {
					if (running.exitCode !== null) throw new Error(`collab server exited: ${stderr}`);
					return fetch(`http://127.0.0.1:${this.port}/healthz`).then(
						(r) => r.ok,
						() => false
					);
				},
				{ interval: 50 }
			)
			.toBe(true);
	}

	/**
	 * SIGTERM, as a rolling deploy does: the server drains and exits. Resolves with its exit code
	 * once it has gone.
	 */
	async terminate(): Promise<number | null> {
		const running = this.child;
		if (!running || running.exitCode !== null) return running?.exitCode ?? null;
		const exited = new Promise<number | null>((resolve) =>
			running.once('exit', (code) => resolve(code))
		);
		running.kill('SIGTERM');
		const code = await exited;
		this.child = null;
		return code;
	}

	/** SIGSTOP: the process stands still (no renewals, no writes) until `resume`. */
	pause(): void {
		this.child?.kill('SIGSTOP');
	}

	resume(): void {
		this.child?.kill('SIGCONT');
	}

	/** SIGKILL, as a crash: nothing is flushed. Waits until the process has gone. */
	async kill(): Promise<void> {
		const running = this.child;
		if (!running || running.exitCode !== null) return;
		const exited = new Promise((resolve) => running.once('exit', resolve));
		running.kill('SIGKILL');
		await exited;
		this.child = null;
	}
}
