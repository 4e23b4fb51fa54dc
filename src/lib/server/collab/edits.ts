import * as Y from 'yjs';
import {
	OWN_WORDS_REFUSED,
	RESEND_NEEDED,
	PROMPT_REFUSED,
	encodeOwnRuns,
	encodeOwnWords,
	encodeSaved
} from '../../collab/protocol.ts';
import { clientsCreatedBy, refusalFor } from '../../collab/own-words.ts';
import { missingDependencies, type DecodedUpdate, type Needs } from './pending-updates.ts';
import { promptRefusal } from '../../collab/prompts.ts';
import type { Store } from './store.ts';
import type { Provenance } from './provenance.ts';
import { CLOSE, type Conn, type ConnectionIo } from './connection.ts';
import { MAX_CLIENT_ID } from './sql.ts';
import { isLeaseLost } from './lease.ts';
import type { Room, Rooms } from './room.ts';
import type { CollabLog } from './server.ts';

/**
 * An edit's way from a connection's update to its "saved": checked against the young person's
 * words, the template's prompts and the client ids it may write as; held while it refers to items
 * the document has not got (pending-updates.ts); applied to the room's document (which sends it
 * to everyone else there at once); appended through the store's group commit (commits.ts); and
 * acknowledged in order, only once Postgres has committed it and everything before it. A failed
 * append resets the room (room.ts); one refused for the lease (L0001) means the room lost its
 * document, and it is dropped without acknowledging anything more. A room on its way out (handed
 * over, draining) takes no new edits: they are neither applied nor acknowledged, and are resent
 * wherever the client reconnects.
 */

/** An edit that arrived while its room was leaving: not applied, never acknowledged. */
class RoomLeaving extends Error {
	constructor(documentId: string) {
		super(`document ${documentId} is moving; the edit will be resent`);
		this.name = 'RoomLeaving';
	}
}

/** An update waiting for items the server has not got (see pending-updates.ts). */
export interface HeldUpdate {
	/** Its number among this connection's update-bearing messages, for the saved ack. */
	n: number;
	update: Uint8Array;
	decoded: DecodedUpdate;
	/** Hands its ack (on the connection's chain) the outcome: its append, or nothing to ack. */
	settle: (saved: Promise<unknown>) => void;
}

function isPgError(error: unknown, code: string): boolean {
	return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

export interface EditsOptions {
	log: CollabLog;
	store: Pick<Store, 'append'>;
	io: Pick<ConnectionIo, 'send' | 'closeConn'>;
	rooms: Pick<Rooms, 'resetRoom' | 'loseRoom' | 'maybeCompact'>;
}

export function createEdits(options: EditsOptions) {
	const { log, store } = options;
	const { send, closeConn } = options.io;
	const { resetRoom, loseRoom, maybeCompact } = options.rooms;

	function onUpdate(conn: Conn, update: Uint8Array): void {
		const n = ++conn.received;
		const { room } = conn;
		if (room.leaving) {
			const refused = Promise.reject(new RoomLeaving(room.id));
			// Handled on the connection's chain (ackAfter), perhaps only after earlier appends.
			refused.catch(() => {});
			ackAfter(conn, n, refused);
			return;
		}
		let decoded: ReturnType<typeof Y.decodeUpdate>;
		try {
			decoded = Y.decodeUpdate(update);
		} catch (error) {
			log('invalid update', { documentId: room.id, error: String(error) });
			closeConn(conn, CLOSE.invalidData, 'Invalid update');
			return;
		}
		if (decoded.structs.some((struct) => struct.id.client > MAX_CLIENT_ID)) {
			// Well-formed, but under a client id Yjs never makes: it would pass every check, be
			// applied and sent on, and only fail at its append, resetting the room for everyone.
			log('invalid update: client id out of range', { documentId: room.id });
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
		// Judged, applied and appended only once the document holds everything it refers to (see
		// pending-updates.ts): the young person's edits too. Applied without it, an edit typed as
		// a socket opens (before the sync step 2 carrying what was typed offline, which it builds
		// on) was stored and acknowledged while it could not be read back: "saved" must mean the
		// words are there on reload.
		const needs = missingDependencies(room.doc, decoded);
		if (conn.ticket.sub !== room.youngPersonId) {
			for (const [client, clock] of waitForYoungPerson(conn, decoded)) {
				needs.set(client, Math.max(clock, needs.get(client) ?? 0));
			}
		}
		if (needs.size > 0) {
			hold(conn, { n, update, decoded }, needs);
			return;
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
				refusal = refusalFor(room.doc, decoded, room.provenance.ownership, (item) =>
					room.provenance.restores(item, sender)
				);
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
		let moved: ReturnType<Provenance['judge']>;
		try {
			moved = room.provenance.judge(room.doc, decoded, sender, newClients);
		} catch (error) {
			log('update provenance could not be worked out', {
				documentId: room.id,
				error: String(error)
			});
			closeConn(conn, CLOSE.invalidData, 'Invalid update');
			return null;
		}
		const ownClients = room.provenance.ownership.clients;
		const ownWordsBefore = ownClients.size;
		if (newClients.length > 0 && sender === room.youngPersonId) {
			// Before the update goes out, so every editor already knows these words are theirs
			// when they arrive.
			for (const client of newClients) ownClients.add(client);
			const message = encodeOwnWords(ownClients);
			for (const other of room.conns) send(other, message);
		}
		if (moved.ownRuns.length > 0) {
			// Likewise for words this update moves: their writer is known before they arrive.
			const message = encodeOwnRuns(moved.ownRuns, false);
			for (const other of room.conns) send(other, message);
		}
		try {
			Y.applyUpdate(room.doc, update, conn);
		} catch (error) {
			if (ownClients.size !== ownWordsBefore) {
				for (const client of newClients) ownClients.delete(client);
			}
			log('update could not be applied', { documentId: room.id, error: String(error) });
			closeConn(conn, CLOSE.invalidData, 'Invalid update');
			return null;
		}
		room.lastEditor = sender;
		for (const client of newClients) room.provenance.bind(client, sender);
		const saved = store
			.append(room.id, sender, update, newClients, moved.runs, room.fence)
			.then(() => {
				room.rowsAfterSnapshot++;
				maybeCompact(room);
			});
		// appendFailed first: it must have closed the connection (with its reason) before anything
		// waiting on the connection's acknowledgements, such as an addition's answer, looks.
		saved.catch((error: unknown) => appendFailed(conn, error));
		room.pending.add(saved);
		saved
			.finally(() => room.pending.delete(saved))
			.catch(() => {
				// Handled just above.
			});
		return saved;
	}

	/**
	 * An append failed, so the room's memory holds an update Postgres does not: the room goes at
	 * once (everyone reconnects to a fresh load and resends what was not acknowledged), or, if the
	 * lease was lost, is dropped without acknowledging anything more. At once, not when the
	 * connection's acknowledgements reach this edit: an update held for items the document lacks
	 * can keep them waiting for up to maxWaitingMs, while a new connection (the same browser on
	 * another socket, say) would be told the server has this edit and be acknowledged for what it
	 * built on it.
	 */
	function appendFailed(conn: Conn, error: unknown): void {
		conn.ackBlocked = true;
		const { room } = conn;
		if (isLeaseLost(error)) {
			// Another node may hold the document now: nothing more from here.
			log('append refused: lease lost', { documentId: room.id });
			loseRoom(room);
			return;
		}
		if (isPgError(error, '42501')) {
			log('append refused', { documentId: room.id, sub: conn.ticket.sub });
			closeConn(conn, CLOSE.accessRemoved, 'You can no longer edit this document');
		} else {
			log('append failed', { documentId: room.id, error: String(error) });
			closeConn(conn, CLOSE.serverError, 'Could not save; reconnect to try again');
		}
		resetRoom(room);
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
			const writer = room.provenance.writers.get(client);
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
		while (progress && !room.leaving) {
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
			const writer = room.provenance.writers.get(client);
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

	/**
	 * Acknowledges message n once it (and every earlier one) is saved, in order. When the next
	 * message has already committed too, its ack (which counts n) goes instead: with many busy
	 * documents a commit settles several messages per connection, and one ack per message was a
	 * socket write each on the server and a message each for the client to read.
	 */
	function ackAfter(conn: Conn, n: number, saved: Promise<unknown>): void {
		saved.then(
			() => conn.savedAhead.add(n),
			() => {}
		);
		conn.chain = conn.chain
			.then(() => saved)
			.then(
				() => {
					conn.savedAhead.delete(n);
					if (conn.ackBlocked || conn.savedAhead.has(n + 1)) return;
					send(conn, encodeSaved(n));
				},
				() => {
					// Nothing after it is acknowledged: it came while the room was leaving, or its
					// append failed and appendFailed has already reset or dropped the room.
					conn.savedAhead.delete(n);
					conn.ackBlocked = true;
				}
			);
	}

	return { onUpdate, giveUpWaiting, dropWaiting };
}

export type Edits = ReturnType<typeof createEdits>;
