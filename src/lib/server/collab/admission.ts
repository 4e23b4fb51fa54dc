import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { CollabLimits } from './limits.ts';
import { claimsFor, minAccess, type AccessLevel, type Store, UUID } from './store.ts';
import { COLLAB_PROTOCOL, TicketError, verifyTicket, type CollabTicket } from './ticket.ts';
import { isLeaseLost, LeaseBusy, type Leases } from './lease.ts';
import type { Room, Rooms } from './room.ts';
import type { CollabLog } from './server.ts';

/**
 * Admission: everything decided about a websocket upgrade before ws is given the socket, so that
 * a refusal is a plain HTTP status and no websocket is ever opened for it. In order: the server
 * is not closing (503); the Origin is on the allow-list (403); a ticket is offered as a
 * Sec-WebSocket-Protocol value beside ours (401), verifies, and its session has not ended (401);
 * the path names the ticket's document (400, 403); the person has a free connection slot (429);
 * the database says they may see the document now (403), and the lower of that and the ticket's
 * access is theirs. Then the document's room is loaded or joined, and reserved until the
 * handshake is over; a document another node keeps past the wait for its lease is refused 503
 * (try again), as is every handshake while the server drains.
 */

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

export interface AdmissionOptions {
	limits: CollabLimits;
	log: CollabLog;
	secret: Uint8Array;
	/** Exact Origin header values allowed to connect. */
	allowedOrigins: Set<string>;
	store: Pick<Store, 'access'>;
	rooms: Pick<Rooms, 'openRoom' | 'unreserve'>;
	/**
	 * Open connections per person (limits.maxConnectionsPerUser), counted in Postgres across every
	 * node (lease.ts): taken here, given back when the handshake fails or the connection closes.
	 */
	slots: Pick<Leases, 'openSlot' | 'closeSlot'>;
	isClosing: () => boolean;
	wss: WebSocketServer;
	/** Takes over a socket ws has upgraded (connection.ts). */
	setUp: (
		ws: WebSocket,
		ticket: CollabTicket,
		access: AccessLevel,
		room: Room,
		slot: string
	) => void;
}

/** The HTTP server's 'upgrade' listener. */
export function createAdmission(options: AdmissionOptions) {
	const { limits, log, secret, allowedOrigins, store, slots, isClosing, wss, setUp } = options;
	const { openRoom, unreserve } = options.rooms;

	function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
		socket.on('error', (error) => log('socket error during handshake', { error: error.message }));
		authorise(req)
			.then(({ ticket, access, room, slot }) => {
				if (socket.destroyed) {
					release(slot, room);
					return;
				}
				// ws answers a malformed handshake (bad key or version) itself and never calls back:
				// give the slot and the room reservation back when that socket closes.
				let settled = false;
				const giveBack = () => {
					if (settled) return;
					settled = true;
					release(slot, room);
				};
				socket.once('close', giveBack);
				wss.handleUpgrade(req, socket, head, (ws) => {
					if (settled) {
						ws.terminate();
						return;
					}
					settled = true;
					socket.off('close', giveBack);
					setUp(ws, ticket, access, room, slot);
				});
			})
			.catch((error: unknown) => {
				// A document another node kept, or lost while it loaded: try again (503).
				const status =
					error instanceof UpgradeRefused
						? error.status
						: error instanceof LeaseBusy || isLeaseLost(error)
							? 503
							: 500;
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
	}

	async function authorise(
		req: IncomingMessage
	): Promise<{ ticket: CollabTicket; access: AccessLevel; room: Room; slot: string }> {
		if (isClosing()) throw new UpgradeRefused(503, 'server is closing');
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
		// One spelling per document (leases and rooms are keyed by it).
		documentId = documentId.toLowerCase();
		const slot = randomUUID();
		if (!(await slots.openSlot(slot, ticket.sub, limits.maxConnectionsPerUser))) {
			throw new UpgradeRefused(429, 'too many connections for this person');
		}
		try {
			const level = await store.access(claimsFor(ticket.sub), documentId);
			if (level === 'none') throw new UpgradeRefused(403, 'no access to this document');
			const access = minAccess(ticket.access, level);
			if (isClosing()) throw new UpgradeRefused(503, 'server is closing');
			const room = await openRoom(documentId);
			if (access === 'edit') room.lastEditor = ticket.sub;
			return { ticket, access, room, slot };
		} catch (error) {
			slots.closeSlot(slot);
			throw error;
		}
	}

	/** A handshake is over: the person's slot and the room's reservation are given back. */
	function release(slot: string, room: Room): void {
		slots.closeSlot(slot);
		unreserve(room);
	}

	return upgrade;
}
