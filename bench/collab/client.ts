import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
	isUpdateBearing,
	MESSAGE_OWN_RUNS,
	MESSAGE_OWN_WORDS,
	MESSAGE_SAVED
} from '../../src/lib/collab/protocol.ts';

/** Headless y-websocket clients and child-process servers for the collab benchmark. */

export const BENCH_ORIGIN = 'http://localhost:5173';

export interface BenchClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** Update-bearing messages sent on the current socket. */
	sent(): number;
	/** How many times it has connected again after its first socket. */
	reconnects(): number;
	/** Resolves with performance.now() when the server acknowledges message n as saved. */
	savedAt(n: number): Promise<number>;
	synced(): Promise<void>;
	destroy(): void;
}

export function benchClient(base: string, room: string, protocols: string[]): BenchClient {
	const doc = new Y.Doc();
	let sentCount = 0;
	let acked = 0;
	const ackTimes = new Map<number, number>();
	const waiters = new Map<number, (t: number) => void>();
	/** Waiting for an ack from an earlier socket: what it sent is resent in the next's step 2. */
	let carried: Array<(t: number) => void> = [];
	let sockets = 0;
	class CountingSocket extends WebSocket {
		constructor(url: string, p?: string | string[]) {
			super(url, p, { origin: BENCH_ORIGIN });
			sockets++;
			sentCount = 0;
			acked = 0;
			ackTimes.clear();
			carried.push(...waiters.values());
			waiters.clear();
		}
		override send(data: unknown, ...rest: unknown[]): void {
			if (data instanceof Uint8Array && isUpdateBearing(data)) {
				sentCount++;
			}
			(super.send as (...args: unknown[]) => void)(data, ...rest);
		}
	}
	const provider = new WebsocketProvider(base, room, doc, {
		protocols,
		WebSocketPolyfill: CountingSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	// Whose words are whose: the browser shows it; a headless client has nothing to show (left
	// unhandled, y-websocket logs "Unable to compute message" for each, on the clients' clock).
	provider.messageHandlers[MESSAGE_OWN_WORDS] = () => {};
	provider.messageHandlers[MESSAGE_OWN_RUNS] = () => {};
	provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
		const n = decoding.readVarUint(decoder);
		const t = performance.now();
		// The first update-bearing message on a new socket is its sync step 2, which holds
		// everything the server lacked: once it is saved, so is whatever an earlier socket sent.
		if (n >= 1 && carried.length > 0) {
			for (const resolve of carried) resolve(t);
			carried = [];
		}
		for (let i = acked + 1; i <= n; i++) {
			ackTimes.set(i, t);
			waiters.get(i)?.(t);
			waiters.delete(i);
		}
		acked = Math.max(acked, n);
	};
	return {
		doc,
		provider,
		sent: () => sentCount,
		reconnects: () => Math.max(0, sockets - 1),
		savedAt(n) {
			const t = ackTimes.get(n);
			if (t !== undefined) return Promise.resolve(t);
			return new Promise((resolve) => waiters.set(n, resolve));
		},
		synced() {
			if (provider.synced) return Promise.resolve();
			return new Promise((resolve) => provider.once('sync', () => resolve()));
		},
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

export interface ChildServer {
	base: string;
	pid: number;
	memory(): Promise<NodeJS.MemoryUsage>;
	stop(): Promise<void>;
}

/** Starts bench/collab/server-child.ts in its own Node process. */
export async function startChildServer(
	kind: 'reference' | 'ours',
	options: Record<string, unknown> = {}
): Promise<ChildServer> {
	// BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it stops (node
	// --cpu-prof), to see where a server's time goes under the benchmark's load.
	const profileDir = process.env.BENCH_CPU_PROF;
	const child: ChildProcess = fork(path.join(import.meta.dirname, 'server-child.ts'), [kind], {
		execArgv: [
			'--expose-gc',
			...(profileDir
				? [
						'--cpu-prof',
						`--cpu-prof-dir=${profileDir}`,
						`--cpu-prof-name=${kind}-${process.pid}-${Date.now()}.cpuprofile`
					]
				: [])
		],
		env: { ...process.env, BENCH_COLLAB_OPTIONS: JSON.stringify(options) },
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	const port = await new Promise<number>((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
		child.on('message', (m: { port?: number }) => {
			if (m.port) resolve(m.port);
		});
	});
	return {
		base: `ws://127.0.0.1:${port}`,
		pid: child.pid as number,
		memory: () =>
			new Promise((resolve) => {
				const onMessage = (m: { memory?: NodeJS.MemoryUsage }) => {
					if (!m.memory) return;
					child.off('message', onMessage);
					resolve(m.memory);
				};
				child.on('message', onMessage);
				child.send('memory');
			}),
		stop: () =>
			new Promise((resolve) => {
				child.removeAllListeners('exit');
				child.once('exit', () => resolve());
				// A profile is written only on a clean exit.
				if (profileDir) child.send('exit');
				else child.kill('SIGKILL');
			})
	};
}

export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return Math.round((sorted[index] ?? NaN) * 100) / 100;
}
