import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createConnectionIo, type Conn } from './connection.ts';
import { DEFAULT_LIMITS } from './limits.ts';

/**
 * The connection's sends (connection.ts): what goes to one socket in a turn is corked into one
 * write, and the slow-consumer check counts only what the socket had not sent before this turn.
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

describe('sending to a connection', () => {
	it('writes a turn’s messages together, and judges a slow consumer by what earlier turns left', async () => {
		const io = createConnectionIo({ ...DEFAULT_LIMITS, slowConsumerBytes: 100 }, () => {});
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
});
