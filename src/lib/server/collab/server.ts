import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { WebSocketServer } from 'ws';
import { DEFAULT_LIMITS, type CollabLimits } from './limits.ts';
import { handleRequest } from './requests.ts';
import { createStore, type Store } from './store.ts';
import { COLLAB_PROTOCOL } from './ticket.ts';
import {
	DEFAULT_LEASE_MS,
	DEFAULT_SESSION_IDLE_HOURS,
	DEFAULT_SESSION_RECHECK_MS
} from './config.ts';
import {
	DEFAULT_HEADER_TIMEOUT_MS,
	DEFAULT_IDLE_TIMEOUT_MS,
	headerTimeoutOptions
} from './timeouts.ts';
import { createAdmission } from './admission.ts';
import { CLOSE, createConnectionIo, createConnections, startPings } from './connection.ts';
import { createEdits } from './edits.ts';
import { createAdditions } from './additions.ts';
import { createLeases } from './lease.ts';
import { createMessages } from './messages.ts';
import { startRevocation } from './revocation.ts';
import { createRooms } from './room.ts';
import { createCompactionSlots } from './compaction-slots.ts';

/**
 * The collab server: y-websocket's protocol, with authorisation at the upgrade, durable saved
 * acknowledgements, access that follows the circle live, and limits. See docs/architecture.md.
 *
 * This file wires the parts together and owns the HTTP server, its start and its stop. The parts,
 * one job each (after Hocuspocus's Server / Document / Connection / MessageReceiver):
 *
 *   admission.ts   the upgrade, before any websocket: Origin, ticket, document, slots, access
 *   lease.ts       this node in the cluster: document leases (take, renew, release) and the
 *                  per-person connection slots, both in Postgres
 *   room.ts        a document in memory: load (under its lease), fan-out, compaction (a few
 *                  at a time: compaction-slots.ts), and its ways out: unload, handover, drain,
 *                  reset, lost lease
 *   connection.ts  one socket: close codes, state, sending and closing, timers, set-up, clean-up
 *   messages.ts    what a socket says: rate limits, decoding, sync, awareness, refresh
 *   edits.ts       an update's way to "saved": judged, held, applied, appended, acknowledged
 *   revocation.ts  closing sockets whose person lost access or whose session ended
 *   store.ts       Postgres (commits.ts: the group commit of appends; sql.ts: its pieces)
 *
 * What they use: ticket.ts, limits.ts, timeouts.ts, pending-updates.ts, session-recheck.ts;
 * requests.ts answers the app's plain HTTP requests (versions, suggestions, additions from forms
 * without JavaScript, which additions.ts turns into the person's edit); main.ts and
 * config.ts start the process.
 *
 * Any number of these servers may share one database: a document is served by one at a time, the
 * holder of its lease (lease.ts), and every write checks the lease in its own transaction
 * (commits.ts, store.ts). `close()` drains: no new upgrades (503), every room flushed, compacted
 * and released, its clients closed with 1012 so they reconnect to another node at once.
 */
export { CLOSE };

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
	/**
	 * At most this many compactions at once on this node (default 2); the rest wait their turn,
	 * so compactions never take every pool connection from the appends (compaction-slots.ts).
	 */
	maxConcurrentCompactions?: number;
	/** Safety net behind LISTEN: every live connection's access is re-checked this often. */
	accessRecheckMs?: number;
	/** Sockets that do not answer a ping within this long are dropped (a vanished phone). */
	pingIntervalMs?: number;
	/** How often the sessions behind all open sockets are asked after (session-recheck.ts). */
	sessionRecheckMs?: number;
	/** The app's idle limit (SESSION_IDLE_HOURS), in seconds: a session unused longer is over. */
	sessionIdleSeconds?: number;
	/**
	 * How long a document's lease lasts unless renewed (renewed every third of it): how soon a
	 * dead node's documents can move (COLLAB_LEASE_MS; lease.ts).
	 */
	leaseMs?: number;
	/** How long a handshake waits for another node to let its document go before a 503. */
	leaseWaitMs?: number;
	/** An HTTP request's headers must be complete within this long (timeouts.ts). */
	headerTimeoutMs?: number;
	/** A websocket that sends no message for this long is closed (timeouts.ts). */
	idleTimeoutMs?: number;
	log?: CollabLog;
}

function defaultLog(event: string, fields: Record<string, unknown> = {}): void {
	console.error(
		JSON.stringify({ at: new Date().toISOString(), service: 'collab', event, ...fields })
	);
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
	let closing = false;
	const isClosing = () => closing;
	const leases = createLeases({
		pool,
		log,
		leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
		acquireWaitMs: options.leaseWaitMs
	});

	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: limits.maxPayloadBytes,
		perMessageDeflate: false,
		handleProtocols: (protocols) => (protocols.has(COLLAB_PROTOCOL) ? COLLAB_PROTOCOL : false)
	});

	// The parts (see above), each given only what it uses.
	const io = createConnectionIo(limits, log);
	const rooms = createRooms({
		store,
		leases,
		log,
		io,
		unloadGraceMs,
		compactAfterUpdates,
		compactionSlots: createCompactionSlots(options.maxConcurrentCompactions ?? 2),
		isClosing
	});
	const edits = createEdits({ log, store, io, rooms });
	const messages = createMessages({ limits, log, secret, store, io, edits });
	const additions = createAdditions({ limits, log, store, rooms, edits });
	const connections = createConnections({
		limits,
		log,
		idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
		io,
		rooms,
		edits,
		closeSlot: leases.closeSlot,
		onMessage: messages.onMessage
	});
	const upgrade = createAdmission({
		limits,
		log,
		secret,
		allowedOrigins,
		store,
		rooms,
		slots: leases,
		isClosing,
		wss,
		setUp: connections.setUp
	});

	const httpOptions = headerTimeoutOptions(options.headerTimeoutMs ?? DEFAULT_HEADER_TIMEOUT_MS);
	const server: Server = createServer(httpOptions, (req, res) => {
		if (req.url === '/healthz') {
			// Draining: a proxy's health check takes this node out before its sockets close.
			if (closing) res.writeHead(503, { 'content-type': 'text/plain' }).end('draining');
			else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
			return;
		}
		// Versions, suggestions and additions from forms, asked by the app (requests.ts).
		if (handleRequest(req, res, { store, secret, log, additions })) return;
		res.writeHead(426, { 'content-type': 'text/plain' }).end('Connect with a WebSocket.');
	});

	server.on('upgrade', upgrade);

	const revocation = startRevocation({
		pool,
		store,
		log,
		closeConn: io.closeConn,
		connsOf: rooms.connsOf,
		isClosing,
		accessRecheckMs,
		sessionRecheckMs: options.sessionRecheckMs ?? DEFAULT_SESSION_RECHECK_MS,
		sessionIdleSeconds: options.sessionIdleSeconds ?? DEFAULT_SESSION_IDLE_HOURS * 3600
	});
	const pinger = startPings(options.pingIntervalMs ?? 30_000, () => rooms.connsOf(() => true), log);

	/** See close(). */
	async function drain(): Promise<void> {
		closing = true;
		revocation.stop();
		clearInterval(pinger);
		await leases.drain();
		await rooms.leaveAll();
		// Let the 1012 close frames reach the clients; any socket still open after that goes.
		const closedBy = performance.now() + 2_000;
		while (wss.clients.size > 0 && performance.now() < closedBy) {
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		for (const ws of wss.clients) ws.terminate();
		await leases.stop();
		revocation.closeListener();
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
		wss.close();
		if (ownsPool) await pool.end();
	}

	let closed: Promise<void> | null = null;
	return {
		server,
		/** Starts listening; resolves with the port (use 0 for any free port). */
		async listen(port: number, host = '127.0.0.1'): Promise<number> {
			await revocation.ready;
			// Recorded as a node (connection slots need it) and renewing, before the first upgrade.
			await leases.start(rooms.leaseEvents);
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, host, () => {
					server.off('error', reject);
					resolve();
				});
			});
			return (server.address() as AddressInfo).port;
		},
		/**
		 * Drains (SIGTERM): refuses new upgrades (503); every room takes no new edits, flushes and
		 * acknowledges its appends, compacts, releases its lease and closes its clients with 1012,
		 * so they reconnect to another node at once; then the sockets, the listener and the pool it
		 * made are closed.
		 */
		close(): Promise<void> {
			// A second signal during the drain waits for the same drain.
			closed ??= drain();
			return closed;
		},
		/** This node's id in private.collab_nodes and the leases (tests, logs). */
		nodeId: leases.nodeId,
		/**
		 * Tests: stop (true) or restart (false) renewing this node's leases, as a process paused
		 * past its lease would, without pausing anything else.
		 */
		pauseLeaseRenewals(pause: boolean): void {
			leases.pauseRenewals(pause);
		},
		/** For tests and the benchmark: how many documents are in memory. */
		loadedDocuments(): number {
			return rooms.loadedCount();
		}
	};
}

export type CollabServer = ReturnType<typeof createCollabServer>;
