import type { Duplex } from 'node:stream';
import * as awarenessProtocol from 'y-protocols/awareness';
import { WebSocket, type RawData } from 'ws';
import * as Y from 'yjs';
import { tokenBucket, type CollabLimits } from './limits.ts';
import type { AccessLevel } from './store.ts';
import {
	CLOSE_MOVED,
	CLOSE_OWN_WORDS,
	CLOSE_RESEND,
	SESSION_ENDED,
	SYNC_STEP_1,
	encodeAwareness,
	encodeOwnRuns,
	encodeOwnWords,
	encodeSync
} from '../../collab/protocol.ts';
import { WaitingUpdates } from './pending-updates.ts';
import type { CollabTicket } from './ticket.ts';
import { CLOSE_IDLE, IDLE_CLOSED, idleTimer } from './timeouts.ts';
import type { Edits, HeldUpdate } from './edits.ts';
import type { Room, Rooms } from './room.ts';
import type { CollabLog } from './server.ts';

/**
 * One connection: a socket after its upgrade, one person on one document (Hocuspocus's
 * Connection). Here: the close codes, the connection's state, the only ways anything sends to it
 * or closes it (a slow consumer is closed; a peer that never answers the close is cut off), its
 * timers (session expiry, idle, ping), and its set-up after the upgrade and clean-up after the
 * close. What it says is read in messages.ts; its edits go through edits.ts.
 */

/** Close codes the client can act on (44xx: reconnecting will not help by itself; 45xx: it will). */
export const CLOSE = {
	sessionEnded: 4401,
	accessRemoved: 4403,
	policy: 1008,
	invalidData: 1007,
	tooBig: 1009,
	/**
	 * An edit that would rewrite the young person's own words, or claim to be theirs, or change a
	 * template prompt.
	 */
	ownWords: CLOSE_OWN_WORDS,
	/** Edits waited too long for items this connection had not resent: reconnect and resend. */
	resend: CLOSE_RESEND,
	/** Nothing received for too long (timeouts.ts). */
	idle: CLOSE_IDLE,
	serverError: 1011,
	/** The document moves to another node (handover, drain, lost lease): reconnect at once. */
	moved: CLOSE_MOVED,
	goingAway: 1001
} as const;

/** One connection's state; the room, edits and messages read and change it. */
export interface Conn {
	ws: WebSocket;
	/**
	 * Its row in private.collab_connections: the person's slot, given back on close (none for a
	 * form's addition, which has no socket).
	 */
	slot: string | null;
	room: Room;
	ticket: CollabTicket;
	access: AccessLevel;
	/** Update-bearing messages received, and whether acks have stopped (one was not saved). */
	received: number;
	ackBlocked: boolean;
	chain: Promise<void>;
	/**
	 * Messages whose appends have committed but whose turn on the chain has not come yet: the
	 * ack of one just before them is left to theirs, which covers it ("saved" n counts every
	 * message up to n), so a burst committed together is acknowledged with one message.
	 */
	savedAhead: Set<number>;
	/** Updates waiting for items the document lacks, judged once they arrive. */
	waiting: WaitingUpdates<HeldUpdate>;
	closed: boolean;
	/** Answered the last ping. */
	alive: boolean;
	messages: ReturnType<typeof tokenBucket>;
	bytes: ReturnType<typeof tokenBucket>;
	expiryTimer: ReturnType<typeof setTimeout> | null;
	/** Closes the socket once it has sent nothing for idleTimeoutMs. */
	idle: ReturnType<typeof idleTimer>;
	/** The one awareness client id this connection speaks for. */
	clientId: number | null;
	/**
	 * The young person's connections only: what their browser said it holds (its sync step 1's
	 * state vector), so an editor resending their words after a crash can wait for their own
	 * resend instead of being refused (see waitForYoungPerson).
	 */
	announced: Map<number, number> | null;
	lastAwarenessAt: number;
	pendingAwareness: Uint8Array | null;
	awarenessTimer: ReturnType<typeof setTimeout> | null;
}

/** What a connection starts from (see newConn). */
export interface ConnStart {
	ws: WebSocket;
	/** The person's connection slot (lease.ts); none for an addition. */
	slot?: string;
	room: Room;
	ticket: CollabTicket;
	access: AccessLevel;
	/** Known from the start only for an addition (additions.ts: a client id of its own). */
	clientId?: number;
	/** Closes it once it has sent nothing for `ms` (timeouts.ts); none for an addition. */
	idle?: { ms: number; onIdle: () => void };
	/** An update waited too long for items the document lacks (pending-updates.ts). */
	onWaitedTooLong: () => void;
}

/**
 * A connection's state as it starts: the one place it is made, for a socket after its upgrade
 * (setUp below) and for a form's addition, which has no socket (additions.ts).
 */
export function newConn(limits: CollabLimits, start: ConnStart): Conn {
	const { ws, room, ticket, access, idle } = start;
	return {
		ws,
		slot: start.slot ?? null,
		room,
		ticket,
		access,
		received: 0,
		ackBlocked: false,
		chain: Promise.resolve(),
		savedAhead: new Set(),
		waiting: new WaitingUpdates<HeldUpdate>(limits, start.onWaitedTooLong),
		closed: false,
		alive: true,
		messages: tokenBucket(limits.messagesPerSecond, limits.messageBurst),
		bytes: tokenBucket(limits.bytesPerSecond, limits.byteBurst),
		expiryTimer: null,
		idle: idle ? idleTimer(idle.ms, idle.onIdle) : { heard() {}, stop() {} },
		clientId: start.clientId ?? null,
		announced: null,
		lastAwarenessAt: 0,
		pendingAwareness: null,
		awarenessTimer: null
	};
}

/** How long a corked message may wait for others to the same socket (see createConnectionIo). */
export const FLUSH_AFTER_MS = 2;

/** The cork's clock, for tests that must not depend on how fast the machine runs. */
export interface CorkTiming {
	flushAfterMs: number;
	now: () => number;
}

/**
 * Sending to and closing a connection, and its session timer: used by the room (fan-out, reset),
 * edits, messages and revocation, so built first and handed to each.
 */
export function createConnectionIo(
	limits: CollabLimits,
	log: CollabLog,
	timing: CorkTiming = { flushAfterMs: FLUSH_AFTER_MS, now: () => performance.now() }
) {
	function setExpiry(conn: Conn): void {
		if (conn.expiryTimer) clearTimeout(conn.expiryTimer);
		const ms = Math.max(0, conn.ticket.sessionExp * 1000 - Date.now());
		conn.expiryTimer = setTimeout(
			() => closeConn(conn, CLOSE.sessionEnded, SESSION_ENDED),
			Math.min(ms, 2 ** 31 - 1)
		);
	}

	function sendAwareness(conn: Conn, clients: number[]): void {
		send(
			conn,
			encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(conn.room.awareness, clients))
		);
	}

	/**
	 * Sockets written to in this turn of the event loop, corked: what goes to one socket in a turn
	 * (another editor's keystroke, this person's "saved", an awareness change) leaves in one
	 * write, not one system call per message. With many busy documents a socket write per message
	 * was the largest single cost left in the server, and the busier the server, the more a turn
	 * holds. Each message is still its own frame.
	 *
	 * But a busy turn reads hundreds of messages, and a keystroke corked at its start would wait
	 * for all of them (measured: half of all keystrokes waited 12 ms or more inside the server, a
	 * tenth 60 ms). So the corks are also pulled once they are FLUSH_AFTER_MS old, checked at
	 * every send and before every message read (flushIfDue); long work that neither sends nor
	 * reads (loading a room, say) still holds them to the end of the turn, as before.
	 */
	const corked = new Map<WebSocket, Duplex>();
	/** When the oldest cork still in place was put in. */
	let corkedAt = 0;
	/**
	 * What each socket written to in this turn had not yet sent before the turn's first write to
	 * it: the slow-consumer check must not count what this turn wrote (a large sync reply and an
	 * awareness change together), whether it is still corked or already flushed.
	 */
	const backlogBeforeTurn = new Map<WebSocket, number>();
	let endOfTurnScheduled = false;

	function uncorkAll(): void {
		// Taken out first, so one socket that failed to uncork cannot leave the rest corked.
		const sockets = [...corked.values()];
		corked.clear();
		for (const socket of sockets) socket.uncork();
	}

	function endOfTurn(): void {
		endOfTurnScheduled = false;
		backlogBeforeTurn.clear();
		uncorkAll();
	}

	function backlogOf(ws: WebSocket): number {
		return backlogBeforeTurn.get(ws) ?? ws.bufferedAmount;
	}

	function corkForThisTurn(ws: WebSocket): void {
		if (!backlogBeforeTurn.has(ws)) backlogBeforeTurn.set(ws, ws.bufferedAmount);
		if (!endOfTurnScheduled) {
			endOfTurnScheduled = true;
			setImmediate(endOfTurn);
		}
		if (corked.has(ws)) return;
		// ws has no public way to batch frames; its socket is `_socket` (a net.Socket, or absent
		// in tests that fake one).
		const socket = (ws as unknown as { _socket?: Duplex })._socket;
		if (!socket) return;
		if (corked.size === 0) corkedAt = timing.now();
		corked.set(ws, socket);
		socket.cork();
	}

	/** Sends what has been corked for FLUSH_AFTER_MS or more, without waiting for the turn's end. */
	function flushIfDue(): void {
		if (corked.size > 0 && timing.now() - corkedAt >= timing.flushAfterMs) uncorkAll();
	}

	function send(conn: Conn, message: Uint8Array): void {
		if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return;
		if (backlogOf(conn.ws) > limits.slowConsumerBytes) {
			closeConn(conn, CLOSE.policy, 'Too slow to keep up');
			return;
		}
		corkForThisTurn(conn.ws);
		conn.ws.send(message, (error) => {
			if (error) log('send failed', { documentId: conn.room.id, error: error.message });
		});
		flushIfDue();
	}

	function closeConn(conn: Conn, code: number, reason: string): void {
		if (conn.closed) return;
		conn.closed = true;
		log('closing connection', { documentId: conn.room.id, sub: conn.ticket.sub, code, reason });
		if (conn.ws.readyState === WebSocket.OPEN || conn.ws.readyState === WebSocket.CONNECTING) {
			conn.ws.close(code, reason);
			// A peer that never answers the close handshake must not hold the slot.
			setTimeout(() => conn.ws.terminate(), 5_000).unref();
		}
	}

	return { setExpiry, sendAwareness, send, closeConn, flushIfDue };
}

export type ConnectionIo = ReturnType<typeof createConnectionIo>;

export interface ConnectionsOptions {
	limits: CollabLimits;
	log: CollabLog;
	/** A websocket that sends no message for this long is closed (timeouts.ts). */
	idleTimeoutMs: number;
	io: ConnectionIo;
	rooms: Pick<Rooms, 'isCurrent' | 'scheduleUnload'>;
	edits: Pick<Edits, 'giveUpWaiting' | 'dropWaiting'>;
	/** Gives the connection's slot back (lease.ts: counted in Postgres across nodes). */
	closeSlot: (connectionId: string) => void;
	/** Every message the socket sends (messages.ts). */
	onMessage: (conn: Conn, data: RawData, isBinary: boolean) => void;
}

/** Sets up a connection once ws has upgraded its socket, and cleans up after it closes. */
export function createConnections(options: ConnectionsOptions) {
	const { limits, log, closeSlot, onMessage } = options;
	const { setExpiry, sendAwareness, send, closeConn } = options.io;
	const { isCurrent, scheduleUnload } = options.rooms;
	const { giveUpWaiting, dropWaiting } = options.edits;

	function setUp(
		ws: WebSocket,
		ticket: CollabTicket,
		access: AccessLevel,
		room: Room,
		slot: string
	): void {
		const conn = newConn(limits, {
			ws,
			slot,
			room,
			ticket,
			access,
			idle: { ms: options.idleTimeoutMs, onIdle: () => closeConn(conn, CLOSE.idle, IDLE_CLOSED) },
			onWaitedTooLong: () => {
				log('update waited too long', { documentId: room.id, sub: ticket.sub });
				giveUpWaiting(conn);
			}
		});
		room.reservations--;
		room.conns.add(conn);
		setExpiry(conn);
		ws.on('message', (data: RawData, isBinary: boolean) => onMessage(conn, data, isBinary));
		ws.on('close', (code: number) => onClose(conn, code));
		ws.on('pong', () => {
			conn.alive = true;
		});
		ws.on('error', (error: Error) => {
			log('connection error', { documentId: room.id, error: error.message });
			// ws has already closed it (1009 for an oversized message, 1002 for a bad frame).
			closeConn(conn, CLOSE.tooBig, 'Message too big');
		});
		if (!isCurrent(room)) {
			// The room was reset, handed over or lost while this handshake was under way: start
			// again wherever the document is served now.
			closeConn(conn, CLOSE.moved, 'Document reloaded; reconnect');
			return;
		}
		log('connected', { documentId: room.id, sub: ticket.sub, access });
		// Step 1 tells the client what the room holds, appends still in flight included, and its
		// step 2 leaves all that out (its own edits sent on an earlier socket, say): so nothing is
		// acknowledged here before those appends commit. If one fails, the room is reset and this
		// connection closed with it (edits.ts).
		const inFlight = [...room.pending];
		if (inFlight.length > 0) conn.chain = Promise.allSettled(inFlight).then(() => {});
		send(conn, encodeSync(SYNC_STEP_1, Y.encodeStateVector(room.doc)));
		send(conn, encodeOwnWords(room.provenance.ownership.clients));
		send(conn, encodeOwnRuns(room.provenance.ownership.runs(), true));
		const states = room.awareness.getStates();
		if (states.size > 0) sendAwareness(conn, [...states.keys()]);
	}

	function onClose(conn: Conn, code: number): void {
		conn.closed = true;
		dropWaiting(conn);
		const { room } = conn;
		if (!room.conns.delete(conn)) return;
		if (conn.expiryTimer) clearTimeout(conn.expiryTimer);
		conn.idle.stop();
		if (conn.awarenessTimer) clearTimeout(conn.awarenessTimer);
		if (conn.clientId !== null) {
			awarenessProtocol.removeAwarenessStates(room.awareness, [conn.clientId], null);
		}
		if (conn.slot !== null) closeSlot(conn.slot);
		log('disconnected', { documentId: room.id, sub: conn.ticket.sub, code });
		scheduleUnload(room);
	}

	return { setUp };
}

/** Sockets that do not answer a ping within one interval are dropped (a vanished phone). */
export function startPings(
	intervalMs: number,
	conns: () => Conn[],
	log: CollabLog
): ReturnType<typeof setInterval> {
	const pinger = setInterval(() => {
		for (const conn of conns()) {
			if (!conn.alive) {
				log('no answer to ping', { documentId: conn.room.id, sub: conn.ticket.sub });
				conn.ws.terminate();
				continue;
			}
			conn.alive = false;
			conn.ws.ping();
		}
	}, intervalMs);
	pinger.unref();
	return pinger;
}
