import type pg from 'pg';
import { accessRank, claimsFor, type Store } from './store.ts';
import { SESSION_ENDED } from '../../collab/protocol.ts';
import { startSessionRecheck } from './session-recheck.ts';
import { CLOSE, type Conn, type ConnectionIo } from './connection.ts';
import type { Room } from './room.ts';
import type { CollabLog } from './server.ts';

/**
 * Access follows the circle live. A socket outlives its one-minute ticket by hours, so whether
 * its person may still be there is asked again: when Postgres notifies document_access_changed
 * for a young person (LISTEN, on a connection of its own that reconnects, and re-checks everyone,
 * if it drops), every accessRecheckMs as a safety net behind LISTEN, and, for the session behind
 * each socket, every sessionRecheckMs (session-recheck.ts). Access gone or lowered closes with
 * 4403; a session over closes with 4401.
 */

export interface RevocationOptions {
	pool: pg.Pool;
	store: Pick<Store, 'access'>;
	log: CollabLog;
	closeConn: ConnectionIo['closeConn'];
	/** The open connections of the rooms `filter` picks. */
	connsOf: (filter: (room: Room) => boolean) => Conn[];
	isClosing: () => boolean;
	accessRecheckMs: number;
	sessionRecheckMs: number;
	sessionIdleSeconds: number;
}

export function startRevocation(options: RevocationOptions) {
	const { pool, store, log, closeConn, connsOf, isClosing, accessRecheckMs } = options;

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
				if (!isClosing()) listenRetry = setTimeout(() => void listen(), 1_000);
			});
			await client.query('listen document_access_changed');
			listener = client;
			void recheck(connsOf(() => true));
		} catch (error) {
			log('access listener failed to start', { error: String(error) });
			if (!isClosing()) listenRetry = setTimeout(() => void listen(), 1_000);
		}
	}
	const listenerReady = listen();
	const periodic = setInterval(() => void recheck(connsOf(() => true)), accessRecheckMs);
	periodic.unref();
	const sessionRecheck = startSessionRecheck({
		pool,
		intervalMs: options.sessionRecheckMs,
		idleSeconds: options.sessionIdleSeconds,
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
		/** Settles once LISTEN has started, or failed and been scheduled to try again. */
		ready: listenerReady,
		/** Stops the re-checks and any retry of LISTEN. */
		stop(): void {
			clearInterval(periodic);
			sessionRecheck.stop();
			if (listenRetry) clearTimeout(listenRetry);
		},
		/** Lets the LISTEN connection go (after the rooms have unloaded). */
		closeListener(): void {
			if (listener) {
				released.add(listener);
				// Destroy rather than return it: a pooled connection must not stay LISTENing.
				listener.release(true);
				listener = null;
			}
		}
	};
}
