import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ensureHaproxy } from '../../scripts/support/ensure-haproxy.ts';
import { freePort } from '../../scripts/support/free-port.ts';

/**
 * Several collab nodes as production runs them (src/lib/server/collab/main.ts, one process each,
 * all on one database) behind the real HAProxy on the configuration we ship
 * (deploy/haproxy/collab.cfg, unchanged: only its environment is set), for the benchmark. The
 * tests have their own helpers (tests/collab/collab-process.ts, proxy-process.ts); those lean on
 * vitest (inject, expect.poll), which the benchmark does not run under.
 */

const ENTRY = path.resolve(import.meta.dirname, '../../src/lib/server/collab/main.ts');
const HAPROXY_CONFIG = path.resolve(import.meta.dirname, '../../deploy/haproxy/collab.cfg');

export interface Cluster {
	/** The proxy's websocket base URL. */
	base: string;
	/** The collab nodes' process ids, and the proxy's. */
	nodePids: number[];
	proxyPid: number;
	stop(): Promise<void>;
}

export interface ClusterOptions {
	nodes: number;
	databaseUrl: string;
	ticketSecret: string;
	origin: string;
	/** Extra environment for every node (e.g. COLLAB_UNLOAD_GRACE_MS). */
	env?: Record<string, string>;
}

/** Polls `check` until it is true; throws with `what` after `ms`. */
async function until(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
	const deadline = performance.now() + ms;
	while (performance.now() < deadline) {
		if (await check()) return;
		await delay(50);
	}
	throw new Error(`timed out waiting for ${what}`);
}

function healthy(port: number): Promise<boolean> {
	return fetch(`http://127.0.0.1:${port}/healthz`).then(
		(r) => r.ok,
		() => false
	);
}

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

function logTo(name: string): 'ignore' | number {
	const dir = process.env.BENCH_CLUSTER_LOG;
	return dir ? openSync(path.join(dir, name), 'a') : 'ignore';
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
	const children: ChildProcess[] = [];
	const stop = async () => {
		for (const child of children.reverse()) {
			child.kill('SIGKILL');
			await exited(child);
		}
	};
	try {
		const ports: number[] = [];
		for (let i = 0; i < options.nodes; i++) {
			const port = await freePort();
			ports.push(port);
			const child = spawn(process.execPath, [ENTRY], {
				env: {
					...process.env,
					COLLAB_DATABASE_URL: options.databaseUrl,
					COLLAB_TICKET_SECRET: options.ticketSecret,
					COLLAB_ALLOWED_ORIGINS: options.origin,
					COLLAB_PORT: String(port),
					...options.env
				},
				// Its log (JSON lines on stderr) goes nowhere, unless BENCH_CLUSTER_LOG names a
				// directory to keep each node's in (node-1.log …), to see what happened in a run.
				stdio: ['ignore', 'ignore', logTo(`node-${i + 1}.log`)]
			});
			children.push(child);
			await until(
				async () => {
					if (child.exitCode !== null) throw new Error(`collab node exited (${child.exitCode})`);
					return healthy(port);
				},
				`collab node ${i + 1}`
			);
		}
		const proxyPort = await freePort();
		const env: Record<string, string> = {
			...(process.env as Record<string, string>),
			COLLAB_PROXY_BIND: `127.0.0.1:${proxyPort}`
		};
		ports.forEach((port, i) => (env[`COLLAB_NODE_${i + 1}`] = `127.0.0.1:${port}`));
		const proxy = spawn(ensureHaproxy(), ['-f', HAPROXY_CONFIG, '-db'], {
			env,
			stdio: ['ignore', logTo('haproxy.log'), logTo('haproxy.log')]
		});
		children.push(proxy);
		await until(async () => {
			if (proxy.exitCode !== null) throw new Error(`haproxy exited (${proxy.exitCode})`);
			return healthy(proxyPort);
		}, 'haproxy');
		return {
			base: `ws://127.0.0.1:${proxyPort}`,
			nodePids: children.slice(0, -1).map((child) => child.pid as number),
			proxyPid: proxy.pid as number,
			stop
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
