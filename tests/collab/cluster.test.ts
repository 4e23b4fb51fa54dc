import { setTimeout as pace } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { freePort } from '../../scripts/support/free-port.ts';
import { CLOSE_MOVED, MESSAGE_OWN_WORDS } from '../../src/lib/collab/protocol.ts';
import { createCollabServer, type CollabServer } from '../../src/lib/server/collab/server.ts';
import { createStore } from '../../src/lib/server/collab/store.ts';
import { COLLAB_PROTOCOL } from '../../src/lib/server/collab/ticket.ts';
import { CollabProcess } from './collab-process.ts';
import {
	ORIGIN,
	TEST_SECRET,
	connectClient,
	createCast,
	handshakeStatus,
	leaseOf,
	loadFromDb,
	takeLease,
	ticketFor,
	type TestClient
} from './support.ts';

/**
 * Several collab nodes on one database (issue 13, item 2): one node serves a document at a time,
 * the holder of its lease. A node asked for a document hands it over (its clients get 1012 and
 * reconnect); a node whose lease was taken while it stood still can neither append nor
 * acknowledge; a node told to stop (SIGTERM) drains. Each ends with every acknowledged edit in
 * Postgres. States are waited for by polling (rows, close codes, acknowledgements), never by time.
 */
process.setMaxListeners(100);

const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 4 });
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 10 });
const clients: TestClient[] = [];
const servers: CollabServer[] = [];
const processes: CollabProcess[] = [];
/** Short, so the renewals (every third of it) notice handovers and losses in good time. */
const LEASE_MS = 2_000;

afterAll(async () => {
	for (const c of clients) c.destroy();
	for (const server of servers) await server.close();
	for (const child of processes) await child.kill();
	await collabPool.end();
	await admin.end();
});

type Logged = Array<{ event: string; fields?: Record<string, unknown> }>;

async function node(
	options: { maxConnectionsPerUser?: number; leaseWaitMs?: number } = {}
): Promise<{ server: CollabServer; base: string; logs: Logged }> {
	const logs: Logged = [];
	const { maxConnectionsPerUser, leaseWaitMs } = options;
	const server = createCollabServer({
		pool: collabPool,
		ticketSecret: TEST_SECRET,
		allowedOrigins: [ORIGIN],
		unloadGraceMs: 200,
		leaseMs: LEASE_MS,
		leaseWaitMs,
		limits: maxConnectionsPerUser ? { maxConnectionsPerUser } : {},
		log: (event, fields) => logs.push({ event, fields })
	});
	servers.push(server);
	const port = await server.listen(0);
	return { server, base: `ws://127.0.0.1:${port}`, logs };
}

async function connect(base: string, documentId: string, who: string): Promise<TestClient> {
	const c = connectClient(base, documentId, await ticketFor(who, documentId));
	c.provider.messageHandlers[MESSAGE_OWN_WORDS] = () => {};
	clients.push(c);
	return c;
}

/** The client reconnects to `base` from now on (as a proxy would send it after a move). */
function routeTo(c: TestClient, base: string): void {
	c.provider.serverUrl = base;
}

function token(name: string, n: number): string {
	return `${name}-${n}`;
}

/** One edit: the client's next token (edit() has counted it already when fn runs). */
function type(c: TestClient, name: string): void {
	c.edit((d) => d.getArray<string>('a').push([token(name, c.edits)]));
}

/** Every edit the client has had acknowledged is stored (tokens name-1 … name-savedEdits). */
async function acknowledgedAreStored(
	documentId: string,
	c: TestClient,
	name: string
): Promise<void> {
	const stored = new Set((await loadFromDb(admin, documentId)).getArray<string>('a').toArray());
	for (let k = 1; k <= c.savedEdits; k++) {
		expect(stored.has(token(name, k)), `${token(name, k)} was acknowledged but is lost`).toBe(true);
	}
}

const closedWith = (c: TestClient, code: number) => c.closes.some((close) => close.code === code);

describe('one node serves a document at a time', () => {
	it('hands a document over to the node its clients are sent to, losing no acknowledged edit', async () => {
		const cast = await createCast(admin, { blank: true });
		const first = await node();
		const second = await node();
		const a = await connect(first.base, cast.documentId, cast.editor);
		await expect.poll(() => a.provider.synced).toBe(true);
		const before = await leaseOf(admin, cast.documentId);
		expect(before?.node).toBe(first.server.nodeId);
		for (let i = 0; i < 10; i++) type(a, 'a');
		await expect.poll(() => a.savedEdits).toBe(10);

		// The young person's client is sent to the second node (the proxy's hash and the lease
		// disagree); from now on the proxy sends the editor there too.
		routeTo(a, second.base);
		const b = await connect(second.base, cast.documentId, cast.youngPerson);
		// The editor keeps typing through the handover.
		let typing = true;
		const typist = (async () => {
			while (typing) {
				type(a, 'a');
				await pace(5);
			}
		})();
		await expect.poll(() => closedWith(a, CLOSE_MOVED)).toBe(true);
		await expect.poll(() => b.provider.synced).toBe(true);
		await expect
			.poll(async () => (await leaseOf(admin, cast.documentId))?.node)
			.toBe(second.server.nodeId);
		expect((await leaseOf(admin, cast.documentId))!.epoch).toBeGreaterThan(before!.epoch);
		expect(first.server.loadedDocuments()).toBe(0);
		expect(first.logs.map((l) => l.event)).toContain('document left: handover');
		// Back on the second node: the editor's edits made meanwhile are resent and saved.
		await expect.poll(() => a.provider.synced).toBe(true);
		typing = false;
		await typist;
		for (let i = 0; i < 5; i++) type(b, 'b');
		await expect.poll(() => a.savedEdits).toBe(a.edits);
		await expect.poll(() => b.savedEdits).toBe(b.edits);
		const expected = a.doc.getArray<string>('a').toArray();
		await expect.poll(() => b.doc.getArray<string>('a').toArray()).toEqual(expected);
		expect(expected).toHaveLength(a.edits + b.edits);

		// After the document unloads, the stored log holds every acknowledged edit.
		a.destroy();
		b.destroy();
		await expect.poll(() => second.server.loadedDocuments()).toBe(0);
		await acknowledgedAreStored(cast.documentId, a, 'a');
		await acknowledgedAreStored(cast.documentId, b, 'b');
		expect((await loadFromDb(admin, cast.documentId)).getArray('a').length).toBe(a.edits + b.edits);
		// Released on unload: nobody holds it now.
		await expect.poll(async () => (await leaseOf(admin, cast.documentId))?.live).toBe(false);
	});

	it('a node whose lease was taken while it stood still appends nothing more and acknowledges nothing', async () => {
		const cast = await createCast(admin, { blank: true });
		const stale = await node();
		const next = await node();
		const a = await connect(stale.base, cast.documentId, cast.editor);
		await expect.poll(() => a.provider.synced).toBe(true);
		for (let i = 0; i < 5; i++) type(a, 'a');
		await expect.poll(() => a.savedEdits).toBe(5);
		const held = await leaseOf(admin, cast.documentId);
		expect(held?.node).toBe(stale.server.nodeId);

		// The node stops renewing (as if paused) and its lease runs out, by Postgres's clock.
		stale.server.pauseLeaseRenewals(true);
		await expect.poll(async () => (await leaseOf(admin, cast.documentId))?.live).toBe(false);
		// Another node takes the document.
		const b = await connect(next.base, cast.documentId, cast.youngPerson);
		await expect.poll(() => b.provider.synced).toBe(true);
		const taken = await leaseOf(admin, cast.documentId);
		expect(taken).toMatchObject({ node: next.server.nodeId, live: true });
		expect(taken!.epoch).toBeGreaterThan(held!.epoch);

		// The stale node still has its room and its client; the client's next edit reaches it.
		expect(stale.server.loadedDocuments()).toBe(1);
		const acksBefore = a.acks.length;
		const acksAtClose: number[] = [];
		a.provider.on('connection-close', () => acksAtClose.push(a.acks.length));
		routeTo(a, next.base);
		type(a, 'a');
		await expect.poll(() => closedWith(a, CLOSE_MOVED)).toBe(true);
		// Its append was refused by Postgres for the lease, and no "saved" came for it.
		expect(stale.logs.map((l) => l.event)).toContain('append refused: lease lost');
		expect(acksAtClose[0]).toBe(acksBefore);
		expect(stale.server.loadedDocuments()).toBe(0);
		await acknowledgedAreStored(cast.documentId, a, 'a');

		// The client moves to the node that holds the document; its edit is resent and saved there.
		await expect.poll(() => a.provider.synced).toBe(true);
		await expect.poll(() => a.savedEdits).toBe(6);
		await expect.poll(() => b.doc.getArray<string>('a').length).toBe(6);
		stale.server.pauseLeaseRenewals(false);
		a.destroy();
		b.destroy();
		await expect.poll(() => next.server.loadedDocuments()).toBe(0);
		expect((await loadFromDb(admin, cast.documentId)).getArray<string>('a').toArray()).toEqual(
			[1, 2, 3, 4, 5, 6].map((n) => token('a', n))
		);
	});
});

describe('connection slots', () => {
	it('counts a person’s connections on every node together, and gives a slot back on close', async () => {
		const cast = await createCast(admin, { blank: true });
		// A second document of the same young person, which the editor may open too.
		const { rows } = await admin.query<{ id: string }>(
			`insert into public.documents (young_person_id, kind, title, created_by)
			 values ($1, 'pathway_plan', 'Pathway plan', $2) returning id`,
			[cast.youngPerson, cast.editor]
		);
		const other = { documentId: rows[0]!.id };
		const first = await node({ maxConnectionsPerUser: 2 });
		const second = await node({ maxConnectionsPerUser: 2 });
		const one = await connect(first.base, cast.documentId, cast.editor);
		const two = await connect(second.base, other.documentId, cast.editor);
		await expect.poll(() => one.provider.synced && two.provider.synced).toBe(true);
		// Two open, one on each node: a third is refused on either.
		for (const { base } of [first, second]) {
			const ticket = await ticketFor(cast.editor, cast.documentId);
			expect(await handshakeStatus(`${base}/${cast.documentId}`, [COLLAB_PROTOCOL, ticket])).toBe(
				429
			);
		}
		one.destroy();
		const ticket = await ticketFor(cast.editor, other.documentId);
		await expect
			.poll(() => handshakeStatus(`${second.base}/${other.documentId}`, [COLLAB_PROTOCOL, ticket]))
			.toBe(101);
		two.destroy();
	});
});

describe('the group commit under leases', () => {
	it('fails only the appends of a document whose lease is gone, and commits the rest of their batch', async () => {
		const store = createStore(collabPool, () => {});
		const kept = await createCast(admin, { blank: true });
		const lost = await createCast(admin, { blank: true });
		const keptFence = await takeLease(collabPool, kept.documentId);
		const lostFence = await takeLease(collabPool, lost.documentId);
		// Another node takes the second document (this one released it, as after a pause).
		await lostFence.release();
		const other = await takeLease(collabPool, lost.documentId);
		const update = (text: string) => {
			const doc = new Y.Doc();
			doc.getArray<string>('a').push([text]);
			return { update: Y.encodeStateAsUpdate(doc), client: doc.clientID };
		};
		const one = update('kept-1');
		const two = update('lost-1');
		const three = update('kept-2');
		// The first append is in flight alone; the next two wait and go together in one batch.
		const first = store.append(
			kept.documentId,
			kept.editor,
			one.update,
			[one.client],
			[],
			keptFence
		);
		const refused = store.append(
			lost.documentId,
			lost.editor,
			two.update,
			[two.client],
			[],
			lostFence
		);
		const third = store.append(
			kept.documentId,
			kept.editor,
			three.update,
			[three.client],
			[],
			keptFence
		);
		await expect(refused).rejects.toMatchObject({ code: 'L0001' });
		await expect(first).resolves.toBeGreaterThan(0);
		await expect(third).resolves.toBeGreaterThan(0);
		expect(
			(await loadFromDb(admin, kept.documentId)).getArray<string>('a').toArray().sort()
		).toEqual(['kept-1', 'kept-2']);
		expect((await loadFromDb(admin, lost.documentId)).getArray('a').length).toBe(0);
		await keptFence.release();
		await other.release();
	});
});

describe('the tests’ own reading of the stored log', () => {
	it('reads one moment: a compaction that commits while loadFromDb reads loses nothing', async () => {
		// As when a test reads the log just after a document unloads (loadedDocuments() is 0 once
		// the room is dropped, before its unload compaction commits).
		const cast = await createCast(admin, { blank: true });
		const store = createStore(collabPool, () => {});
		const fence = await takeLease(collabPool, cast.documentId);
		for (const text of ['x-1', 'x-2', 'x-3']) {
			const doc = new Y.Doc();
			doc.getArray<string>('a').push([text]);
			await store.append(
				cast.documentId,
				cast.editor,
				Y.encodeStateAsUpdate(doc),
				[doc.clientID],
				[],
				fence
			);
		}
		// The compaction commits right after loadFromDb's first query.
		let compacted = -1;
		const racing = {
			async query(text: string, values?: unknown[]) {
				const result = await admin.query(text, values);
				if (compacted < 0) compacted = await store.compact(cast.documentId, fence);
				return result;
			}
		} as unknown as pg.Pool;
		const read = (await loadFromDb(racing, cast.documentId)).getArray<string>('a').toArray();
		expect(compacted).toBe(3);
		expect(read.sort()).toEqual(['x-1', 'x-2', 'x-3']);
		await fence.release();
	});
});

describe('split brain', () => {
	it('a node SIGSTOPped past its lease resumes, and its edits from the pause are neither stored by it nor acknowledged', async () => {
		const cast = await createCast(admin, { blank: true });
		const paused = new CollabProcess(await freePort());
		const other = new CollabProcess(await freePort());
		processes.push(paused, other);
		await paused.start();
		await other.start();
		const pausedBase = `ws://127.0.0.1:${paused.port}`;
		const otherBase = `ws://127.0.0.1:${other.port}`;
		const a = await connect(pausedBase, cast.documentId, cast.editor);
		await expect.poll(() => a.provider.synced).toBe(true);
		for (let i = 0; i < 5; i++) type(a, 'a');
		await expect.poll(() => a.savedEdits).toBe(5);
		const before = await leaseOf(admin, cast.documentId);

		paused.pause();
		await expect.poll(async () => (await leaseOf(admin, cast.documentId))?.live).toBe(false);
		// Meanwhile the editor types into the paused node's socket, and the young person opens the
		// document on the other node, which takes it.
		for (let i = 0; i < 3; i++) type(a, 'a');
		const acksBefore = a.acks.length;
		const acksAtClose: number[] = [];
		a.provider.on('connection-close', () => acksAtClose.push(a.acks.length));
		routeTo(a, otherBase);
		const b = await connect(otherBase, cast.documentId, cast.youngPerson);
		await expect.poll(() => b.provider.synced).toBe(true);
		const taken = await leaseOf(admin, cast.documentId);
		expect(taken!.epoch).toBeGreaterThan(before!.epoch);
		expect(taken!.node).not.toBe(before!.node);
		// Nothing from the pause is stored while the other node serves the document alone.
		const stored = (await loadFromDb(admin, cast.documentId)).getArray<string>('a').toArray();
		expect(stored).toEqual([1, 2, 3, 4, 5].map((n) => token('a', n)));

		paused.resume();
		await expect.poll(() => closedWith(a, CLOSE_MOVED)).toBe(true);
		// No "saved" came from the paused node for anything typed during the pause.
		expect(acksAtClose[0]).toBe(acksBefore);
		expect(a.savedEdits).toBe(5);
		// The editor carries on at the node that holds the document: everything arrives, once.
		await expect.poll(() => a.provider.synced).toBe(true);
		await expect.poll(() => a.savedEdits).toBe(8);
		await expect.poll(() => b.doc.getArray<string>('a').length).toBe(8);
		a.destroy();
		b.destroy();
		await expect
			.poll(async () => (await loadFromDb(admin, cast.documentId)).getArray<string>('a').toArray())
			.toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => token('a', n)));
		expect(await paused.terminate()).toBe(0);
		expect(await other.terminate()).toBe(0);
	});
});

describe('a document another node keeps', () => {
	it('is asked for, and the handshake refused 503 (try again) when it is not let go in time', async () => {
		const cast = await createCast(admin, { blank: true });
		// A holder that never hands over (a node of the test's own, with a long lease).
		const holder = await takeLease(collabPool, cast.documentId);
		const asking = await node({ leaseWaitMs: 1_000 });
		const url = `${asking.base}/${cast.documentId}`;
		const ticket = await ticketFor(cast.editor, cast.documentId);
		expect(await handshakeStatus(url, [COLLAB_PROTOCOL, ticket])).toBe(503);
		expect(await leaseOf(admin, cast.documentId)).toMatchObject({
			node: holder.node,
			live: true,
			wantedBy: asking.server.nodeId
		});
		expect(asking.server.loadedDocuments()).toBe(0);
		// Once it is let go, the same node takes it with a higher epoch and serves it.
		await holder.release();
		expect(await handshakeStatus(url, [COLLAB_PROTOCOL, ticket])).toBe(101);
		const now = await leaseOf(admin, cast.documentId);
		expect(now?.node).toBe(asking.server.nodeId);
		expect(now!.epoch).toBeGreaterThan(holder.epoch);
	});
});

describe('draining', () => {
	it('SIGTERM: the node flushes, releases and closes with 1012; its clients move with every acknowledged edit', async () => {
		const cast = await createCast(admin, { blank: true });
		const leaving = new CollabProcess(await freePort());
		const staying = new CollabProcess(await freePort());
		processes.push(leaving, staying);
		await leaving.start();
		await staying.start();
		const leavingBase = `ws://127.0.0.1:${leaving.port}`;
		const stayingBase = `ws://127.0.0.1:${staying.port}`;
		const a = await connect(leavingBase, cast.documentId, cast.editor);
		const b = await connect(leavingBase, cast.documentId, cast.youngPerson);
		await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
		let typing = true;
		const typist = (async () => {
			while (typing) {
				type(a, 'a');
				type(b, 'b');
				await pace(5);
			}
		})();
		await expect.poll(() => a.savedEdits >= 20 && b.savedEdits >= 20).toBe(true);

		// The proxy sends new connections to the other node once this one stops answering.
		routeTo(a, stayingBase);
		routeTo(b, stayingBase);
		for (const c of [a, b]) {
			c.provider.protocols = [
				COLLAB_PROTOCOL,
				await ticketFor(c === a ? cast.editor : cast.youngPerson, cast.documentId)
			];
		}
		expect(await leaving.terminate()).toBe(0);
		await expect.poll(() => closedWith(a, CLOSE_MOVED) && closedWith(b, CLOSE_MOVED)).toBe(true);
		expect(leaving.output).toContain('document left: drain');
		// Every edit acknowledged before the drain is stored.
		await acknowledgedAreStored(cast.documentId, a, 'a');
		await acknowledgedAreStored(cast.documentId, b, 'b');

		// They carry on at the other node, without a reload, and everything they typed arrives.
		await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
		typing = false;
		await typist;
		await expect.poll(() => a.savedEdits).toBe(a.edits);
		await expect.poll(() => b.savedEdits).toBe(b.edits);
		const expected = a.doc.getArray<string>('a').toArray();
		await expect.poll(() => b.doc.getArray<string>('a').toArray()).toEqual(expected);
		expect(new Set(expected).size).toBe(a.edits + b.edits);
		a.destroy();
		b.destroy();
		await expect
			.poll(async () => (await loadFromDb(admin, cast.documentId)).getArray('a').length)
			.toBe(a.edits + b.edits);
		await acknowledgedAreStored(cast.documentId, a, 'a');
		await acknowledgedAreStored(cast.documentId, b, 'b');
		expect(await staying.terminate()).toBe(0);
	});
});
