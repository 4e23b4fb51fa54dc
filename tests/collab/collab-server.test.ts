import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import net from 'node:net';
import { WebSocket } from 'ws';
import pg from 'pg';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
	MESSAGE_SAVED,
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
	handshakeStatus,
	loadFromDb,
	ticketFor,
	type Cast,
	type TestClient,
	leaveCircleUnheard
} from './support.ts';

// Every headless y-websocket provider adds a process 'exit' listener; this file opens dozens.
process.setMaxListeners(100);

const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 4 });
// The collab service's own login role, as in production (never the app's).
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 10 });
const logs: Array<{ event: string; fields?: Record<string, unknown> }> = [];
let collab: CollabServer;
let base: string;
const clients: TestClient[] = [];

function client(documentId: string, ticket: string, doc?: Y.Doc): TestClient {
	const c = connectClient(base, documentId, ticket, { doc });
	clients.push(c);
	return c;
}

async function synced(c: TestClient): Promise<void> {
	await expect.poll(() => c.provider.synced).toBe(true);
}

/** The editor leaves the young person's circle, unheard by the server (see support.ts). */
async function removeQuietly(own: Cast): Promise<void> {
	const db = await admin.connect();
	try {
		await db.query('begin');
		await leaveCircleUnheard(db, own.youngPerson, own.editor);
		await db.query('commit');
	} finally {
		db.release();
	}
}

/**
 * Sends a sync step 1 and waits for the server's step 2 in reply: the server reads a socket's
 * messages in order, so everything sent before has been read, and what it sent for them in
 * that turn is on its way ahead of the reply.
 */
async function roundTrip(c: TestClient): Promise<void> {
	const ws = c.provider.ws as unknown as WebSocket;
	const replied = new Promise<void>((resolve) => {
		// y-websocket asks for ArrayBuffers.
		const onMessage = (data: ArrayBuffer | Buffer) => {
			const bytes = new Uint8Array(data);
			if (bytes[0] !== 0 || bytes[1] !== 1) return;
			ws.off('message', onMessage);
			resolve();
		};
		ws.on('message', onMessage);
	});
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarUint8Array(encoder, Y.encodeStateVector(c.doc));
	c.sendRaw(encoding.toUint8Array(encoder));
	await replied;
}

beforeAll(async () => {
	collab = createCollabServer({
		pool: collabPool,
		ticketSecret: TEST_SECRET,
		allowedOrigins: [ORIGIN],
		compactAfterUpdates: 20,
		unloadGraceMs: 200,
		log: (event, fields) => logs.push({ event, fields })
	});
	const port = await collab.listen(0);
	base = `ws://127.0.0.1:${port}`;
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await collab.close();
	await collabPool.end();
	await admin.end();
});

describe('collab server', () => {
	let cast: Cast;
	beforeAll(async () => {
		cast = await createCast(admin);
	});

	it('two editors converge, and someone joining later gets the whole document', async () => {
		const a = client(cast.documentId, await ticketFor(cast.youngPerson, cast.documentId));
		const b = client(cast.documentId, await ticketFor(cast.editor, cast.documentId));
		await synced(a);
		await synced(b);
		a.edit((d) => d.getText('t').insert(0, 'Hello from Robin. '));
		b.edit((d) => d.getText('t').insert(0, 'Hi from Priya. '));
		await expect.poll(() => a.doc.getText('t').toString()).toContain('Priya');
		await expect.poll(() => b.doc.getText('t').toString()).toContain('Robin');
		expect(a.doc.getText('t').toString()).toBe(b.doc.getText('t').toString());

		const c = client(cast.documentId, await ticketFor(cast.viewer, cast.documentId, 'view'));
		await synced(c);
		await expect.poll(() => c.doc.getText('t').toString()).toBe(a.doc.getText('t').toString());
	});

	it('refuses each bad handshake with its status, before upgrading', async () => {
		const url = `${base}/${cast.documentId}`;
		const good = await ticketFor(cast.editor, cast.documentId);
		expect(await handshakeStatus(url, [COLLAB_PROTOCOL, good])).toBe(101);
		expect(await handshakeStatus(url, [COLLAB_PROTOCOL])).toBe(401);
		const expired = await ticketFor(cast.editor, cast.documentId, 'edit', {}, 1_000_000);
		expect(await handshakeStatus(url, [COLLAB_PROTOCOL, expired])).toBe(401);
		const forged = good.slice(0, -4) + (good.endsWith('AAAA') ? 'BBBB' : 'AAAA');
		expect(await handshakeStatus(url, [COLLAB_PROTOCOL, forged])).toBe(401);
		const ended = await ticketFor(cast.editor, cast.documentId, 'edit', {
			sessionExp: Math.floor(Date.now() / 1000) - 1
		});
		expect(await handshakeStatus(url, [COLLAB_PROTOCOL, ended])).toBe(401);
		expect(await handshakeStatus(url, [COLLAB_PROTOCOL, good], 'https://evil.example')).toBe(403);
		const other = await createCast(admin);
		const forOther = await ticketFor(cast.editor, other.documentId);
		expect(await handshakeStatus(url, [COLLAB_PROTOCOL, forOther])).toBe(403);
		const outsider = await ticketFor(cast.outsider, cast.documentId);
		expect(await handshakeStatus(url, [COLLAB_PROTOCOL, outsider])).toBe(403);
	});

	it('drops edits from view-only and comment-only connections', async () => {
		const own = await createCast(admin);
		const editor = client(own.documentId, await ticketFor(own.editor, own.documentId));
		const viewer = client(own.documentId, await ticketFor(own.viewer, own.documentId, 'view'));
		// A ticket claiming edit does not beat the circle's comment-only access.
		const commenter = client(own.documentId, await ticketFor(own.commenter, own.documentId));
		await Promise.all([synced(editor), synced(viewer), synced(commenter)]);
		viewer.edit((d) => d.getText('t').insert(0, 'VIEWER WAS HERE'));
		commenter.edit((d) => d.getText('t').insert(0, 'COMMENTER WAS HERE'));
		editor.edit((d) => d.getText('t').insert(0, 'editor text'));
		await expect.poll(() => editor.savedEdits).toBe(1);
		await expect
			.poll(() => logs.filter((l) => l.event === 'update dropped: no edit access').length)
			.toBeGreaterThanOrEqual(2);
		await expect.poll(() => viewer.doc.getText('t').toString()).toContain('editor text');
		expect(editor.doc.getText('t').toString()).toBe('editor text');
		expect(viewer.savedEdits).toBe(0);
		const stored = await loadFromDb(admin, own.documentId);
		expect(stored.getText('t').toString()).toBe('editor text');
		const { rows } = await admin.query(
			'select author_id from public.document_updates where document_id = $1 order by id',
			[own.documentId]
		);
		// The template the service wrote on first load (in the starter's name), then the edit.
		expect(rows.map((r) => r.author_id)).toEqual([own.editor, own.editor]);
	});

	it('acknowledges an edit as saved only once it is in Postgres', async () => {
		const own = await createCast(admin);
		const a = client(own.documentId, await ticketFor(own.editor, own.documentId));
		await synced(a);
		// For every acknowledgement: how many edits it says are saved, and what Postgres holds at
		// that moment. Reads finish in any order, so each is checked against its own count.
		const seenAtAck: { saved: number; text: string }[] = [];
		const handler = a.provider.messageHandlers[100]!;
		a.provider.messageHandlers[100] = (...args) => {
			handler(...args);
			const saved = a.savedEdits;
			void loadFromDb(admin, own.documentId).then((d) =>
				seenAtAck.push({ saved, text: d.getText('t').toString() })
			);
		};
		const words = ['one ', 'two ', 'three '];
		for (const word of words) {
			a.edit((d) => d.getText('t').insert(d.getText('t').length, word));
		}
		await expect.poll(() => a.savedEdits).toBe(3);
		await expect.poll(() => seenAtAck.some((s) => s.saved === 3)).toBe(true);
		for (const { saved, text } of seenAtAck) {
			expect(text.startsWith(words.slice(0, saved).join(''))).toBe(true);
		}
		expect(a.acks).toEqual([...a.acks].sort((x, y) => x - y));
	});

	it('acknowledges nothing on a new connection before the appends it was told about commit', async () => {
		const own = await createCast(admin);
		const first = client(own.documentId, await ticketFor(own.editor, own.documentId));
		const watcher = client(own.documentId, await ticketFor(own.youngPerson, own.documentId));
		await synced(first);
		await synced(watcher);
		first.edit((d) => d.getText('t').insert(0, 'saved. '));
		await expect.poll(() => first.savedEdits).toBe(1);
		// Hold the next append: the group commit takes the document's log counter (row-locked).
		const db = await admin.connect();
		let locked = true;
		try {
			await db.query('begin');
			await db.query('select 1 from private.document_log_heads where document_id = $1 for update', [
				own.documentId
			]);
			first.edit((d) => d.getText('t').insert(0, 'in flight. '));
			// Applied and sent on at once, its append still waiting.
			await expect.poll(() => watcher.doc.getText('t').toString()).toBe('in flight. saved. ');
			// The same browser on a new socket (a reconnect): it holds both edits, the server's step
			// 1 says it has both, so its step 2 brings nothing, and "saved" for it would cover the
			// edit that is not stored yet.
			const copy = new Y.Doc();
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(first.doc));
			const again = client(own.documentId, await ticketFor(own.editor, own.documentId), copy);
			await synced(again);
			// Two round trips after its step 2: whatever the server would send for it has come.
			await roundTrip(again);
			await roundTrip(again);
			expect(again.acks).toEqual([]);
			expect(first.savedEdits).toBe(1);
			await db.query('commit');
			locked = false;
			await expect.poll(() => again.acks.length).toBeGreaterThan(0);
			const stored = await loadFromDb(admin, own.documentId);
			expect(stored.getText('t').toString()).toBe('in flight. saved. ');
			await expect.poll(() => first.savedEdits).toBe(2);
		} finally {
			if (locked) await db.query('rollback');
			db.release();
		}
	});

	it('closes a connection within 5 seconds when the person is removed from the circle', async () => {
		const own = await createCast(admin);
		const sw = client(own.documentId, await ticketFor(own.editor, own.documentId));
		const yp = client(own.documentId, await ticketFor(own.youngPerson, own.documentId));
		await Promise.all([synced(sw), synced(yp)]);
		const started = Date.now();
		await admin.query(
			'delete from public.circle_members where young_person_id = $1 and member_id = $2',
			[own.youngPerson, own.editor]
		);
		await expect.poll(() => sw.closes[0]).toMatchObject({ code: 4403 });
		expect(sw.closes[0]?.reason).toBe('Your access to this document was removed');
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(yp.closes).toEqual([]);
		// A lowered level closes too (the client opens again with a new ticket).
		const viewerNow = client(own.documentId, await ticketFor(own.commenter, own.documentId));
		await synced(viewerNow);
		await admin.query(
			`update public.circle_members set access = 'view' where young_person_id = $1 and member_id = $2`,
			[own.youngPerson, own.commenter]
		);
		await expect.poll(() => viewerNow.closes[0]).toMatchObject({ code: 4403 });
	});

	it('listens again after its LISTEN connection drops, and still closes removed people', async () => {
		const own = await createCast(admin);
		const sw = client(own.documentId, await ticketFor(own.editor, own.documentId));
		await synced(sw);
		const { rowCount } = await admin.query(
			`select pg_terminate_backend(pid) from pg_stat_activity
			 where query ilike 'listen document_access_changed%'`
		);
		expect(rowCount).toBeGreaterThanOrEqual(1);
		await expect.poll(() => logs.some((l) => l.event === 'access listener lost')).toBe(true);
		await admin.query(
			'delete from public.circle_members where young_person_id = $1 and member_id = $2',
			[own.youngPerson, own.editor]
		);
		await expect.poll(() => sw.closes[0]).toMatchObject({ code: 4403 });
	});

	it('refuses an append by RLS even before the access change is noticed', async () => {
		const own = await createCast(admin);
		const sw = client(own.documentId, await ticketFor(own.editor, own.documentId));
		await synced(sw);
		sw.edit((d) => d.getText('t').insert(0, 'before. '));
		await expect.poll(() => sw.savedEdits).toBe(1);
		await removeQuietly(own);
		sw.edit((d) => d.getText('t').insert(0, 'after removal. '));
		await expect
			.poll(() => sw.closes[0])
			.toMatchObject({
				code: 4403,
				reason: 'You can no longer edit this document'
			});
		expect(sw.savedEdits).toBe(1);
		const stored = await loadFromDb(admin, own.documentId);
		expect(stored.getText('t').toString()).toBe('before. ');
	});

	it("acknowledges the young person's edit only once what it builds on is stored too", async () => {
		const own = await createCast(admin, { blank: true });
		// A browser back after a while offline: it types as its socket opens, so that edit goes
		// before its sync step 2, which carries what it typed offline (the same client's earlier
		// items, which the new edit builds on).
		const browser = new Y.Doc();
		const text = browser.getText('t');
		text.insert(0, 'offline ');
		const offline = Y.encodeStateAsUpdate(browser);
		const known = Y.encodeStateVector(browser);
		text.insert(text.length, 'online');
		const online = Y.encodeStateAsUpdate(browser, known);
		const ws = new WebSocket(
			base + '/' + own.documentId,
			[COLLAB_PROTOCOL, await ticketFor(own.youngPerson, own.documentId)],
			{ origin: ORIGIN }
		);
		const acks: number[] = [];
		const storedAtAck: string[] = [];
		ws.on('message', (data: Buffer) => {
			const decoder = decoding.createDecoder(new Uint8Array(data));
			if (decoding.readVarUint(decoder) !== MESSAGE_SAVED) return;
			acks.push(decoding.readVarUint(decoder));
			void loadFromDb(admin, own.documentId).then((d) =>
				storedAtAck.push(d.getText('t').toString())
			);
		});
		await new Promise((resolve, reject) => {
			ws.once('open', resolve);
			ws.once('error', reject);
		});
		ws.send(encodeSync(SYNC_UPDATE, online));
		ws.send(encodeSync(SYNC_STEP_2, offline));
		await expect.poll(() => acks.at(-1)).toBe(2);
		await expect.poll(() => storedAtAck.length).toBe(acks.length);
		// "Saved" for the first message is read as "everything typed so far": it must be readable.
		expect(storedAtAck.every((t) => t === 'offline online')).toBe(true);
		ws.close();
	});

	it('resets the room as soon as an append fails, not after an earlier held edit', async () => {
		const own = await createCast(admin);
		const sw = client(own.documentId, await ticketFor(own.editor, own.documentId));
		const watcher = client(own.documentId, await ticketFor(own.youngPerson, own.documentId));
		await synced(sw);
		await synced(watcher);
		// An edit built on one the server never got: held until that comes (up to 30 s), and
		// every later "saved" on this connection waits behind it.
		const elsewhere = new Y.Doc();
		elsewhere.getText('t').insert(0, 'a');
		const known = Y.encodeStateVector(elsewhere);
		elsewhere.getText('t').insert(1, 'b');
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0);
		encoding.writeVarUint(encoder, 2);
		encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(elsewhere, known));
		sw.sendRaw(encoding.toUint8Array(encoder));
		await expect
			.poll(() =>
				logs.some((l) => l.event === 'update held' && l.fields?.documentId === own.documentId)
			)
			.toBe(true);
		await removeQuietly(own);
		// Applied and sent to the watcher at once, then refused by Postgres: the room's memory
		// holds what the database does not, so the room goes now, not when the held edit is done.
		sw.edit((d) => d.getText('t').insert(0, 'after removal. '));
		await expect
			.poll(() => sw.closes[0], { timeout: 10_000 })
			.toMatchObject({ code: 4403, reason: 'You can no longer edit this document' });
		await expect.poll(() => watcher.closes[0]?.code, { timeout: 10_000 }).toBe(1011);
		const stored = await loadFromDb(admin, own.documentId);
		expect(stored.getText('t').toString()).toBe('');
	});

	it('closes with 4401 when the session ends, unless a fresh ticket arrives in-band', async () => {
		const own = await createCast(admin);
		const soon = () => ({ sessionExp: Math.floor(Date.now() / 1000) + 2 });
		const lapsing = client(
			own.documentId,
			await ticketFor(own.editor, own.documentId, 'edit', soon())
		);
		const renewing = client(
			own.documentId,
			await ticketFor(own.youngPerson, own.documentId, 'edit', soon())
		);
		await Promise.all([synced(lapsing), synced(renewing)]);
		const fresh = await ticketFor(own.youngPerson, own.documentId);
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 101);
		encoding.writeVarString(encoder, fresh);
		renewing.sendRaw(encoding.toUint8Array(encoder));
		await expect.poll(() => lapsing.closes[0]).toMatchObject({ code: 4401 });
		// The renewed one outlives the old session end (checked a second after the other closed).
		const after = Date.now() + 1_000;
		await expect.poll(() => Date.now() > after).toBe(true);
		expect(renewing.closes).toEqual([]);
		renewing.edit((d) => d.getText('t').insert(0, 'still here'));
		await expect.poll(() => renewing.savedEdits).toBe(1);
	});

	it('closes only the sender of an oversize, flooding or malformed message', async () => {
		const own = await createCast(admin);
		const bystander = client(own.documentId, await ticketFor(own.youngPerson, own.documentId));
		await synced(bystander);
		// Well-formed, under a client id Yjs never makes (its encoding allows up to 2^53).
		const outOfRange = () => {
			const doc = new Y.Doc();
			doc.clientID = 2 ** 33;
			return doc;
		};
		const cases: Array<{
			name: string;
			send: (c: TestClient) => void;
			codes: number[];
			doc?: () => Y.Doc;
		}> = [
			{ name: 'oversize', send: (c) => c.sendRaw(new Uint8Array(1024 * 1024 + 10)), codes: [1009] },
			{
				name: 'flood',
				send: (c) => {
					for (let i = 0; i < 1_000; i++) c.sendRaw(new Uint8Array([3]));
				},
				codes: [1008]
			},
			{
				name: 'bad varuint',
				send: (c) => c.sendRaw(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])),
				codes: [1007]
			},
			{ name: 'unknown type', send: (c) => c.sendRaw(new Uint8Array([42])), codes: [1008] },
			{
				name: 'invalid Yjs update',
				send: (c) => c.sendRaw(new Uint8Array([0, 2, 5, 9, 200, 1, 7, 3])),
				codes: [1007]
			},
			{ name: 'text frame', send: (c) => c.sendRaw('hello'), codes: [1007] },
			{
				name: 'client id beyond 32 bits',
				doc: outOfRange,
				send: (c) => c.edit((d) => d.getText('t').insert(0, 'too big ')),
				codes: [1007]
			}
		];
		for (const testCase of cases) {
			const ticket = await ticketFor(own.editor, own.documentId);
			const sender = client(own.documentId, ticket, testCase.doc?.());
			await synced(sender);
			testCase.send(sender);
			await expect
				.poll(() => sender.closes[0]?.code, { message: testCase.name })
				.toBeOneOf(testCase.codes);
			sender.destroy();
		}
		expect(bystander.closes).toEqual([]);
		bystander.edit((d) => d.getText('t').insert(0, 'unharmed'));
		await expect.poll(() => bystander.savedEdits).toBe(1);
		const stored = await loadFromDb(admin, own.documentId);
		expect(stored.getText('t').toString()).toBe('unharmed');
	});

	it('compacts the log into a snapshot with identical content', async () => {
		const own = await createCast(admin);
		const a = client(own.documentId, await ticketFor(own.editor, own.documentId));
		await synced(a);
		for (let i = 0; i < 50; i++) {
			a.edit((d) => d.getText('t').insert(d.getText('t').length, `w${i} `));
		}
		await expect.poll(() => a.savedEdits).toBe(50);
		const count = async () =>
			Number(
				(
					await admin.query('select count(*) from public.document_updates where document_id = $1', [
						own.documentId
					])
				).rows[0].count
			);
		await expect.poll(count).toBeLessThan(50);
		const stored = await loadFromDb(admin, own.documentId);
		expect(stored.getText('t').toString()).toBe(a.doc.getText('t').toString());
		// Unloading compacts the rest: nothing left in the log, the snapshot holds everything.
		a.destroy();
		await expect.poll(count).toBe(0);
		const afterUnload = await loadFromDb(admin, own.documentId);
		expect(afterUnload.getText('t').toString()).toBe(a.doc.getText('t').toString());
		await expect
			.poll(() =>
				logs.some((l) => l.event === 'document unloaded' && l.fields?.documentId === own.documentId)
			)
			.toBe(true);
	});

	it('skips a malformed stored update when loading, and keeps serving the document', async () => {
		const own = await createCast(admin);
		const writer = client(own.documentId, await ticketFor(own.editor, own.documentId));
		await synced(writer);
		writer.edit((d) => d.getText('t').insert(0, 'kept'));
		await expect.poll(() => writer.savedEdits).toBe(1);
		writer.destroy();
		await expect
			.poll(() =>
				logs.some((l) => l.event === 'document unloaded' && l.fields?.documentId === own.documentId)
			)
			.toBe(true);
		await admin.query(
			`insert into public.document_updates (document_id, author_id, update)
			 values ($1, $2, '\\x0509c8010703'::bytea)`,
			[own.documentId, own.editor]
		);
		const reader = client(own.documentId, await ticketFor(own.viewer, own.documentId, 'view'));
		await synced(reader);
		expect(reader.doc.getText('t').toString()).toBe('kept');
		expect(
			logs.some(
				(l) => l.event === 'stored update skipped' && l.fields?.documentId === own.documentId
			)
		).toBe(true);
	});

	it('closes a reader that stops reading (slow consumer) with 1008', async () => {
		const own = await createCast(admin);
		const slowLogs: Array<{ event: string; fields?: Record<string, unknown> }> = [];
		const strict = createCollabServer({
			pool: collabPool,
			ticketSecret: TEST_SECRET,
			allowedOrigins: [ORIGIN],
			limits: { slowConsumerBytes: 64 * 1024, bytesPerSecond: 1e9, byteBurst: 1e9 },
			log: (event, fields) => slowLogs.push({ event, fields })
		});
		const port = await strict.listen(0);
		const url = `ws://127.0.0.1:${port}`;
		try {
			const slow = connectClient(
				url,
				own.documentId,
				await ticketFor(own.viewer, own.documentId, 'view')
			);
			const writer = connectClient(
				url,
				own.documentId,
				await ticketFor(own.editor, own.documentId)
			);
			await synced(slow);
			await synced(writer);
			// The slow reader's socket stops reading: what the server sends it piles up.
			(slow.provider.ws as unknown as { _socket: { pause(): void } })._socket.pause();
			const chunk = 'x'.repeat(200 * 1024);
			for (
				let i = 0;
				i < 60 && !slowLogs.some((l) => l.fields?.reason === 'Too slow to keep up');
				i++
			) {
				writer.edit((d) => d.getText('t').insert(0, chunk));
				await expect.poll(() => writer.savedEdits).toBe(i + 1);
			}
			expect(
				slowLogs.find((l) => l.fields?.reason === 'Too slow to keep up')?.fields
			).toMatchObject({
				code: 1008,
				sub: own.viewer
			});
			expect(writer.closes).toEqual([]);
			slow.destroy();
			writer.destroy();
		} finally {
			await strict.close();
		}
	});

	it('refuses more connections per person than the cap', async () => {
		const own = await createCast(admin);
		const url = `${base}/${own.documentId}`;
		const small = createCollabServer({
			pool: collabPool,
			ticketSecret: TEST_SECRET,
			allowedOrigins: [ORIGIN],
			limits: { maxConnectionsPerUser: 1 },
			log: () => {}
		});
		const port = await small.listen(0);
		try {
			const first = connectClient(
				`ws://127.0.0.1:${port}`,
				own.documentId,
				await ticketFor(own.editor, own.documentId)
			);
			await synced(first);
			const ticket = await ticketFor(own.editor, own.documentId);
			expect(
				await handshakeStatus(url.replace(base, `ws://127.0.0.1:${port}`), [
					COLLAB_PROTOCOL,
					ticket
				])
			).toBe(429);
			first.destroy();
		} finally {
			await small.close();
		}
	});

	it('gives a slot back when ws refuses a malformed handshake after the ticket was accepted', async () => {
		const own = await createCast(admin);
		const small = createCollabServer({
			pool: collabPool,
			ticketSecret: TEST_SECRET,
			allowedOrigins: [ORIGIN],
			limits: { maxConnectionsPerUser: 1 },
			log: () => {}
		});
		const port = await small.listen(0);
		try {
			// Twice over the cap: each one passes our checks, then ws refuses its bad version. Slots
			// live in Postgres and are given back after the socket is gone, so the second may first
			// meet the first's slot (429, taking none) until its return commits.
			for (let i = 0; i < 2; i++) {
				const ticket = await ticketFor(own.editor, own.documentId);
				await expect.poll(() => rawUpgradeStatus(port, own.documentId, ticket, '12')).toBe(400);
			}
			// The slot came back each time, so a proper connection still gets in.
			const ticket = await ticketFor(own.editor, own.documentId);
			await expect
				.poll(() =>
					handshakeStatus(`ws://127.0.0.1:${port}/${own.documentId}`, [COLLAB_PROTOCOL, ticket])
				)
				.toBe(101);
		} finally {
			await small.close();
		}
	});

	it("does not let a connection take over another person's caret", async () => {
		const own = await createCast(admin);
		const a = client(own.documentId, await ticketFor(own.editor, own.documentId));
		await synced(a);
		a.provider.awareness.setLocalState({ user: { name: 'anything' } });
		const watcher = client(own.documentId, await ticketFor(own.commenter, own.documentId));
		await synced(watcher);
		const stateOfA = () => watcher.provider.awareness.getStates().get(a.doc.clientID);
		await expect.poll(() => stateOfA()?.user?.name).toBeTruthy();
		const before = stateOfA()?.user?.name;
		// A raw connection whose very first awareness message claims a's client id.
		const ticket = await ticketFor(own.viewer, own.documentId);
		const attacker = new WebSocket(`${base}/${own.documentId}`, [COLLAB_PROTOCOL, ticket], {
			origin: ORIGIN
		});
		await new Promise((resolve, reject) => {
			attacker.once('open', resolve);
			attacker.once('error', reject);
		});
		const inner = encoding.createEncoder();
		encoding.writeVarUint(inner, 1);
		encoding.writeVarUint(inner, a.doc.clientID);
		encoding.writeVarUint(inner, 1_000_000);
		encoding.writeVarString(inner, JSON.stringify({ user: { name: 'Impostor' } }));
		const outer = encoding.createEncoder();
		encoding.writeVarUint(outer, 1);
		encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
		attacker.send(encoding.toUint8Array(outer));
		// a's own next update still gets through (its clock was not frozen), under a's name.
		a.provider.awareness.setLocalState({ user: { name: 'anything' }, cursor: 1 });
		await expect.poll(() => stateOfA()?.cursor).toBe(1);
		expect(stateOfA()?.user?.name).toBe(before);
		attacker.terminate();
	});
});

/** Sends a hand-made upgrade request (with a chosen Sec-WebSocket-Version) and returns the status. */
function rawUpgradeStatus(
	port: number,
	documentId: string,
	ticket: string,
	version: string
): Promise<number> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1', () => {
			socket.write(
				`GET /${documentId} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
					`Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
					`Sec-WebSocket-Version: ${version}\r\nOrigin: ${ORIGIN}\r\n` +
					`Sec-WebSocket-Protocol: ${COLLAB_PROTOCOL}, ${ticket}\r\n\r\n`
			);
		});
		let data = '';
		socket.on('data', (chunk) => (data += chunk.toString()));
		socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1] ?? 0)));
		socket.on('error', reject);
	});
}
