import { setTimeout as pace } from 'node:timers/promises';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { freePort } from '../../scripts/support/free-port.ts';
import { CollabProcess } from './collab-process.ts';
import {
	CLOSE_OWN_WORDS,
	CLOSE_RESEND,
	MESSAGE_OWN_WORDS,
	MESSAGE_SYNC,
	SYNC_STEP_1,
	SYNC_STEP_2,
	SYNC_UPDATE,
	encodeSync
} from '../../src/lib/collab/protocol.ts';
import { createCollabServer, type CollabServer } from '../../src/lib/server/collab/server.ts';
import { COLLAB_PROTOCOL } from '../../src/lib/server/collab/ticket.ts';
import {
	ORIGIN,
	TEST_SECRET,
	connectClient,
	createCast,
	loadFromDb,
	ticketFor,
	type TestClient
} from './support.ts';

/**
 * After the collab server restarts, an editor who never touched the young person's words must
 * not be refused (4409) or asked to reload. y-websocket sends an edit the moment the socket
 * opens, before its sync step 2 has resent what the server lost, so the edit refers to items the
 * server has not got yet. The server runs in a child process and is SIGKILLed, as in chaos.test.
 */
process.setMaxListeners(100);

const FIELD = 'default';
const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });
const clients: TestClient[] = [];

afterAll(async () => {
	for (const c of clients) c.destroy();
	await server?.kill();
	await admin.end();
});

/** The collab server in a child process (started again on the same port after each kill). */
let server: CollabProcess | null = null;
async function start(port: number): Promise<void> {
	server ??= new CollabProcess(port);
	await server.start();
}
const kill = async (): Promise<void> => server?.kill();

function paragraphText(doc: Y.Doc, index: number): Y.XmlText | undefined {
	const p = doc.getXmlFragment(FIELD).get(index) as Y.XmlElement | undefined;
	return p?.get(0) as Y.XmlText | undefined;
}

function texts(doc: Y.Doc): string[] {
	return doc
		.getXmlFragment(FIELD)
		.toArray()
		.map((p) => ((p as Y.XmlElement).get(0) as Y.XmlText).toString());
}

function addParagraph(doc: Y.Doc, text: string): void {
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [new Y.XmlText(text)]);
	const fragment = doc.getXmlFragment(FIELD);
	fragment.insert(fragment.length, [p]);
}

function syncUpdate(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarUint(encoder, 2);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** `[k]` for keystroke k: every one must reach Postgres once, in order. */
function token(k: number): string {
	return `[${k}]`;
}

function refused(c: TestClient): boolean {
	return c.closes.some((close) => close.code === CLOSE_OWN_WORDS);
}

function tokensIn(text: string): number[] {
	return [...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
}

describe('reconnecting after a collab server restart', () => {
	it('never refuses an editor who did not touch the young person’s words, and loses none of their edits', async () => {
		const port = await freePort();
		const base = `ws://127.0.0.1:${port}`;
		const cast = await createCast(admin, { blank: true });
		await start(port);
		const connect = async (who: string) => {
			const c = connectClient(base, cast.documentId, await ticketFor(who, cast.documentId), {
				maxBackoffTime: 200
			});
			// The own-words list is not needed here; without a handler y-websocket logs each one.
			c.provider.messageHandlers[MESSAGE_OWN_WORDS] = () => {};
			clients.push(c);
			return c;
		};
		const yp = await connect(cast.youngPerson);
		const sw = await connect(cast.editor);
		await expect.poll(() => yp.provider.synced && sw.provider.synced).toBe(true);
		yp.edit((d) => addParagraph(d, 'I want to live with my nan'));
		await expect.poll(() => yp.savedEdits).toBe(1);
		await expect.poll(() => texts(sw.doc)).toEqual(['I want to live with my nan']);
		// The social worker writes in a paragraph of their own, below the young person's.
		sw.edit((d) => addParagraph(d, 'Priya: '));
		let typed = 0;
		const type = () => {
			typed++;
			sw.edit((d) => {
				const text = paragraphText(d, 1)!;
				text.insert(text.length, token(typed));
			});
		};
		// As a person typing when the connection comes back: the keystroke goes out right after
		// y-websocket's sync step 1, long before its sync step 2 resends what the server lost.
		let reconnects = 0;
		sw.provider.on('status', ({ status }) => {
			if (status !== 'connected') return;
			reconnects++;
			queueMicrotask(type);
		});
		const typeFor = async (keystrokes: number) => {
			for (let i = 0; i < keystrokes; i++) {
				type();
				// A typist's pace (and under the server's 100 messages a second), not a wait.
				await pace(15);
			}
		};

		for (let restart = 1; restart <= 3; restart++) {
			await typeFor(20);
			await kill();
			// Everything acknowledged before the kill is in Postgres.
			const stored = await loadFromDb(admin, cast.documentId);
			const storedTokens = new Set(tokensIn(paragraphText(stored, 1)?.toString() ?? ''));
			for (let k = 1; k <= sw.savedEdits - 1; k++) expect(storedTokens.has(k)).toBe(true);
			// Fresh tickets for the reconnect (they live a minute), then typing on, offline.
			for (const [c, who] of [
				[yp, cast.youngPerson],
				[sw, cast.editor]
			] as const) {
				c.provider.protocols = [COLLAB_PROTOCOL, await ticketFor(who, cast.documentId)];
			}
			await typeFor(5);
			const before = reconnects;
			await start(port);
			await expect.poll(() => reconnects > before || refused(sw)).toBe(true);
			expect(sw.closes.map((c) => c.code)).not.toContain(CLOSE_OWN_WORDS);
		}
		await typeFor(20);
		expect(sw.closes.map((c) => c.code)).not.toContain(CLOSE_OWN_WORDS);

		// Every keystroke, acknowledged or not, reaches Postgres once, in order; nobody was
		// refused or told to reload, and both people see the same document.
		await expect
			.poll(async () =>
				tokensIn(paragraphText(await loadFromDb(admin, cast.documentId), 1)!.toString())
			)
			.toEqual(Array.from({ length: typed }, (_, i) => i + 1));
		await expect.poll(() => sw.savedEdits).toBe(sw.edits);
		expect(sw.closes.map((c) => c.code)).not.toContain(CLOSE_OWN_WORDS);
		expect(sw.provider.shouldConnect).toBe(true);
		await expect.poll(() => texts(yp.doc)).toEqual(texts(sw.doc));
		expect(texts(sw.doc)[0]).toBe('I want to live with my nan');

		// A real forgery still gets 4409: deleting the young person's words.
		const forger = await connect(cast.editor);
		await expect.poll(() => forger.provider.synced).toBe(true);
		const forged = new Y.Doc();
		Y.applyUpdate(forged, Y.encodeStateAsUpdate(forger.doc));
		const sv = Y.encodeStateVector(forged);
		(forged.getXmlFragment(FIELD).get(0) as Y.XmlElement).delete(0, 1);
		forger.sendRaw(syncUpdate(Y.encodeStateAsUpdate(forged, sv)));
		await expect.poll(() => forger.closes.map((c) => c.code)).toContain(CLOSE_OWN_WORDS);
		expect(texts(await loadFromDb(admin, cast.documentId))[0]).toBe('I want to live with my nan');
		await kill();
	});
});

describe('edits waiting for what they build on', () => {
	const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 4 });
	const logs: string[] = [];
	let collab: CollabServer;
	let base: string;

	beforeAll(async () => {
		collab = createCollabServer({
			pool: collabPool,
			ticketSecret: TEST_SECRET,
			allowedOrigins: [ORIGIN],
			unloadGraceMs: 200,
			limits: { maxWaitingUpdates: 3, maxWaitingMs: 2_000 },
			log: (event) => logs.push(event)
		});
		base = `ws://127.0.0.1:${await collab.listen(0)}`;
	});

	afterAll(async () => {
		await collab.close();
		await collabPool.end();
	});

	async function connect(documentId: string, who: string): Promise<TestClient> {
		const c = connectClient(base, documentId, await ticketFor(who, documentId));
		c.provider.messageHandlers[MESSAGE_OWN_WORDS] = () => {};
		clients.push(c);
		await expect.poll(() => c.provider.synced).toBe(true);
		return c;
	}

	/** The young person's saved paragraph, and a doctored editor's connection beside it. */
	async function scene() {
		const cast = await createCast(admin, { blank: true });
		const yp = await connect(cast.documentId, cast.youngPerson);
		yp.edit((d) => addParagraph(d, 'I want to live with my nan'));
		await expect.poll(() => yp.savedEdits).toBe(1);
		const sw = await connect(cast.documentId, cast.editor);
		await expect.poll(() => texts(sw.doc)).toEqual(['I want to live with my nan']);
		return { cast, yp, sw };
	}

	/**
	 * A forged edit that writes after words the young person has not typed yet (or, `inside`,
	 * between the last two of them): their client's next clocks, which a server applying it
	 * unjudged would let Yjs land among their words.
	 */
	function writeAfterFutureWords(yp: TestClient, nth: number, inside = false): Uint8Array {
		const future = new Y.Doc();
		Y.applyUpdate(future, Y.encodeStateAsUpdate(yp.doc));
		// After applying: Yjs gives a doc a new client id when an update already uses its own.
		future.clientID = yp.doc.clientID;
		const text = paragraphText(future, 0)!;
		text.insert(text.length, ' and my dog'.slice(0, nth + 1));
		const forger = new Y.Doc();
		Y.applyUpdate(forger, Y.encodeStateAsUpdate(future));
		const before = Y.encodeStateVector(forger);
		const forged = paragraphText(forger, 0)!;
		forged.insert(inside ? forged.length - 1 : forged.length, ' not');
		return Y.encodeStateAsUpdate(forger, before);
	}

	async function editorRows(documentId: string, editor: string): Promise<number> {
		const { rows } = await admin.query(
			'select 1 from public.document_updates where document_id = $1 and author_id = $2',
			[documentId, editor]
		);
		return rows.length;
	}

	it('judges a waiting edit once what it builds on arrives: inside the young person’s words, 4409', async () => {
		const { cast, yp, sw } = await scene();
		const held = () => logs.filter((event) => event === 'update held').length;
		const heldBefore = held();
		// Between "an" and "d" of " and", which the young person has not typed yet.
		sw.sendRaw(syncUpdate(writeAfterFutureWords(yp, 3, true)));
		// It waits: neither refused nor applied, until the young person types those words.
		await expect.poll(held).toBe(heldBefore + 1);
		expect(sw.closes).toEqual([]);
		yp.edit((d) => {
			const text = paragraphText(d, 0)!;
			text.insert(text.length, ' and my dog');
		});
		await expect.poll(() => yp.savedEdits).toBe(2);
		await expect.poll(() => sw.closes.map((c) => c.code)).toContain(CLOSE_OWN_WORDS);
		expect(texts(await loadFromDb(admin, cast.documentId))).toEqual([
			'I want to live with my nan and my dog'
		]);
		expect(await editorRows(cast.documentId, cast.editor)).toBe(0);
	});

	it('judges a waiting edit once what it builds on arrives: just after their words, even as they add to them there, is allowed', async () => {
		const { cast, yp, sw } = await scene();
		const held = () => logs.filter((event) => event === 'update held').length;
		const heldBefore = held();
		// Written just after " and", which the young person has not typed yet; by the time it is
		// judged they have typed on past it, at the same spot (issue 11: no false refusals).
		sw.sendRaw(syncUpdate(writeAfterFutureWords(yp, 3)));
		await expect.poll(held).toBe(heldBefore + 1);
		yp.edit((d) => {
			const text = paragraphText(d, 0)!;
			text.insert(text.length, ' and my dog');
		});
		await expect.poll(() => yp.savedEdits).toBe(2);
		await expect.poll(() => editorRows(cast.documentId, cast.editor)).toBe(1);
		expect(sw.closes).toEqual([]);
		// Yjs orders the two insertions at one spot by client id: either way, beside their words.
		expect([
			['I want to live with my nan and not my dog'],
			['I want to live with my nan and my dog not']
		]).toContainEqual(texts(await loadFromDb(admin, cast.documentId)));
	});

	it('lets an editor resend the young person’s words the server lost once the young person resends them, without 4409', async () => {
		const { cast, yp, sw } = await scene();
		// As after a crash: the young person's last words reached the social worker's browser but
		// not Postgres, and the social worker typed a paragraph of their own that was not saved.
		yp.provider.disconnect();
		sw.provider.disconnect();
		yp.edit((d) => {
			const text = paragraphText(d, 0)!;
			text.insert(text.length, ' and my dog');
		});
		Y.applyUpdate(sw.doc, Y.encodeStateAsUpdate(yp.doc, Y.encodeStateVector(sw.doc)));
		sw.edit((d) => addParagraph(d, 'Priya: we will ask Nan.'));
		// The young person's browser comes back first and says what it holds (sync step 1); its
		// resend (held back here) comes after the social worker's sync step 2, which carries the
		// same words.
		const ypSocket = new WebSocket(
			`${base}/${cast.documentId}`,
			[COLLAB_PROTOCOL, await ticketFor(cast.youngPerson, cast.documentId)],
			{ origin: ORIGIN }
		);
		const answered = new Promise<void>((resolve) => {
			ypSocket.on('message', (data: Buffer) => {
				const decoder = decoding.createDecoder(new Uint8Array(data));
				if (
					decoding.readVarUint(decoder) === MESSAGE_SYNC &&
					decoding.readVarUint(decoder) === SYNC_STEP_2
				) {
					resolve();
				}
			});
		});
		ypSocket.on('open', () => ypSocket.send(encodeSync(SYNC_STEP_1, Y.encodeStateVector(yp.doc))));
		await answered;
		const held = () => logs.filter((event) => event === 'update held').length;
		const heldBefore = held();
		sw.provider.protocols = [COLLAB_PROTOCOL, await ticketFor(cast.editor, cast.documentId)];
		sw.provider.connect();
		await expect.poll(held).toBe(heldBefore + 1);
		ypSocket.send(encodeSync(SYNC_UPDATE, Y.encodeStateAsUpdate(yp.doc)));
		await expect.poll(() => sw.savedEdits).toBe(1);
		expect(sw.closes.filter((c) => c.code >= 4000)).toEqual([]);
		expect(texts(await loadFromDb(admin, cast.documentId))).toEqual([
			'I want to live with my nan and my dog',
			'Priya: we will ask Nan.'
		]);
		ypSocket.close();
	});

	it('never stores words made up under the young person’s client while they are away', async () => {
		const { cast, yp, sw } = await scene();
		const left = () => logs.filter((event) => event === 'disconnected').length;
		const leftBefore = left();
		yp.provider.disconnect();
		await expect.poll(left).toBe(leftBefore + 1);
		// Indistinguishable from a resend of words the server lost, so it waits for the young
		// person's own browser; they are not coming back with these, so it is closed, unstored.
		const forged = new Y.Doc();
		Y.applyUpdate(forged, Y.encodeStateAsUpdate(sw.doc));
		forged.clientID = yp.doc.clientID;
		const before = Y.encodeStateVector(forged);
		addParagraph(forged, 'I agree with everything');
		sw.sendRaw(syncUpdate(Y.encodeStateAsUpdate(forged, before)));
		await expect.poll(() => sw.closes.map((c) => c.code)).toEqual([CLOSE_RESEND]);
		expect(texts(await loadFromDb(admin, cast.documentId))).toEqual(['I want to live with my nan']);
		expect(await editorRows(cast.documentId, cast.editor)).toBe(0);
	});

	it('closes with 4504 (reconnect and resend), not 4409, when what an edit waits for never comes', async () => {
		const { cast, yp, sw } = await scene();
		sw.sendRaw(syncUpdate(writeAfterFutureWords(yp, 0)));
		await expect.poll(() => sw.closes.map((c) => c.code)).toEqual([CLOSE_RESEND]);
		expect(logs).toContain('update waited too long');
		// The provider reconnects by itself, and the editor carries on.
		await expect.poll(() => sw.provider.synced).toBe(true);
		sw.edit((d) => addParagraph(d, 'Priya: we will ask Nan.'));
		await expect.poll(() => sw.savedEdits).toBe(1);
		expect(texts(await loadFromDb(admin, cast.documentId))).toEqual([
			'I want to live with my nan',
			'Priya: we will ask Nan.'
		]);
	});

	it('closes with 4504 when too many edits are waiting at once', async () => {
		const { cast, yp, sw } = await scene();
		for (let i = 0; i < 4; i++) sw.sendRaw(syncUpdate(writeAfterFutureWords(yp, i)));
		await expect.poll(() => sw.closes.map((c) => c.code)).toEqual([CLOSE_RESEND]);
		expect(logs).toContain('too much waiting');
		expect(await editorRows(cast.documentId, cast.editor)).toBe(0);
	});
});
