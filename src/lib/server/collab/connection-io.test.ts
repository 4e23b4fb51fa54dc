import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createConnectionIo, type Conn } from './connection.ts';
import { DEFAULT_LIMITS } from './limits.ts';

/**
 * The connection's sends (connection.ts): what goes to one socket in a turn is corked into one
 * write, unless the cork has been in for FLUSH_AFTER_MS, and the slow-consumer check counts only
 * what the socket had not sent before this turn.
 * The socket here is a stand-in whose "kernel" never drains, so its backlog is exactly what was
 * written to it.
 */

function fakeConn() {
	const socket = {
		pending: 0,
		corks: 0,
		writes: 0,
		cork() {
			this.corks++;
		},
		uncork() {
			this.corks--;
			if (this.corks === 0) this.writes++;
		}
	};
	const ws = {
		readyState: WebSocket.OPEN,
		_socket: socket,
		get bufferedAmount() {
			return socket.pending;
		},
		send(message: Uint8Array) {
			socket.pending += message.byteLength;
			if (socket.corks === 0) socket.writes++;
		},
		close() {},
		terminate() {}
	};
	const conn = { ws, closed: false, room: { id: 'document' }, ticket: { sub: 'person' } };
	return { conn: conn as unknown as Conn, socket, closed: () => conn.closed };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Sends with a slow-consumer limit of 100 bytes and a cork clock moved by hand (`advance`): a turn
 * that lasts long (hundreds of messages) without the test depending on how fast the machine runs.
 */
function ioWithClock() {
	let t = 0;
	const io = createConnectionIo({ ...DEFAULT_LIMITS, slowConsumerBytes: 100 }, () => {}, {
		flushAfterMs: 2,
		now: () => t
	});
	return {
		io,
		advance(ms: number) {
			t += ms;
		}
	};
}

describe('sending to a connection', () => {
	it('writes a turn’s messages together, and judges a slow consumer by what earlier turns left', async () => {
		const { io } = ioWithClock();
		const { conn, socket, closed } = fakeConn();

		// One turn: a message bigger than the limit and then a small one. Both go, in one write.
		io.send(conn, new Uint8Array(150));
		io.send(conn, new Uint8Array(10));
		expect(closed()).toBe(false);
		expect(socket.writes).toBe(0);
		await nextTurn();
		expect(socket.writes).toBe(1);
		expect(socket.pending).toBe(160);

		// The next turn: the socket still has not sent them, so it is too slow to keep up.
		io.send(conn, new Uint8Array(10));
		expect(closed()).toBe(true);
		expect(socket.pending).toBe(160);
	});

	it('does not hold a message for the rest of a long turn', async () => {
		const { io, advance } = ioWithClock();
		const a = fakeConn();
		const b = fakeConn();

		io.send(a.conn, new Uint8Array(10));
		advance(1);
		io.flushIfDue();
		expect(a.socket.writes).toBe(0);
		advance(1);
		// Still the same turn: the next send (or message read) pulls every cork that old.
		io.send(b.conn, new Uint8Array(10));
		expect(a.socket.writes).toBe(1);
		expect(b.socket.writes).toBe(1);
		io.flushIfDue();
		expect(a.socket.writes).toBe(1);

		// A fresh cork is not pulled at once.
		io.send(a.conn, new Uint8Array(10));
		io.flushIfDue();
		expect(a.socket.writes).toBe(1);
		advance(2);
		io.flushIfDue();
		expect(a.socket.writes).toBe(2);
		await nextTurn();
		expect(a.socket.writes).toBe(2);
	});

	it('judges a slow consumer by what earlier turns left, also after a flush in this turn', async () => {
		const { io, advance } = ioWithClock();
		const { conn, socket, closed } = fakeConn();

		// A large sync reply, flushed within the turn, then another message in the same turn.
		io.send(conn, new Uint8Array(150));
		advance(2);
		io.flushIfDue();
		expect(socket.writes).toBe(1);
		io.send(conn, new Uint8Array(10));
		expect(closed()).toBe(false);
		await nextTurn();
		expect(socket.pending).toBe(160);

		// The next turn: still unsent, so too slow.
		io.send(conn, new Uint8Array(10));
		expect(closed()).toBe(true);
	});
});
