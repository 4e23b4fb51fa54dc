import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import { ensureHaproxy } from '../../scripts/support/ensure-haproxy.ts';

const CONFIG = path.resolve(import.meta.dirname, '../../deploy/haproxy/collab.cfg');

/**
 * The real HAProxy in the foreground (-db) on the configuration we ship
 * (deploy/haproxy/collab.cfg, unchanged: only its environment variables are set here), in front
 * of collab nodes on loopback. Installed from Debian when missing and we are root; otherwise the
 * test fails with the reason, never skips (scripts/support/ensure-haproxy.ts).
 */
export class ProxyProcess {
	private child: ChildProcess | null = null;
	/** What it logged (the tail), e.g. "Server collab_nodes/node2 is DOWN". */
	output = '';
	/**
	 * How often the log has said the health check took each server out ("node2" → 2): it grows
	 * each time one goes down (a line may be counted twice, so compare, don't count).
	 */
	readonly downs = new Map<string, number>();
	private partial = '';

	constructor(
		readonly port: number,
		private readonly nodePorts: number[]
	) {}

	get base(): string {
		return `ws://127.0.0.1:${this.port}`;
	}

	/** Starts it and waits until it answers (through a node's /healthz); fails if it exits. */
	async start(): Promise<void> {
		const binary = ensureHaproxy();
		const env: Record<string, string> = {
			...(process.env as Record<string, string>),
			COLLAB_PROXY_BIND: `127.0.0.1:${this.port}`,
			// Quick checks, so a test does not wait long for a stopped node to be taken out.
			COLLAB_CHECK_INTER: '200ms'
		};
		this.nodePorts.forEach((port, i) => (env[`COLLAB_NODE_${i + 1}`] = `127.0.0.1:${port}`));
		const running = spawn(binary, ['-f', CONFIG, '-db'], {
			env,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		this.child = running;
		const collect = (chunk: Buffer) => {
			const text = chunk.toString();
			this.output = (this.output + text).slice(-20_000);
			const lines = (this.partial + text).split('\n');
			this.partial = lines.pop() ?? '';
			for (const line of lines) {
				const server = /Server \S+\/(\S+) is DOWN/.exec(line)?.[1];
				if (server) this.downs.set(server, (this.downs.get(server) ?? 0) + 1);
			}
		};
		// The log and HAProxy's own warnings (each event may come twice: only increases matter).
		running.stdout?.on('data', collect);
		running.stderr?.on('data', collect);
		await expect
			.poll(
				async () => {
					if (running.exitCode !== null) throw new Error(`haproxy exited: ${this.output}`);
					return fetch(`http://127.0.0.1:${this.port}/healthz`).then(
						(r) => r.status,
						() => 0
					);
				},
				{ interval: 50 }
			)
			.toBe(200);
	}

	async kill(): Promise<void> {
		const running = this.child;
		if (!running || running.exitCode !== null) return;
		const exited = new Promise((resolve) => running.once('exit', resolve));
		running.kill('SIGKILL');
		await exited;
		this.child = null;
	}
}
