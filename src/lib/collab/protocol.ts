import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { OwnRun } from './ownership.ts';

/**
 * The y-websocket protocol's message types, plus the two this project adds. Shared by the
 * browser and the collab server (which imports it with a relative `.ts` path, so it must stay
 * plain TypeScript that Node can strip) so both count and read messages the same way.
 */
/** The Yjs field (an XmlFragment) holding a document's Tiptap content. */
export const CONTENT_FIELD = 'default';
/** The subprotocol the collab server speaks; the ticket is offered after it. */
export const COLLAB_PROTOCOL = 'in-my-words.collab.v1';
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_QUERY_AWARENESS = 3;
export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;
/** Server → client: `[100, n]` — the first n update-bearing messages on this connection are saved. */
export const MESSAGE_SAVED = 100;
/** Client → server: `[101, ticket]` — a fresh ticket, so the session outlives the first one. */
export const MESSAGE_REFRESH = 101;
/**
 * Server → client: `[102, n, client…]` — every Yjs client id bound to the young person the
 * document is about: text from these clients is "in their own words". Sent on connecting and
 * whenever the young person opens a new editor.
 */
export const MESSAGE_OWN_WORDS = 102;
/**
 * Server → client: `[103, replace, n, (client, clock, len, own)…]` — runs of items whose owner
 * is not their client's person (words someone moved: a split, join, list or heading change,
 * undo), `own` 1 when they are the young person's. `replace` 1: the whole set (on connecting);
 * 0: runs to add, sent before the update that creates their items.
 */
export const MESSAGE_OWN_RUNS = 103;

/** The collab server's close code for an edit that would rewrite the young person's words. */
export const CLOSE_OWN_WORDS = 4409;
/**
 * The server's reason when it closes for that reason: English, for logs. The page never shows a
 * close reason: it says why in the reader's language, by the close code (session.svelte.ts).
 */
export const OWN_WORDS_REFUSED =
	'That change would rewrite the young person’s own words, so it was not saved. Reload the page to carry on.';
/**
 * The collab server's close code when an edit waited too long (or too many, or too large) for
 * items it builds on that this connection had not yet resent. Nothing was refused: the client
 * reconnects at once and its sync step 2 resends everything unacknowledged. In y-websocket's
 * "try again" range (4500-4599), so a plain provider reconnects too.
 */
export const CLOSE_RESEND = 4504;
/**
 * The collab server's close code when the document moves to another collab node: handed over,
 * the node draining (SIGTERM), or its lease lost (WebSocket's 1012, "service restart"). Nothing was
 * refused; the client reconnects at once and its sync step 2 resends everything unacknowledged.
 */
export const CLOSE_MOVED = 1012;
export const RESEND_NEEDED =
	'Some changes arrived before what they build on; reconnecting to send them again.';
/** What the server says when it closes (4409 too) for an edit that would change a template prompt. */
export const PROMPT_REFUSED =
	'That change would alter a heading or question from the template, so it was not saved. Reload the page to carry on.';
/** Said when a session ends (the connection's ticket ran out and was not renewed). */
export const SESSION_ENDED = 'Your session has ended. Sign in again to keep writing.';

/** Does this outgoing client message carry document content (sync step 2 or an update)? */
export function isUpdateBearing(message: Uint8Array): boolean {
	try {
		const decoder = decoding.createDecoder(message);
		if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return false;
		const kind = decoding.readVarUint(decoder);
		return kind === SYNC_STEP_2 || kind === SYNC_UPDATE;
	} catch {
		return false;
	}
}

export function isSyncStep2(message: Uint8Array): boolean {
	try {
		const decoder = decoding.createDecoder(message);
		return (
			decoding.readVarUint(decoder) === MESSAGE_SYNC &&
			decoding.readVarUint(decoder) === SYNC_STEP_2
		);
	} catch {
		return false;
	}
}

export function encodeSaved(count: number): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SAVED);
	encoding.writeVarUint(encoder, count);
	return encoding.toUint8Array(encoder);
}

export function encodeRefresh(ticket: string): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_REFRESH);
	encoding.writeVarString(encoder, ticket);
	return encoding.toUint8Array(encoder);
}

export function encodeOwnWords(clients: Iterable<number>): Uint8Array {
	const list = [...clients];
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_OWN_WORDS);
	encoding.writeVarUint(encoder, list.length);
	for (const client of list) encoding.writeVarUint(encoder, client);
	return encoding.toUint8Array(encoder);
}

/** Reads the client ids of a `[102, …]` message, after its type has been read. */
export function readOwnWords(decoder: decoding.Decoder): number[] {
	const count = decoding.readVarUint(decoder);
	const clients: number[] = [];
	for (let i = 0; i < count; i++) clients.push(decoding.readVarUint(decoder));
	return clients;
}

export function encodeOwnRuns(runs: readonly OwnRun[], replace: boolean): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_OWN_RUNS);
	encoding.writeVarUint(encoder, replace ? 1 : 0);
	encoding.writeVarUint(encoder, runs.length);
	for (const run of runs) {
		encoding.writeVarUint(encoder, run.client);
		encoding.writeVarUint(encoder, run.clock);
		encoding.writeVarUint(encoder, run.len);
		encoding.writeVarUint(encoder, run.own ? 1 : 0);
	}
	return encoding.toUint8Array(encoder);
}

/** Reads a `[103, …]` message, after its type has been read. */
export function readOwnRuns(decoder: decoding.Decoder): {
	replace: boolean;
	runs: OwnRun[];
} {
	const replace = decoding.readVarUint(decoder) === 1;
	const count = decoding.readVarUint(decoder);
	const runs: OwnRun[] = [];
	for (let i = 0; i < count; i++) {
		runs.push({
			client: decoding.readVarUint(decoder),
			clock: decoding.readVarUint(decoder),
			len: decoding.readVarUint(decoder),
			own: decoding.readVarUint(decoder) === 1
		});
	}
	return { replace, runs };
}

/** A sync message: `kind` is SYNC_STEP_1 (a state vector), SYNC_STEP_2 or SYNC_UPDATE. */
export function encodeSync(kind: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, kind);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

/** An awareness message carrying an encoded awareness update. */
export function encodeAwareness(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}
