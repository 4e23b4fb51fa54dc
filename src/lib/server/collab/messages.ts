import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { RawData } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { CollabLimits } from './limits.ts';
import { claimsFor, minAccess, type Store } from './store.ts';
import {
	MESSAGE_AWARENESS,
	MESSAGE_QUERY_AWARENESS,
	MESSAGE_REFRESH,
	MESSAGE_SYNC,
	SYNC_STEP_1,
	SYNC_STEP_2,
	SYNC_UPDATE,
	encodeSync
} from '../../collab/protocol.ts';
import { MAX_CLIENT_ID } from './sql.ts';
import { TicketError, verifyTicket } from './ticket.ts';
import { CLOSE, type Conn, type ConnectionIo } from './connection.ts';
import type { Edits } from './edits.ts';
import type { CollabLog } from './server.ts';

/**
 * What a connection says (Hocuspocus's MessageReceiver). Every message is first charged to the
 * connection's rate limits (1008 past them), must be binary (1007 otherwise) and is decoded here:
 * a malformed one closes its connection (1007), never the server. Sync step 1 is answered with
 * what the client lacks, awareness (carets) is cut down to what may be shared and throttled, a
 * refresh renews the session; sync step 2 and updates go to edits.ts.
 *
 * Message types (first varuint): 0 sync, 1 awareness, 3 query awareness (as y-websocket), plus
 * 100 server→client "saved" `[100, n]`: the first n update-bearing messages (sync step 2 and
 * update) this connection sent are committed to Postgres; and 101 client→server
 * `[101, ticket]`: a fresh ticket for the same person and document, which moves the session end.
 */

export interface MessagesOptions {
	limits: CollabLimits;
	log: CollabLog;
	secret: Uint8Array;
	store: Pick<Store, 'access'>;
	io: ConnectionIo;
	edits: Pick<Edits, 'onUpdate'>;
}

export function createMessages(options: MessagesOptions) {
	const { limits, log, secret, store } = options;
	const { setExpiry, sendAwareness, send, closeConn, flushIfDue } = options.io;
	const { onUpdate } = options.edits;

	function onMessage(conn: Conn, data: RawData, isBinary: boolean): void {
		if (conn.closed) return;
		// What earlier messages in this turn sent leaves before this one is worked on, once it
		// has waited long enough (connection.ts).
		flushIfDue();
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

	function onAwareness(conn: Conn, update: Uint8Array): void {
		const decoder = decoding.createDecoder(update);
		const count = decoding.readVarUint(decoder);
		const encoder = encoding.createEncoder();
		const kept: Array<{ clientId: number; clock: number; state: string }> = [];
		for (let i = 0; i < count; i++) {
			const clientId = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			const raw = JSON.parse(decoding.readVarString(decoder)) as unknown;
			// Not a client id Yjs makes, so never one this connection writes as (edits.ts).
			if (clientId > MAX_CLIENT_ID) continue;
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

	return { onMessage };
}
