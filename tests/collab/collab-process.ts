import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect, inject } from 'vitest';
import { ORIGIN, TEST_SECRET } from './support.ts';

const entry = path.resolve(import.meta.dirname, '../../src/lib/server/collab/main.ts');

/**
 * The collab server as it runs in production (src/lib/server/collab/main.ts) in a child process,
 * on its own database role, so a test can SIGKILL it and start it again on the same port.
 */
export class CollabProcess {
	private child: ChildProcess | null = null;

	constructor(
		private readonly port: number,
		private readonly env: Record<string, string> = {}
	) {}

	/** Starts it and waits until it answers its health check (it fails if the child exits). */
	async start(): Promise<void> {
		const running = spawn(process.execPath, [entry], {
			env: {
				...process.env,
				COLLAB_DATABASE_URL: inject('collabDatabaseUrl'),
				COLLAB_TICKET_SECRET: TEST_SECRET,
				COLLAB_ALLOWED_ORIGINS: ORIGIN,
				COLLAB_PORT: String(this.port),
				...this.env
			},
			stdio: ['ignore', 'ignore', 'pipe']
		});
		this.child = running;
		let stderr = '';
		running.stderr?.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString()).slice(-4000);
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
