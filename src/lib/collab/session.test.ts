import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import {
	CLOSE_MOVED,
	CLOSE_OWN_WORDS,
	CLOSE_RESEND,
	COLLAB_PROTOCOL,
	MESSAGE_SYNC,
	OWN_WORDS_REFUSED,
	PROMPT_REFUSED,
	RESEND_NEEDED,
	SYNC_STEP_1,
	SYNC_STEP_2,
	SYNC_UPDATE,
	encodeSaved,
	encodeSync
} from './protocol';
import { CollabSession, refusedReason, type TicketResponse } from './session.svelte';

/**
 * How the browser's session answers the collab server's close codes, against a small stand-in
 * server on a real socket: 4504 ("reconnect and resend") and 1012 (the document moved to another
 * collab node) must never stop the editor or lose an edit; 4409 stops it and says why.
 */

interface StandIn {
	url: string;
	connections: number;
	/** Update-bearing messages received on each connection, in order. */
	received: Uint8Array[][];
	close(): Promise<void>;
}

/**
 * Speaks just enough of the collab protocol: answers sync step 1 with an empty step 2 and
 * acknowledges each change as saved; `first` decides what happens to the first connection.
 */
async function standIn(first: (ws: WebSocket) => void): Promise<StandIn> {
	const wss = new WebSocketServer({
		port: 0,
		host: '127.0.0.1',
		handleProtocols: (protocols) => (protocols.has(COLLAB_PROTOCOL) ? COLLAB_PROTOCOL : false)
	});
	await new Promise((resolve) => wss.once('listening', resolve));
	const state: StandIn = {
		url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
		connections: 0,
		received: [],
		close: () => new Promise((resolve) => wss.close(() => resolve()))
	};
	wss.on('connection', (ws) => {
		state.connections++;
		const received: Uint8Array[] = [];
		state.received.push(received);
		if (state.connections === 1) {
			first(ws);
			return;
		}
		const server = new Y.Doc();
		ws.on('message', (data: Buffer) => {
			const decoder = decoding.createDecoder(new Uint8Array(data));
			if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
			const kind = decoding.readVarUint(decoder);
			const payload = decoding.readVarUint8Array(decoder);
			if (kind === SYNC_STEP_1) {
				ws.send(encodeSync(SYNC_STEP_2, Y.encodeStateAsUpdate(server, payload)));
				ws.send(encodeSync(SYNC_STEP_1, Y.encodeStateVector(server)));
			} else if (kind === SYNC_STEP_2 || kind === SYNC_UPDATE) {
				Y.applyUpdate(server, payload);
				received.push(payload);
				ws.send(encodeSaved(received.length));
			}
		});
	});
	return state;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
	// Last made, first undone: the session lets go of its socket before the server closes.
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function ticketFor(url: string): TicketResponse {
	return {
		ticket: 'ticket',
		url,
		access: 'edit',
		sessionExp: Math.floor(Date.now() / 1000) + 3600,
		name: 'Priya',
		colour: '#1d70b8'
	};
}

function session(url: string): CollabSession {
	const s = new CollabSession(() => Promise.resolve(ticketFor(url)), 'doc');
	cleanups.push(() => s.destroy());
	return s;
}

describe('CollabSession and the server’s close codes', () => {
	// 4504: the server gave up waiting for what the first edit builds on; 1012: the document
	// moved to another node. Either way: reconnect at once, and the held edit is saved.
	it.each([
		{ code: CLOSE_RESEND, reason: RESEND_NEEDED },
		{ code: CLOSE_MOVED, reason: 'This document moved to another server' }
	])('reconnects after $code and gets the edit it was holding saved', async ({ code, reason }) => {
		const server = await standIn((ws) => {
			ws.on('message', () => ws.close(code, reason));
		});
		cleanups.push(() => server.close());
		const s = session(server.url);
		await s.start();
		s.doc.getText('t').insert(0, 'Priya will ask Nan');
		await expect.poll(() => server.connections).toBe(2);
		await expect.poll(() => s.status).toBe('saved');
		expect(s.closedReason).toBeNull();
		const saved = new Y.Doc();
		for (const update of server.received[1]!) Y.applyUpdate(saved, update);
		expect(saved.getText('t').toString()).toBe('Priya will ask Nan');
	});

	it('stops after 4409 and says why, keeping the edit in memory', async () => {
		const server = await standIn((ws) => {
			ws.on('message', () => ws.close(CLOSE_OWN_WORDS, OWN_WORDS_REFUSED));
		});
		cleanups.push(() => server.close());
		const s = session(server.url);
		await s.start();
		s.doc.getText('t').insert(0, 'not');
		await expect.poll(() => s.status).toBe('closed');
		// A reason the page says in the reader's language, never the server's English words.
		expect(s.closedReason).toBe('own-words');
		expect(s.provider?.shouldConnect).toBe(false);
		expect(s.hasUnsavedChanges).toBe(true);
	});

	it('closes, saying the last changes were not saved, when it comes back able only to read', async () => {
		// The server closes on an access change (4403); the next ticket says comment only.
		const server = await standIn((ws) => {
			ws.on('message', () => ws.close(4403, 'Your access changed'));
		});
		cleanups.push(() => server.close());
		let tickets = 0;
		const s = new CollabSession(async () => {
			tickets++;
			return { ...ticketFor(server.url), access: tickets === 1 ? 'edit' : 'comment' };
		}, 'doc');
		cleanups.push(() => s.destroy());
		await s.start();
		s.doc.getText('t').insert(0, 'typed before the change');
		await expect.poll(() => s.status).toBe('closed');
		// Not "Saving…" for ever: the server would take the edit back from a reader and never
		// save it.
		expect(s.closedReason).toBe('edit-access-removed');
		expect(s.access).toBe('comment');
		expect(s.hasUnsavedChanges).toBe(true);
		expect(server.connections).toBe(1);
	});

	it('does not count a reader’s own copy changing as unsaved edits', async () => {
		// Answers the sync as the real server does and, as it does for a reader, drops updates.
		const server = await standIn((ws) => {
			ws.on('message', (data: Buffer) => {
				const decoder = decoding.createDecoder(new Uint8Array(data));
				if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
				if (decoding.readVarUint(decoder) !== SYNC_STEP_1) return;
				const empty = new Y.Doc();
				ws.send(encodeSync(SYNC_STEP_2, Y.encodeStateAsUpdate(empty)));
				ws.send(encodeSync(SYNC_STEP_1, Y.encodeStateVector(empty)));
			});
		});
		cleanups.push(() => server.close());
		const s = new CollabSession(
			() => Promise.resolve({ ...ticketFor(server.url), access: 'comment' }),
			'doc'
		);
		cleanups.push(() => s.destroy());
		await s.start();
		await expect.poll(() => s.status).toBe('saved');
		// What Tiptap's trailing paragraph does to a read-only editor's copy.
		s.doc.getText('t').insert(0, 'a fix-up');
		expect(s.hasUnsavedChanges).toBe(false);
		expect(s.status).toBe('saved');
	});

	it('connects nothing when the page is left while a reconnect waits for its ticket', async () => {
		const server = await standIn((ws) => {
			ws.on('message', () => ws.close(CLOSE_MOVED, 'This document moved to another server'));
		});
		cleanups.push(() => server.close());
		let release: () => void = () => {};
		let tickets = 0;
		const s = new CollabSession(async () => {
			tickets++;
			// The first ticket at once; the reconnect's waits until the page has been left.
			if (tickets > 1) await new Promise<void>((resolve) => (release = resolve));
			return ticketFor(server.url);
		}, 'doc');
		await s.start();
		s.doc.getText('t').insert(0, 'x');
		await expect.poll(() => tickets).toBe(2);
		s.destroy();
		release();
		// Every continuation of the ticket has run once a macrotask has passed.
		await new Promise((resolve) => setImmediate(resolve));
		expect(s.provider?.shouldConnect).toBe(false);
		expect(s.provider?.ws).toBeNull();
		expect(server.connections).toBe(1);
	});

	it('tells a refused prompt change from a refused own-words change, both closed with 4409', () => {
		expect(refusedReason(PROMPT_REFUSED)).toBe('prompt');
		expect(refusedReason(OWN_WORDS_REFUSED)).toBe('own-words');
		expect(refusedReason('')).toBe('own-words');
		expect(refusedReason(undefined)).toBe('own-words');
	});
});
