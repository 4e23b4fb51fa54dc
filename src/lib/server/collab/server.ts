import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import pg from 'pg';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { DEFAULT_LIMITS, tokenBucket, type CollabLimits } from './limits.ts';
import { handleRequest } from './requests.ts';
import {
	accessRank,
	claimsFor,
	createStore,
	minAccess,
	type AccessLevel,
	type Store,
	type Writer,
	UUID
} from './store.ts';
import {
	MESSAGE_AWARENESS,
	MESSAGE_QUERY_AWARENESS,
	MESSAGE_REFRESH,
	MESSAGE_SYNC,
	CLOSE_OWN_WORDS,
	CLOSE_RESEND,
	OWN_WORDS_REFUSED,
	RESEND_NEEDED,
	PROMPT_REFUSED,
	SESSION_ENDED,
	SYNC_STEP_1,
	SYNC_STEP_2,
	SYNC_UPDATE,
	encodeAwareness,
	encodeOwnWords,
	encodeSaved,
	encodeSync
} from '../../collab/protocol.ts';
import { clientsCreatedBy, refusalFor } from '../../collab/own-words.ts';
import {
	missingDependencies,
	WaitingUpdates,
	type DecodedUpdate,
	type Needs
} from './pending-updates.ts';
import { promptRefusal } from '../../collab/prompts.ts';
import { COLLAB_PROTOCOL, TicketError, verifyTicket, type CollabTicket } from './ticket.ts';
import { startSessionRecheck } from './session-recheck.ts';
import { DEFAULT_SESSION_IDLE_HOURS, DEFAULT_SESSION_RECHECK_MS } from './config.ts';
import {
	CLOSE_IDLE,
	DEFAULT_HEADER_TIMEOUT_MS,
	DEFAULT_IDLE_TIMEOUT_MS,
	IDLE_CLOSED,
	headerTimeoutOptions,
	idleTimer
} from './timeouts.ts';

/**
 * The collab server: y-websocket's protocol, with authorisation at the upgrade, durable saved
 * acknowledgements, access that follows the circle live, and limits. See docs/architecture.md.
 *
 * Message types (first varuint): 0 sync, 1 awareness, 3 query awareness (as y-websocket), plus
 * 100 server→client "saved" `[100, n]`: the first n update-bearing messages (sync step 2 and
 * update) this connection sent are committed to Postgres; and 101 client→server
 * `[101, ticket]`: a fresh ticket for the same person and document, which moves the session end.
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
	goingAway: 1001
} as const;

export type CollabLog = (event: string, fields?: Record<string, unknown>) => void;

export interface CollabServerOptions {
	/**
	 * A pool on the collab service's own login role (in_my_words_collab; never an owner, never
	 * the app's role): the only role that can write content, through private functions that
	 * still check each person's access.
	 */
	pool?: pg.Pool;
	/** Used to make a pool when `pool` is not given (closed again by `close()`). */
	databaseUrl?: string;
	ticketSecret: string | Uint8Array;
	/** Exact Origin header values allowed to connect (e.g. `http://localhost:5173`). */
	allowedOrigins: string[];
	limits?: Partial<CollabLimits>;
	/** How long a document with nobody connected stays in memory. */
	unloadGraceMs?: number;
	/** Compact a document's log when it passes this many rows. */
	compactAfterUpdates?: number;
	/** Safety net behind LISTEN: every live connection's access is re-checked this often. */
	accessRecheckMs?: number;
	/** Sockets that do not answer a ping within this long are dropped (a vanished phone). */
	pingIntervalMs?: number;
	/** How often the sessions behind all open sockets are asked after (session-recheck.ts). */
	sessionRecheckMs?: number;
	/** The app's idle limit (SESSION_IDLE_HOURS), in seconds: a session unused longer is over. */
	sessionIdleSeconds?: number;
	/** An HTTP request's headers must be complete within this long (timeouts.ts). */
	headerTimeoutMs?: number;
	/** A websocket that sends no message for this long is closed (timeouts.ts). */
	idleTimeoutMs?: number;
	log?: CollabLog;
}

interface Room {
	id: string;
	doc: Y.Doc;
	awareness: awarenessProtocol.Awareness;
	youngPersonId: string;
	/** Client id → who first sent it (public.document_writers). */
	writers: Map<number, Writer>;
	/** Client ids bound to the young person, not from a template: their own words. */
	ownWords: Set<number>;
	conns: Set<Conn>;
	/** Handshakes under way for this room: it must not unload under them. */
	reservations: number;
	rowsAfterSnapshot: number;
	/** Someone allowed to edit has been here (compaction is left to documents someone edits). */
	lastEditor: string | null;
	compacting: Promise<void> | null;
	pending: Set<Promise<unknown>>;
	unloadTimer: ReturnType<typeof setTimeout> | null;
}

/** An update waiting for items the server has not got (see pending-updates.ts). */
interface HeldUpdate {
	/** Its number among this connection's update-bearing messages, for the saved ack. */
	n: number;
	update: Uint8Array;
	decoded: DecodedUpdate;
	/** Hands its ack (on the connection's chain) the outcome: its append, or nothing to ack. */
	settle: (saved: Promise<unknown>) => void;
}

interface Conn {
	ws: WebSocket;
	room: Room;
	ticket: CollabTicket;
	access: AccessLevel;
	/** Update-bearing messages received, and whether acks have stopped (one was not saved). */
	received: number;
	ackBlocked: boolean;
	chain: Promise<void>;
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

/** A handshake refusal: the HTTP status written before any upgrade. */
class UpgradeRefused extends Error {
	status: number;
	constructor(status: number, message: string) {
		super(message);
		this.name = 'UpgradeRefused';
		this.status = status;
	}
}

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	503: 'Service Unavailable'
};

function defaultLog(event: string, fields: Record<string, unknown> = {}): void {
	console.error(
		JSON.stringify({ at: new Date().toISOString(), service: 'collab', event, ...fields })
	);
}

function isPgError(error: unknown, code: string): boolean {
	return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * Builds a collab server (not yet listening). No module-level state: tests and the benchmark
 * run several side by side.
 */
export function createCollabServer(options: CollabServerOptions) {
	const limits: CollabLimits = { ...DEFAULT_LIMITS, ...options.limits };
	const log = options.log ?? defaultLog;
	const unloadGraceMs = options.unloadGraceMs ?? 30_000;
	const compactAfterUpdates = options.compactAfterUpdates ?? 200;
	const accessRecheckMs = options.accessRecheckMs ?? 30_000;
	const secret =
		typeof options.ticketSecret === 'string'
			? new TextEncoder().encode(options.ticketSecret)
			: options.ticketSecret;
	const allowedOrigins = new Set(options.allowedOrigins);
	const ownsPool = !options.pool;
	const pool =
		options.pool ??
		new pg.Pool({ connectionString: options.databaseUrl, max: 10, idleTimeoutMillis: 30_000 });
	if (ownsPool) {
		pool.on('error', (error) => log('database connection lost', { error: error.message }));
	}
	const store: Store = createStore(pool, log);

	const rooms = new Map<string, Promise<Room>>();
	const loaded = new Map<string, Room>();
	const connectionsPerUser = new Map<string, number>();
	let closing = false;

	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: limits.maxPayloadBytes,
		perMessageDeflate: false,
		handleProtocols: (protocols) => (protocols.has(COLLAB_PROTOCOL) ? COLLAB_PROTOCOL : false)
	});

	const httpOptions = headerTimeoutOptions(options.headerTimeoutMs ?? DEFAULT_HEADER_TIMEOUT_MS);
	const server: Server = createServer(httpOptions, (req, res) => {
		if (req.url === '/healthz') {
			res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
			return;
		}
		// Versions and suggestions, asked by the app (requests.ts).
		if (handleRequest(req, res, { store, secret, log })) return;
		res.writeHead(426, { 'content-type': 'text/plain' }).end('Connect with a WebSocket.');
	});

	server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		socket.on('error', (error) => log('socket error during handshake', { error: error.message }));
		authorise(req)
			.then(({ ticket, access, room }) => {
				if (socket.destroyed) {
					release(ticket.sub, room);
					return;
				}
				// ws answers a malformed handshake (bad key or version) itself and never calls back:
				// give the slot and the room reservation back when that socket closes.
				let settled = false;
				const giveBack = () => {
					if (settled) return;
					settled = true;
					release(ticket.sub, room);
				};
				socket.once('close', giveBack);
				wss.handleUpgrade(req, socket, head, (ws) => {
					if (settled) {
						ws.terminate();
						return;
					}
					settled = true;
					socket.off('close', giveBack);
					setUp(ws, ticket, access, room);
				});
			})
			.catch((error: unknown) => {
				const status = error instanceof UpgradeRefused ? error.status : 500;
				log('upgrade refused', {
					status,
					reason: error instanceof Error ? error.message : String(error)
				});
				if (!socket.destroyed) {
					socket.end(
						`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
							'Connection: close\r\nContent-Length: 0\r\n\r\n'
					);
				}
			});
	});

	function userCount(sub: string, delta: number): number {
		const n = (connectionsPerUser.get(sub) ?? 0) + delta;
		if (n <= 0) connectionsPerUser.delete(sub);
		else connectionsPerUser.set(sub, n);
		return n;
	}

	async function authorise(
		req: IncomingMessage
	): Promise<{ ticket: CollabTicket; access: AccessLevel; room: Room }> {
		if (closing) throw new UpgradeRefused(503, 'server is closing');
		const origin = req.headers.origin;
		if (!origin || !allowedOrigins.has(origin)) {
			throw new UpgradeRefused(403, `origin not allowed: ${origin ?? '(none)'}`);
		}
		const offered = (req.headers['sec-websocket-protocol'] ?? '')
			.split(',')
			.map((p) => p.trim())
			.filter(Boolean);
		const token = offered.find((p) => p !== COLLAB_PROTOCOL);
		if (!offered.includes(COLLAB_PROTOCOL) || !token) {
			throw new UpgradeRefused(401, 'no ticket offered');
		}
		let ticket: CollabTicket;
		try {
			ticket = await verifyTicket(secret, token);
		} catch (error) {
			if (error instanceof TicketError) throw new UpgradeRefused(401, `ticket: ${error.message}`);
			throw error;
		}
		if (ticket.sessionExp * 1000 <= Date.now()) throw new UpgradeRefused(401, 'session ended');
		if (!UUID.test(ticket.sub)) throw new UpgradeRefused(401, 'ticket names no person');
		let documentId: string;
		try {
			const path = new URL(req.url ?? '/', 'http://collab').pathname;
			documentId = decodeURIComponent(path.split('/').filter(Boolean).pop() ?? '');
		} catch {
			// A path no URL parser or percent-decoding accepts names no document: the client's fault.
			throw new UpgradeRefused(400, 'malformed path');
		}
		if (!UUID.test(documentId) || documentId !== ticket.doc) {
			throw new UpgradeRefused(403, 'ticket is for another document');
		}
		if (userCount(ticket.sub, 1) > limits.maxConnectionsPerUser) {
			userCount(ticket.sub, -1);
			throw new UpgradeRefused(429, 'too many connections for this person');
		}
		try {
			const level = await store.access(claimsFor(ticket.sub), documentId);
			if (level === 'none') throw new UpgradeRefused(403, 'no access to this document');
			const access = minAccess(ticket.access, level);
			const room = await openRoom(documentId);
			if (access === 'edit') room.lastEditor = ticket.sub;
			return { ticket, access, room };
		} catch (error) {
			userCount(ticket.sub, -1);
			throw error;
		}
	}

	/** Loads (or joins the load of) a room and reserves it until the handshake ends. */
	async function openRoom(documentId: string): Promise<Room> {
		let entry = rooms.get(documentId);
		if (!entry) {
			entry = loadRoom(documentId);
			rooms.set(documentId, entry);
			entry.catch(() => rooms.delete(documentId));
		}
		const room = await entry;
		room.reservations++;
		if (room.unloadTimer) {
			clearTimeout(room.unloadTimer);
			room.unloadTimer = null;
		}
		return room;
	}

	async function loadRoom(documentId: string): Promise<Room> {
		const started = performance.now();
		const stored = await store.load(documentId);
		const awareness = new awarenessProtocol.Awareness(stored.doc);
		awareness.setLocalState(null);
		const room: Room = {
			id: documentId,
			doc: stored.doc,
			awareness,
			youngPersonId: stored.youngPersonId,
			writers: stored.writers,
			ownWords: new Set(
				[...stored.writers]
					.filter(([, w]) => w.writerId === stored.youngPersonId && !w.template)
					.map(([client]) => client)
			),
			conns: new Set(),
			reservations: 0,
			rowsAfterSnapshot: stored.rowsAfterSnapshot,
			lastEditor: null,
			compacting: null,
			pending: new Set(),
			unloadTimer: null
		};
		stored.doc.on('update', (update: Uint8Array, origin: unknown) => {
			const message = encodeSync(SYNC_UPDATE, update);
			for (const conn of room.conns) if (conn !== origin) send(conn, message);
		});
		awareness.on(
			'update',
			({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
				const changed = [...added, ...updated, ...removed];
				const message = encodeAwareness(
					awarenessProtocol.encodeAwarenessUpdate(awareness, changed)
				);
				for (const conn of room.conns) send(conn, message);
			}
		);
		loaded.set(documentId, room);
		log('document loaded', {
			documentId,
			ms: Math.round(performance.now() - started),
			rows: stored.rowsAfterSnapshot,
			skipped: stored.skipped
		});
		return room;
	}

	function release(sub: string, room: Room): void {
		userCount(sub, -1);
		room.reservations--;
		scheduleUnload(room);
	}

	function scheduleUnload(room: Room): void {
		if (room.conns.size > 0 || room.reservations > 0 || room.unloadTimer || closing) return;
		room.unloadTimer = setTimeout(() => {
			room.unloadTimer = null;
			void unloadRoom(room);
		}, unloadGraceMs);
	}

	/** Forgets a room: waits for its appends, compacts its log, frees its doc and timers. */
	async function unloadRoom(room: Room): Promise<void> {
		if (loaded.get(room.id) !== room) return;
		rooms.delete(room.id);
		loaded.delete(room.id);
		room.awareness.destroy();
		await Promise.allSettled([...room.pending]);
		if (room.compacting) await room.compacting;
		if (room.rowsAfterSnapshot > 0 && room.lastEditor) {
			await store
				.compact(room.id)
				.catch((error: unknown) =>
					log('compaction failed', { documentId: room.id, error: String(error) })
				);
		}
		room.doc.destroy();
		log('document unloaded', { documentId: room.id });
	}

	/**
	 * After a failed append the room's memory holds an update Postgres does not. A client
	 * connecting now would be told the server has it and never resend it, so the room is dropped:
	 * everyone reconnects (1011) to a fresh load and resends what was not acknowledged.
	 */
	function resetRoom(room: Room): void {
		if (loaded.get(room.id) !== room) return;
		rooms.delete(room.id);
		loaded.delete(room.id);
		if (room.unloadTimer) clearTimeout(room.unloadTimer);
		for (const conn of room.conns) {
			closeConn(conn, CLOSE.serverError, 'Could not save; reconnect to try again');
		}
		room.awareness.destroy();
		log('document reset after a failed save', { documentId: room.id });
	}

	function maybeCompact(room: Room): void {
		if (room.compacting || room.rowsAfterSnapshot <= compactAfterUpdates || !room.lastEditor) {
			return;
		}
		room.compacting = store
			.compact(room.id)
			.then((rows) => {
				room.rowsAfterSnapshot = Math.max(0, room.rowsAfterSnapshot - rows);
				log('document compacted', { documentId: room.id, rows });
			})
			.catch((error: unknown) =>
				log('compaction failed', { documentId: room.id, error: String(error) })
			)
			.finally(() => {
				room.compacting = null;
			});
	}

	function setUp(ws: WebSocket, ticket: CollabTicket, access: AccessLevel, room: Room): void {
		const conn: Conn = {
			ws,
			room,
			ticket,
			access,
			received: 0,
			ackBlocked: false,
			chain: Promise.resolve(),
			waiting: new WaitingUpdates<HeldUpdate>(limits, () => {
				log('update waited too long', { documentId: room.id, sub: ticket.sub });
				giveUpWaiting(conn);
			}),
			closed: false,
			alive: true,
			messages: tokenBucket(limits.messagesPerSecond, limits.messageBurst),
			bytes: tokenBucket(limits.bytesPerSecond, limits.byteBurst),
			expiryTimer: null,
			idle: idleTimer(options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, () =>
				closeConn(conn, CLOSE.idle, IDLE_CLOSED)
			),
			clientId: null,
			announced: null,
			lastAwarenessAt: 0,
			pendingAwareness: null,
			awarenessTimer: null
		};
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
		if (loaded.get(room.id) !== room) {
			// The room was reset while this handshake was under way: start again on a fresh load.
			closeConn(conn, CLOSE.serverError, 'Document reloaded; reconnect');
			return;
		}
		log('connected', { documentId: room.id, sub: ticket.sub, access });
		send(conn, encodeSync(SYNC_STEP_1, Y.encodeStateVector(room.doc)));
		send(conn, encodeOwnWords(room.ownWords));
		const states = room.awareness.getStates();
		if (states.size > 0) sendAwareness(conn, [...states.keys()]);
	}

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

	function send(conn: Conn, message: Uint8Array): void {
		if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return;
		if (conn.ws.bufferedAmount > limits.slowConsumerBytes) {
			closeConn(conn, CLOSE.policy, 'Too slow to keep up');
			return;
		}
		conn.ws.send(message, (error) => {
			if (error) log('send failed', { documentId: conn.room.id, error: error.message });
		});
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
		userCount(conn.ticket.sub, -1);
		log('disconnected', { documentId: room.id, sub: conn.ticket.sub, code });
		scheduleUnload(room);
	}

	function onMessage(conn: Conn, data: RawData, isBinary: boolean): void {
		if (conn.closed) return;
		conn.idle.heard();
		const buffer = Array.isArray(data)
			? Buffer.concat(data)
			: data instanceof ArrayBuffer
				? Buffer.from(data)
				: data;
		if (!conn.messages.take(1) || !conn.bytes.take(buffer.byteLength)) {
			closeConn(conn, CLOSE.policy, 'Too many messages');
			return;
		}
		if (!isBinary) {
			closeConn(conn, CLOSE.invalidData, 'Text messages are not accepted');
			return;
		}
		const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
		try {
			const decoder = decoding.createDecoder(bytes);
			const type = decoding.readVarUint(decoder);
			switch (type) {
				case MESSAGE_SYNC:
					onSync(conn, decoder);
					break;
				case MESSAGE_AWARENESS:
					onAwareness(conn, decoding.readVarUint8Array(decoder));
					break;
				case MESSAGE_QUERY_AWARENESS:
					sendAwareness(conn, [...conn.room.awareness.getStates().keys()]);
					break;
				case MESSAGE_REFRESH:
					onRefresh(conn, decoding.readVarString(decoder));
					break;
				default:
					closeConn(conn, CLOSE.policy, 'Unknown message type');
			}
		} catch (error) {
			log('malformed message', { documentId: conn.room.id, error: String(error) });
			closeConn(conn, CLOSE.invalidData, 'Malformed message');
		}
	}

	function onSync(conn: Conn, decoder: decoding.Decoder): void {
		const syncType = decoding.readVarUint(decoder);
		if (syncType === SYNC_STEP_1) {
			const stateVector = decoding.readVarUint8Array(decoder);
			if (conn.ticket.sub === conn.room.youngPersonId) {
				const announced = conn.announced ?? new Map<number, number>();
				for (const [client, clock] of Y.decodeStateVector(stateVector)) {
					announced.set(client, Math.max(clock, announced.get(client) ?? 0));
				}
				conn.announced = announced;
			}
			send(conn, encodeSync(SYNC_STEP_2, Y.encodeStateAsUpdate(conn.room.doc, stateVector)));
		} else if (syncType === SYNC_STEP_2 || syncType === SYNC_UPDATE) {
			onUpdate(conn, decoding.readVarUint8Array(decoder));
		} else {
			closeConn(conn, CLOSE.policy, 'Unknown sync message');
		}
	}

	function onUpdate(conn: Conn, update: Uint8Array): void {
		const n = ++conn.received;
		const { room } = conn;
		let decoded: ReturnType<typeof Y.decodeUpdate>;
		try {
			decoded = Y.decodeUpdate(update);
		} catch (error) {
			log('invalid update', { documentId: room.id, error: String(error) });
			closeConn(conn, CLOSE.invalidData, 'Invalid update');
			return;
		}
		const empty = decoded.structs.length === 0 && decoded.ds.clients.size === 0;
		if (empty) {
			ackAfter(conn, n, Promise.resolve());
			return;
		}
		if (conn.access !== 'edit') {
			// Read-only and comment-only people cannot change the text: dropped, never acknowledged.
			conn.ackBlocked = true;
			log('update dropped: no edit access', {
				documentId: room.id,
				sub: conn.ticket.sub,
				access: conn.access
			});
			return;
		}
		if (conn.ticket.sub !== room.youngPersonId) {
			// Judged only once the document holds everything it refers to (see pending-updates.ts).
			const needs = missingDependencies(room.doc, decoded);
			for (const [client, clock] of waitForYoungPerson(conn, decoded)) {
				needs.set(client, Math.max(clock, needs.get(client) ?? 0));
			}
			if (needs.size > 0) {
				hold(conn, { n, update, decoded }, needs);
				return;
			}
		}
		const saved = judgeAndApply(conn, update, decoded);
		if (!saved) return;
		ackAfter(conn, n, saved);
		releaseWaiting(room);
	}

	/**
	 * Checks an edit against the young person's words and the client ids it may write as, applies
	 * it, sends it on and appends it. The append's promise, or null if it was refused (and the
	 * connection closed).
	 */
	function judgeAndApply(
		conn: Conn,
		update: Uint8Array,
		decoded: DecodedUpdate
	): Promise<unknown> | null {
		const { room } = conn;
		const sender = conn.ticket.sub;
		const newClients = bindableClients(conn, decoded);
		if (!newClients) return null;
		// The template's headings and questions are nobody's to change, the young person's included.
		let promptChange: string | null;
		try {
			promptChange = promptRefusal(room.doc, decoded);
		} catch (error) {
			log('update could not be judged', { documentId: room.id, error: String(error) });
			closeConn(conn, CLOSE.invalidData, 'Invalid update');
			return null;
		}
		if (promptChange) {
			conn.ackBlocked = true;
			log('update refused: prompt', { documentId: room.id, sub: sender, refusal: promptChange });
			closeConn(conn, CLOSE.ownWords, PROMPT_REFUSED);
			return null;
		}
		if (sender !== room.youngPersonId) {
			let refusal: string | null;
			try {
				refusal = refusalFor(room.doc, decoded, room.ownWords);
			} catch (error) {
				log('update could not be judged', { documentId: room.id, error: String(error) });
				closeConn(conn, CLOSE.invalidData, 'Invalid update');
				return null;
			}
			if (refusal) {
				// The browser turns such edits into suggestions; one arriving anyway is not applied.
				conn.ackBlocked = true;
				log('update refused: own words', { documentId: room.id, sub: sender, refusal });
				closeConn(conn, CLOSE.ownWords, OWN_WORDS_REFUSED);
				return null;
			}
		}
		const ownWordsBefore = room.ownWords.size;
		if (newClients.length > 0 && sender === room.youngPersonId) {
			// Before the update goes out, so every editor already knows these words are theirs
			// when they arrive.
			for (const client of newClients) room.ownWords.add(client);
			const message = encodeOwnWords(room.ownWords);
			for (const other of room.conns) send(other, message);
		}
		try {
			Y.applyUpdate(room.doc, update, conn);
		} catch (error) {
			if (room.ownWords.size !== ownWordsBefore) {
				for (const client of newClients) room.ownWords.delete(client);
			}
			log('update could not be applied', { documentId: room.id, error: String(error) });
			closeConn(conn, CLOSE.invalidData, 'Invalid update');
			return null;
		}
		room.lastEditor = sender;
		for (const client of newClients) {
			room.writers.set(client, { writerId: sender, template: false });
		}
		const saved = store.append(room.id, sender, update, newClients).then(() => {
			room.rowsAfterSnapshot++;
			maybeCompact(room);
		});
		room.pending.add(saved);
		saved
			.finally(() => room.pending.delete(saved))
			.catch(() => {
				// Handled on the connection's chain below.
			});
		return saved;
	}

	/**
	 * After a crash the server can lack words the young person typed that an editor's browser
	 * had already received; that editor's sync step 2 resends them. Items under the young
	 * person's clients are accepted from nobody else (anyone could make them up), but refusing
	 * would close an honest editor with 4409. So the update waits until the young person's own
	 * browser has resent them, when they are no longer new to the server and the editor's copy
	 * is a harmless duplicate (Yjs keeps the first). Not waited for, and left to bindableClients
	 * to refuse (4409): items under the client of the young person's open editor that it has
	 * said it does not hold (its sync step 1) — a forgery, since it is the only one that types
	 * them. Returns what the update must wait for; empty when nothing.
	 */
	function waitForYoungPerson(conn: Conn, decoded: DecodedUpdate): Needs {
		const { room } = conn;
		const needs: Needs = new Map();
		const theirs = [...room.conns].filter((c) => !c.closed && c.ticket.sub === room.youngPersonId);
		for (const struct of decoded.structs) {
			if (struct instanceof Y.Skip) continue;
			const client = struct.id.client;
			const end = struct.id.clock + struct.length;
			if (end <= Y.getState(room.doc.store, client)) continue;
			const writer = room.writers.get(client);
			const speaksForThem = writer
				? writer.writerId === room.youngPersonId && !writer.template
				: theirs.some((c) => c.clientId === client);
			if (!speaksForThem) continue;
			const held = theirs.some((c) => (c.announced?.get(client) ?? 0) >= end);
			const denied = theirs.some((c) => c.clientId === client && c.announced !== null);
			if (!held && denied) continue;
			needs.set(client, Math.max(end, needs.get(client) ?? 0));
		}
		return needs;
	}

	/**
	 * Holds an update until the document has what it needs; its ack waits on the connection's
	 * chain, so nothing after it is acknowledged first. Past a bound: closed, to reconnect and
	 * resend.
	 */
	function hold(conn: Conn, held: Omit<HeldUpdate, 'settle'>, needs: Needs): void {
		let settle: (saved: Promise<unknown>) => void = () => {};
		const outcome = new Promise<unknown>((resolve) => {
			settle = resolve;
		});
		if (!conn.waiting.hold({ ...held, settle }, needs, held.update.byteLength)) {
			log('too much waiting', {
				documentId: conn.room.id,
				sub: conn.ticket.sub,
				updates: conn.waiting.size,
				bytes: conn.waiting.bytes
			});
			giveUpWaiting(conn);
			return;
		}
		log('update held', { documentId: conn.room.id, sub: conn.ticket.sub, needs: needs.size });
		ackAfter(conn, held.n, outcome);
	}

	/**
	 * Judges every waiting update whose needs the room's document now meets, in arrival order per
	 * connection, until none is left that can go (one applied can free others, anywhere).
	 */
	function releaseWaiting(room: Room): void {
		let progress = true;
		while (progress) {
			progress = false;
			for (const conn of room.conns) {
				if (conn.closed || conn.waiting.size === 0) continue;
				let held = conn.waiting.takeReady(room.doc);
				while (held) {
					const saved = judgeAndApply(conn, held.update, held.decoded);
					held.settle(saved ?? Promise.resolve());
					if (!saved || conn.closed) break;
					progress = true;
					held = conn.waiting.takeReady(room.doc);
				}
			}
		}
	}

	/** Waiting ran past a bound: nothing was refused; the client reconnects and resends. */
	function giveUpWaiting(conn: Conn): void {
		conn.ackBlocked = true;
		closeConn(conn, CLOSE.resend, RESEND_NEEDED);
		dropWaiting(conn);
	}

	/** Lets go of a closing connection's waiting updates: never acknowledged, so resent later. */
	function dropWaiting(conn: Conn): void {
		for (const held of conn.waiting.drain()) held.settle(Promise.resolve());
	}

	/**
	 * The client id this update binds to its sender: the connection's own (the id its caret
	 * speaks for), if the update is the first to use it. Null (and the connection closed) if
	 * someone else's update creates items that would speak for the young person. Other unbound
	 * clients are let through and stay unbound: after a crash, a browser resends edits it
	 * received that the server never saved, and they must not become the resender's (or the
	 * young person's) words.
	 */
	function bindableClients(
		conn: Conn,
		decoded: ReturnType<typeof Y.decodeUpdate>
	): number[] | null {
		const { room } = conn;
		const sender = conn.ticket.sub;
		const unbound: number[] = [];
		for (const client of clientsCreatedBy(room.doc, decoded)) {
			const writer = room.writers.get(client);
			// Speaking for the young person: under a client bound to them, or under the caret of
			// their open editor before its first edit has bound it. (Anything else someone resends
			// is harmless: it stays unbound, nobody's own words.)
			const forged =
				sender !== room.youngPersonId &&
				(writer
					? writer.writerId === room.youngPersonId && !writer.template
					: [...room.conns].some(
							(c) => c !== conn && c.clientId === client && c.ticket.sub === room.youngPersonId
						));
			if (forged) {
				conn.ackBlocked = true;
				log('update refused: client id of another person', { documentId: room.id, sub: sender });
				closeConn(
					conn,
					CLOSE.ownWords,
					'That change claimed to be someone else’s, so it was not saved.'
				);
				return null;
			}
			if (!writer) unbound.push(client);
		}
		// A connection that has not said which client it is (no caret yet) is the one it writes as.
		if (conn.clientId === null && unbound.length === 1) conn.clientId = unbound[0] as number;
		return unbound.filter((client) => client === conn.clientId);
	}

	/** Acknowledges message n once it (and every earlier one) is saved, in order. */
	function ackAfter(conn: Conn, n: number, saved: Promise<unknown>): void {
		conn.chain = conn.chain
			.then(() => saved)
			.then(
				() => {
					if (conn.ackBlocked) return;
					send(conn, encodeSaved(n));
				},
				(error: unknown) => {
					conn.ackBlocked = true;
					if (isPgError(error, '42501')) {
						log('append refused', { documentId: conn.room.id, sub: conn.ticket.sub });
						closeConn(conn, CLOSE.accessRemoved, 'You can no longer edit this document');
					} else {
						log('append failed', { documentId: conn.room.id, error: String(error) });
						closeConn(conn, CLOSE.serverError, 'Could not save; reconnect to try again');
					}
					resetRoom(conn.room);
				}
			);
	}

	function onAwareness(conn: Conn, update: Uint8Array): void {
		const decoder = decoding.createDecoder(update);
		const count = decoding.readVarUint(decoder);
		const encoder = encoding.createEncoder();
		const kept: Array<{ clientId: number; clock: number; state: string }> = [];
		for (let i = 0; i < count; i++) {
			const clientId = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			const raw = JSON.parse(decoding.readVarString(decoder)) as unknown;
			// A connection speaks only for itself, and cannot claim a caret another one already has.
			if (conn.clientId === null) {
				const taken = [...conn.room.conns].some((c) => c !== conn && c.clientId === clientId);
				if (taken) continue;
				conn.clientId = clientId;
			}
			if (clientId !== conn.clientId) continue;
			kept.push({ clientId, clock, state: JSON.stringify(sanitise(conn, raw)) });
		}
		if (kept.length === 0) return;
		encoding.writeVarUint(encoder, kept.length);
		for (const k of kept) {
			encoding.writeVarUint(encoder, k.clientId);
			encoding.writeVarUint(encoder, k.clock);
			encoding.writeVarString(encoder, k.state);
		}
		conn.pendingAwareness = encoding.toUint8Array(encoder);
		const wait = conn.lastAwarenessAt + limits.awarenessIntervalMs - performance.now();
		if (wait <= 0) flushAwareness(conn);
		else
			conn.awarenessTimer ??= setTimeout(() => {
				conn.awarenessTimer = null;
				flushAwareness(conn);
			}, wait);
	}

	function flushAwareness(conn: Conn): void {
		const pending = conn.pendingAwareness;
		if (!pending || conn.closed) return;
		conn.pendingAwareness = null;
		conn.lastAwarenessAt = performance.now();
		awarenessProtocol.applyAwarenessUpdate(conn.room.awareness, pending, conn);
	}

	/** Keeps only a caret, and the name and colour from the ticket: nothing else personal. */
	function sanitise(conn: Conn, raw: unknown): Record<string, unknown> | null {
		if (raw === null || typeof raw !== 'object') return null;
		const { name, colour } = conn.ticket;
		const state: Record<string, unknown> = { user: { name, colour, color: colour } };
		const cursor = (raw as Record<string, unknown>).cursor;
		if (cursor !== undefined && JSON.stringify(cursor).length <= limits.maxCursorChars) {
			state.cursor = cursor;
		}
		return state;
	}

	function onRefresh(conn: Conn, token: string): void {
		verifyTicket(secret, token)
			.then(async (ticket) => {
				if (ticket.sub !== conn.ticket.sub || ticket.doc !== conn.ticket.doc) {
					throw new TicketError('refresh is for another person or document');
				}
				const level = await store.access(claimsFor(ticket.sub), ticket.doc);
				if (level === 'none') {
					closeConn(conn, CLOSE.accessRemoved, 'Your access to this document was removed');
					return;
				}
				conn.ticket = { ...ticket, name: conn.ticket.name, colour: conn.ticket.colour };
				conn.access = minAccess(ticket.access, level);
				if (conn.closed) return;
				setExpiry(conn);
				log('session refreshed', { documentId: conn.room.id, sub: ticket.sub });
			})
			.catch((error: unknown) => {
				log('refresh refused', { documentId: conn.room.id, error: String(error) });
				closeConn(conn, CLOSE.sessionEnded, 'Your session could not be renewed. Sign in again.');
			});
	}

	/** Closes connections whose person lost access (4403); a lowered level closes too. */
	async function recheck(conns: Conn[]): Promise<void> {
		await Promise.all(
			conns.map(async (conn) => {
				if (conn.closed) return;
				try {
					const level = await store.access(claimsFor(conn.ticket.sub), conn.room.id);
					if (level === 'none') {
						closeConn(conn, CLOSE.accessRemoved, 'Your access to this document was removed');
					} else if (accessRank(level) < accessRank(conn.access)) {
						closeConn(conn, CLOSE.accessRemoved, 'Your access to this document changed');
					}
				} catch (error) {
					log('access re-check failed', { documentId: conn.room.id, error: String(error) });
				}
			})
		);
	}

	function connsOf(filter: (room: Room) => boolean): Conn[] {
		return [...loaded.values()].filter(filter).flatMap((room) => [...room.conns]);
	}

	// LISTEN on a dedicated connection; reconnect (and re-check everyone) if it drops.
	let listener: pg.PoolClient | null = null;
	const released = new WeakSet<pg.PoolClient>();
	let listenRetry: ReturnType<typeof setTimeout> | null = null;
	async function listen(): Promise<void> {
		try {
			const client = await pool.connect();
			client.on('notification', (message) => {
				if (message.channel !== 'document_access_changed' || !message.payload) return;
				const youngPersonId = message.payload;
				void recheck(connsOf((room) => room.youngPersonId === youngPersonId));
			});
			client.on('error', (error) => {
				// After close() has let it go, the connection's end is expected, not a loss.
				if (released.has(client)) return;
				released.add(client);
				log('access listener lost', { error: error.message });
				client.release(error);
				if (listener === client) listener = null;
				if (!closing) listenRetry = setTimeout(() => void listen(), 1_000);
			});
			await client.query('listen document_access_changed');
			listener = client;
			void recheck(connsOf(() => true));
		} catch (error) {
			log('access listener failed to start', { error: String(error) });
			if (!closing) listenRetry = setTimeout(() => void listen(), 1_000);
		}
	}
	const listenerReady = listen();
	const periodic = setInterval(() => void recheck(connsOf(() => true)), accessRecheckMs);
	periodic.unref();
	const pinger = setInterval(() => {
		for (const conn of connsOf(() => true)) {
			if (!conn.alive) {
				log('no answer to ping', { documentId: conn.room.id, sub: conn.ticket.sub });
				conn.ws.terminate();
				continue;
			}
			conn.alive = false;
			conn.ws.ping();
		}
	}, options.pingIntervalMs ?? 30_000);
	pinger.unref();
	const sessionRecheck = startSessionRecheck({
		pool,
		intervalMs: options.sessionRecheckMs ?? DEFAULT_SESSION_RECHECK_MS,
		idleSeconds: options.sessionIdleSeconds ?? DEFAULT_SESSION_IDLE_HOURS * 3600,
		holders: () =>
			connsOf(() => true).map((conn) => {
				const { sub, sessionId } = conn.ticket;
				return {
					sub,
					sessionId,
					// The ticket may have been renewed under a new session while the query ran: only
					// the session that was asked about ends the socket.
					end: () => {
						if (conn.ticket.sessionId === sessionId) {
							closeConn(conn, CLOSE.sessionEnded, SESSION_ENDED);
						}
					}
				};
			}),
		log
	});

	return {
		server,
		/** Starts listening; resolves with the port (use 0 for any free port). */
		async listen(port: number, host = '127.0.0.1'): Promise<number> {
			await listenerReady;
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, host, () => {
					server.off('error', reject);
					resolve();
				});
			});
			return (server.address() as AddressInfo).port;
		},
		/** Closes every connection (1001), compacts and unloads documents, ends the pool it made. */
		async close(): Promise<void> {
			closing = true;
			clearInterval(periodic);
			clearInterval(pinger);
			sessionRecheck.stop();
			if (listenRetry) clearTimeout(listenRetry);
			for (const room of loaded.values()) {
				if (room.unloadTimer) clearTimeout(room.unloadTimer);
				for (const conn of room.conns) closeConn(conn, CLOSE.goingAway, 'Server restarting');
			}
			for (const ws of wss.clients) ws.terminate();
			await Promise.allSettled([...loaded.values()].map((room) => unloadRoom(room)));
			if (listener) {
				released.add(listener);
				// Destroy rather than return it: a pooled connection must not stay LISTENing.
				listener.release(true);
				listener = null;
			}
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
			wss.close();
			if (ownsPool) await pool.end();
		},
		/** For tests and the benchmark: how many documents are in memory. */
		loadedDocuments(): number {
			return loaded.size;
		}
	};
}

export type CollabServer = ReturnType<typeof createCollabServer>;
