/**
 * One collab server in its own process for the benchmark, so its latency and memory are its own:
 * `node bench/collab/server-child.ts reference|ours`. Options for ours come as JSON in
 * BENCH_COLLAB_OPTIONS. Talks to the parent over IPC: sends `{ port }` when listening, answers
 * `'memory'` with process.memoryUsage() after a full GC (run with --expose-gc).
 */
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import {
	createCollabServer,
	type CollabServerOptions
} from '../../src/lib/server/collab/server.ts';

const kind = process.argv[2];
let port: number;

if (kind === 'reference') {
	const server = createServer((_req, res) => res.writeHead(426).end());
	const wss = new WebSocketServer({ server });
	wss.on('connection', (ws, req) => setupWSConnection(ws, req));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as AddressInfo).port;
} else {
	const options = JSON.parse(process.env.BENCH_COLLAB_OPTIONS ?? '{}') as CollabServerOptions;
	// Quiet, unless BENCH_CLUSTER_LOG names a directory to keep its log in (ours-<pid>.log).
	const logDir = process.env.BENCH_CLUSTER_LOG;
	const logFile = logDir ? path.join(logDir, `ours-${process.pid}.log`) : null;
	const log = logFile
		? (event: string, fields: Record<string, unknown> = {}) =>
				appendFileSync(
					logFile,
					JSON.stringify({ at: new Date().toISOString(), event, ...fields }) + '\n'
				)
		: () => {};
	const collab = createCollabServer({ ...options, log });
	port = await collab.listen(0);
}

process.on('message', (message) => {
	if (message === 'memory') {
		(globalThis as { gc?: () => void }).gc?.();
		process.send?.({ memory: process.memoryUsage() });
	} else if (message === 'exit') {
		process.exit(0);
	}
});
process.send?.({ port });
