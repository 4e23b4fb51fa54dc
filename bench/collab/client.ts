import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { isUpdateBearing, MESSAGE_SAVED } from '../../src/lib/collab/protocol.ts';

/** Headless y-websocket clients and child-process servers for the collab benchmark. */

export const BENCH_ORIGIN = 'http://localhost:5173';

export interface BenchClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** Update-bearing messages sent on the current socket. */
	sent(): number;
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
	class CountingSocket extends WebSocket {
		constructor(url: string, p?: string | string[]) {
			super(url, p, { origin: BENCH_ORIGIN });
			sentCount = 0;
			acked = 0;
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
	provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
		const n = decoding.readVarUint(decoder);
		const t = performance.now();
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
	memory(): Promise<NodeJS.MemoryUsage>;
	stop(): Promise<void>;
}

/** Starts bench/collab/server-child.ts in its own Node process. */
export async function startChildServer(
	kind: 'reference' | 'ours',
	options: Record<string, unknown> = {}
): Promise<ChildServer> {
	const child: ChildProcess = fork(path.join(import.meta.dirname, 'server-child.ts'), [kind], {
		execArgv: ['--expose-gc'],
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
				child.kill('SIGKILL');
			})
	};
}

export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return Math.round((sorted[index] ?? NaN) * 100) / 100;
}
