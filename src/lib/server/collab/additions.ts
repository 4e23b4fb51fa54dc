import { WebSocket } from 'ws';
import * as decoding from 'lib0/decoding';
import { MESSAGE_SAVED } from '../../collab/protocol.ts';
import {
	additionLines,
	additionUpdate,
	freshClientId,
	type AdditionProblem
} from '../../collab/section-additions.ts';
import type { CollabLimits } from './limits.ts';
import { claimsFor, minAccess, type Store } from './store.ts';
import type { CollabTicket } from './ticket.ts';
import { CLOSE, newConn } from './connection.ts';
import type { Edits } from './edits.ts';
import { isLeaseLost, LeaseBusy } from './lease.ts';
import type { Room, Rooms } from './room.ts';
import type { CollabLog } from './server.ts';

/**
 * "Add to this section" from a plain form (no JavaScript, so no websocket): the app posts the
 * person's words here with their ticket, and they become that person's own edit by exactly the
 * websocket's way. The words are turned into the Yjs update their editor would have sent (a
 * client id of their own, paragraphs at the end of the section), and the update is handed to
 * edits.ts's `onUpdate` on a connection that has no socket: judged (own words, prompts, client
 * ids), applied to the room (so every connected editor sees it at once), appended through
 * `private.append_updates` as the person (access checked by the database, provenance bound to
 * them) and acknowledged only once committed. The answer is that acknowledgement, or the
 * refusal the socket would have been closed with.
 */

/** What became of an addition. */
export type AdditionOutcome =
	| { saved: true }
	| { saved: false; status: 403 | 422; reason: AdditionProblem | 'no such section' | 'refused' }
	| { saved: false; status: 503; reason: 'not saved' };

/**
 * A socket that is not one: it keeps what edits.ts sends (the saved acknowledgement) and how it
 * closes it (a refusal), so the request can answer with them. Only the members connection.ts's
 * send and close use are real.
 */
class HeadlessSocket {
	readyState: number = WebSocket.OPEN;
	readonly bufferedAmount = 0;
	savedCount = 0;
	closedWith: { code: number; reason: string } | null = null;

	send(message: Uint8Array, callback?: (error?: Error) => void): void {
		const decoder = decoding.createDecoder(message);
		if (decoding.readVarUint(decoder) === MESSAGE_SAVED) {
			this.savedCount = decoding.readVarUint(decoder);
		}
		callback?.();
	}

	close(code: number, reason: string): void {
		this.closedWith = { code, reason };
		this.readyState = WebSocket.CLOSED;
	}

	terminate(): void {
		this.readyState = WebSocket.CLOSED;
	}

	ping(): void {}
}

export interface AdditionsOptions {
	limits: CollabLimits;
	log: CollabLog;
	store: Pick<Store, 'access'>;
	rooms: Pick<Rooms, 'openRoom' | 'unreserve'>;
	edits: Pick<Edits, 'onUpdate' | 'dropWaiting' | 'giveUpWaiting'>;
}

export function createAdditions(options: AdditionsOptions) {
	const { limits, log, store, edits } = options;
	const { openRoom, unreserve } = options.rooms;

	/**
	 * Adds `text` to `section` of the ticket's document as the ticket's person. `documentId` is
	 * already checked against the ticket. Like a handshake, it takes the document's lease first
	 * (openRoom: asking another node to hand it over if need be); if that node keeps it, or this
	 * one is draining, the answer is 503 and the form keeps the words to send again.
	 */
	async function add(
		ticket: CollabTicket,
		documentId: string,
		section: string,
		text: string
	): Promise<AdditionOutcome> {
		const parsed = additionLines(text);
		if ('problem' in parsed) return { saved: false, status: 422, reason: parsed.problem };
		// The same access check as a handshake: the database's answer now, never more than the
		// ticket says. (private.append_updates checks again, as the person, when it stores it.)
		const access = minAccess(ticket.access, await store.access(claimsFor(ticket.sub), documentId));
		if (access !== 'edit') {
			log('addition refused: no edit access', { documentId, sub: ticket.sub, access });
			return { saved: false, status: 403, reason: 'refused' };
		}
		let room: Room;
		try {
			room = await openRoom(documentId);
		} catch (error) {
			if (!(error instanceof LeaseBusy) && !isLeaseLost(error)) throw error;
			log('addition not saved: document served elsewhere', { documentId, sub: ticket.sub });
			return { saved: false, status: 503, reason: 'not saved' };
		}
		try {
			const clientId = freshClientId(room.doc, room.provenance.writers);
			// Built and handed over in one synchronous step, so the room cannot change in between
			// and the update never waits for anything.
			const update = additionUpdate(room.doc, section, parsed.lines, clientId);
			if (!update) return { saved: false, status: 422, reason: 'no such section' };
			const socket = new HeadlessSocket();
			const conn = newConn(limits, {
				// The only stand-in: what edits.ts and connection.ts call on a socket (see above).
				ws: socket as unknown as WebSocket,
				room,
				ticket,
				access: 'edit',
				clientId,
				// As for a socket: closed, its held update settled, so the answer (503: not saved)
				// comes and the room is let go. It can be held only when the room's document holds
				// items Yjs could not place (an unreadable stored row), which the addition carries.
				onWaitedTooLong: () => edits.giveUpWaiting(conn)
			});
			room.lastEditor = ticket.sub;
			edits.onUpdate(conn, update);
			await conn.chain;
			edits.dropWaiting(conn);
			if (socket.savedCount === 1 && !conn.ackBlocked) {
				log('addition saved', { documentId, sub: ticket.sub, lines: parsed.lines.length });
				return { saved: true };
			}
			log('addition not saved', { documentId, sub: ticket.sub, closed: socket.closedWith });
			const code = socket.closedWith?.code;
			if (code === CLOSE.ownWords || code === CLOSE.accessRemoved)
				return { saved: false, status: 403, reason: 'refused' };
			return { saved: false, status: 503, reason: 'not saved' };
		} finally {
			unreserve(room);
		}
	}

	return { add };
}

export type Additions = ReturnType<typeof createAdditions>;
