import net from 'node:net';
import * as encoding from 'lib0/encoding';
import pg from 'pg';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MESSAGE_QUERY_AWARENESS } from '../../src/lib/collab/protocol.ts';
import {
	createCollabServer,
	type CollabServer,
	type CollabServerOptions
} from '../../src/lib/server/collab/server.ts';
import { COLLAB_PROTOCOL } from '../../src/lib/server/collab/ticket.ts';
import { CLOSE_IDLE, IDLE_CLOSED } from '../../src/lib/server/collab/timeouts.ts';
import { ORIGIN, TEST_SECRET, createCast, ticketFor, type Cast } from './support.ts';

/**
 * Connections that hold a slot without using it are let go: an HTTP request whose headers never
 * finish (408, then closed), and a websocket that sends nothing (CLOSE_IDLE), pongs included.
 * Everything else keeps working. Limits are set short; the tests wait for events, not for time.
 */

const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 10 });
const sockets: Array<WebSocket | net.Socket> = [];
let cast: Cast;

/** Server with a short header timeout (its idle timeout stays at the default). */
let headers: { server: CollabServer; port: number };
/** Server with a short idle timeout, pinging often so pongs flow while a socket says nothing. */
let idle: { server: CollabServer; port: number };

beforeAll(async () => {
	cast = await createCast(admin, { blank: true });
	const start = async (extra: Partial<CollabServerOptions>) => {
		const server = createCollabServer({
			pool: collabPool,
			ticketSecret: TEST_SECRET,
			allowedOrigins: [ORIGIN],
			log: () => {},
			...extra
		});
		return { server, port: await server.listen(0) };
	};
	headers = await start({ headerTimeoutMs: 300 });
	idle = await start({ idleTimeoutMs: 1_500, pingIntervalMs: 300 });
});

afterAll(async () => {
	for (const s of sockets) {
		if (s instanceof WebSocket) s.terminate();
		else s.destroy();
	}
	await headers?.server.close();
	await idle?.server.close();
	await collabPool.end();
	await admin.end();
});

interface Watched {
	ws: WebSocket;
	open: boolean;
	close: { code: number; reason: string } | null;
}

/** A websocket with a good ticket for the cast's document, watched. */
async function connect(port: number): Promise<Watched> {
	const ws = new WebSocket(
		`ws://127.0.0.1:${port}/${cast.documentId}`,
		[COLLAB_PROTOCOL, await ticketFor(cast.editor, cast.documentId)],
		{ origin: ORIGIN }
	);
	sockets.push(ws);
	const watched: Watched = { ws, open: false, close: null };
	ws.on('open', () => (watched.open = true));
	ws.on('close', (code, reason) => (watched.close = { code, reason: reason.toString() }));
	ws.on('error', () => {});
	await expect.poll(() => watched.open).toBe(true);
	return watched;
}

/** A raw TCP connection that writes `bytes` and records what comes back and when it closes. */
function raw(port: number, bytes: string): { received: () => string; closed: () => boolean } {
	let received = '';
	let closed = false;
	const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
	sockets.push(socket);
	socket.on('data', (chunk) => (received += chunk.toString('latin1')));
	socket.on('close', () => (closed = true));
	socket.on('error', () => {});
	return { received: () => received, closed: () => closed };
}

function queryAwareness(): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_QUERY_AWARENESS);
	return encoding.toUint8Array(encoder);
}

describe('header timeout', () => {
	it('answers 408 and closes a request whose headers never finish, or that sends nothing', async () => {
		// Opened first: an upgraded socket is past its headers, and must outlive both below.
		const upgraded = await connect(headers.port);
		const halfSent = raw(
			headers.port,
			`GET /${cast.documentId} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n` +
				'Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n'
		);
		const silent = raw(headers.port, '');
		await expect.poll(() => halfSent.closed() && silent.closed()).toBe(true);
		expect(halfSent.received()).toMatch(/^HTTP\/1\.1 408 /);
		expect(silent.received()).toMatch(/^HTTP\/1\.1 408 /);
		expect(upgraded.close).toBeNull();
		// And new connections are served as ever.
		const next = await connect(headers.port);
		expect(next.close).toBeNull();
		const health = await fetch(`http://127.0.0.1:${headers.port}/healthz`);
		expect(health.status).toBe(200);
	});
});

describe('idle timeout', () => {
	it('closes a websocket that sends nothing (answering pings is not enough), and only that one', async () => {
		// Opened first and talking throughout: it has been open longer than the silent one.
		const talking = await connect(idle.port);
		let talks = 0;
		const talk = setInterval(() => {
			if (talking.ws.readyState !== WebSocket.OPEN) return;
			talking.ws.send(queryAwareness());
			talks++;
		}, 100);
		try {
			const silent = await connect(idle.port);
			let pongs = 0;
			silent.ws.on('ping', () => pongs++);
			await expect.poll(() => silent.close).toEqual({ code: CLOSE_IDLE, reason: IDLE_CLOSED });
			// It was pinged (and ws answered each) while it said nothing.
			expect(pongs).toBeGreaterThan(0);
			expect(talks).toBeGreaterThan(0);
			expect(talking.close).toBeNull();
		} finally {
			clearInterval(talk);
		}
		// Once it stops talking, it goes the same way.
		await expect.poll(() => talking.close?.code).toBe(CLOSE_IDLE);
	});
});
