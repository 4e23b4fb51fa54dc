import { setTimeout as pace } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../scripts/support/free-port.ts';
import { CLOSE_MOVED, MESSAGE_OWN_WORDS } from '../../src/lib/collab/protocol.ts';
import { COLLAB_PROTOCOL } from '../../src/lib/server/collab/ticket.ts';
import { CollabProcess } from './collab-process.ts';
import { ProxyProcess } from './proxy-process.ts';
import {
	connectClient,
	createCast,
	leaseOf,
	loadFromDb,
	ticketFor,
	type Cast,
	type TestClient
} from './support.ts';

/**
 * Routing by document id with an ordinary proxy (issue 13, item 3): the real HAProxy, with the
 * configuration we ship (deploy/haproxy/collab.cfg, unchanged: only its environment variables are
 * set here), in front of three real collab nodes. Each document's connections reach one node,
 * documents spread over the nodes, and a node told to stop (SIGTERM) is taken out by the health
 * check, so its clients (closed with 1012) reconnect through the proxy to another node with every
 * acknowledged edit kept. Which node serves a document is read from its lease in Postgres.
 * States are waited for by polling, never by time.
 */
process.setMaxListeners(100);

/** Enough documents that all landing on one of three nodes would be a broken hash. */
const DOCUMENTS = 12;

const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 4 });
const nodes: CollabProcess[] = [];
const clients: TestClient[] = [];
let proxy: ProxyProcess | null = null;
let base = '';

afterAll(async () => {
	for (const c of clients) c.destroy();
	await proxy?.kill();
	for (const node of nodes) await node.kill();
	await admin.end();
});

interface Writer {
	client: TestClient;
	name: string;
	who: string;
}

interface Doc {
	cast: Cast;
	writers: Writer[];
}

async function connect(documentId: string, who: string, name: string): Promise<Writer> {
	const client = connectClient(base, documentId, await ticketFor(who, documentId));
	client.provider.messageHandlers[MESSAGE_OWN_WORDS] = () => {};
	clients.push(client);
	return { client, name, who };
}

const token = (name: string, n: number) => `${name}-${n}`;

function type(w: Writer): void {
	w.client.edit((d) => d.getArray<string>('a').push([token(w.name, w.client.edits)]));
}

/** Every edit the writer has had acknowledged is in Postgres. */
async function acknowledgedAreStored(documentId: string, w: Writer): Promise<void> {
	const stored = new Set((await loadFromDb(admin, documentId)).getArray<string>('a').toArray());
	for (let k = 1; k <= w.client.savedEdits; k++) {
		expect(stored.has(token(w.name, k)), `${token(w.name, k)} was acknowledged but is lost`).toBe(
			true
		);
	}
}

/** Tickets live a minute: a fresh one for the writer's next reconnect. */
async function freshTicket(w: Writer, documentId: string): Promise<void> {
	w.client.provider.protocols = [COLLAB_PROTOCOL, await ticketFor(w.who, documentId)];
}

const nodeOf = (id: string | undefined) => nodes.find((n) => n.nodeId === id);

describe('HAProxy in front of three collab nodes (deploy/haproxy/collab.cfg)', () => {
	const docs: Doc[] = [];
	/** Lease holder and epoch of each document once its clients are connected. */
	const leases = new Map<string, { node: string; epoch: number }>();

	// expect.poll (used to wait for the processes) runs only inside a test.
	it('starts three collab nodes and HAProxy on the shipped configuration', async () => {
		for (let i = 0; i < 3; i++) nodes.push(new CollabProcess(await freePort()));
		for (const node of nodes) await node.start();
		for (const node of nodes) await expect.poll(() => node.nodeId).not.toBeNull();
		proxy = new ProxyProcess(
			await freePort(),
			nodes.map((n) => n.port)
		);
		await proxy.start();
		base = proxy.base;
	});

	it('sends all of a document’s connections to one node, and spreads documents over the nodes', async () => {
		for (let i = 0; i < DOCUMENTS; i++) {
			const cast = await createCast(admin, { blank: true });
			docs.push({
				cast,
				writers: [
					await connect(cast.documentId, cast.editor, `d${i}e`),
					await connect(cast.documentId, cast.youngPerson, `d${i}y`)
				]
			});
		}
		for (const doc of docs) {
			for (const w of doc.writers) await expect.poll(() => w.client.provider.synced).toBe(true);
		}
		for (const doc of docs) {
			const lease = await leaseOf(admin, doc.cast.documentId);
			expect(lease, 'a connected document has a lease').not.toBeNull();
			expect(nodeOf(lease!.node), 'held by one of the three nodes').toBeDefined();
			leases.set(doc.cast.documentId, { node: lease!.node, epoch: lease!.epoch });
		}
		// A second connection the proxy sent elsewhere would have taken the lease over (a
		// handover: a 1012 close and a higher epoch). Neither happened: both clients of each
		// document reached the node holding its lease.
		for (const doc of docs) {
			for (const w of doc.writers) expect(w.client.closes).toEqual([]);
		}
		// A third connection to each document, later, goes to the same node.
		for (const [i, doc] of docs.entries()) {
			const late = await connect(doc.cast.documentId, doc.cast.editor, `d${i}late`);
			doc.writers.push(late);
			await expect.poll(() => late.client.provider.synced).toBe(true);
		}
		for (const doc of docs) {
			const lease = await leaseOf(admin, doc.cast.documentId);
			expect(lease).toMatchObject(leases.get(doc.cast.documentId)!);
			for (const w of doc.writers) expect(w.client.closes).toEqual([]);
		}
		const used = new Set([...leases.values()].map((l) => l.node));
		expect(used.size, 'documents spread over more than one node').toBeGreaterThanOrEqual(2);
	});

	it('acknowledges and stores edits made through the proxy, and every client sees them', async () => {
		for (const doc of docs) for (const w of doc.writers) for (let k = 0; k < 5; k++) type(w);
		for (const doc of docs) {
			for (const w of doc.writers) {
				await expect.poll(() => w.client.savedEdits).toBe(w.client.edits);
				await acknowledgedAreStored(doc.cast.documentId, w);
			}
			const expected = (await loadFromDb(admin, doc.cast.documentId))
				.getArray<string>('a')
				.toArray();
			expect(expected).toHaveLength(doc.writers.length * 5);
			for (const w of doc.writers) {
				await expect.poll(() => w.client.doc.getArray<string>('a').toArray()).toEqual(expected);
			}
		}
		for (const doc of docs) {
			expect(await leaseOf(admin, doc.cast.documentId)).toMatchObject(
				leases.get(doc.cast.documentId)!
			);
		}
	});

	it('sends the app’s requests about a document to the node serving its websockets', async () => {
		// An addition (a form's words, no JavaScript) opens the document's room on the node that
		// answers it; any other node would take the document over, closing its editors (1012).
		const http = base.replace(/^ws/, 'http');
		for (const doc of docs) {
			const { documentId, editor } = doc.cast;
			const response = await fetch(`${http}/documents/${documentId}/additions`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${await ticketFor(editor, documentId)}`,
					'content-type': 'application/json'
				},
				body: JSON.stringify({ section: 'no-such-section', text: 'hello' })
			});
			// Blank documents have no sections: judged on the document's own node and refused.
			expect(response.status).toBe(422);
			expect(await response.json()).toEqual({ refused: 'no such section' });
		}
		for (const doc of docs) {
			expect(await leaseOf(admin, doc.cast.documentId)).toMatchObject(
				leases.get(doc.cast.documentId)!
			);
			for (const w of doc.writers) expect(w.client.closes).toEqual([]);
		}
	});

	it('SIGTERM: the health check takes the node out; its clients reconnect through the proxy to another node, losing no acknowledged edit', async () => {
		const doc = docs[0]!;
		const documentId = doc.cast.documentId;
		const before = leases.get(documentId)!;
		const leaving = nodeOf(before.node)!;
		const moving = docs.filter((d) => leases.get(d.cast.documentId)!.node === before.node);
		// Tickets live a minute: everyone who will reconnect gets a fresh one first.
		for (const d of moving) for (const w of d.writers) await freshTicket(w, d.cast.documentId);

		let typing = true;
		const typist = (async () => {
			while (typing) {
				for (const w of doc.writers) type(w);
				await pace(5);
			}
		})();
		const savedBefore = doc.writers.map((w) => w.client.savedEdits);
		await expect
			.poll(() => doc.writers.every((w, i) => w.client.savedEdits >= savedBefore[i]! + 20))
			.toBe(true);

		expect(await leaving.terminate()).toBe(0);
		expect(leaving.output).toContain('document left: drain');
		for (const w of doc.writers) {
			await expect.poll(() => w.client.closes.map((c) => c.code)).toContain(CLOSE_MOVED);
		}
		// Every edit acknowledged before the drain is stored.
		for (const w of doc.writers) await acknowledgedAreStored(documentId, w);

		// Through the proxy they reach another node, which takes the lease at a higher epoch.
		await expect
			.poll(async () => {
				const lease = await leaseOf(admin, documentId);
				return Boolean(lease?.live && lease.node !== before.node && nodeOf(lease.node));
			})
			.toBe(true);
		expect((await leaseOf(admin, documentId))!.epoch).toBeGreaterThan(before.epoch);
		for (const w of doc.writers) await expect.poll(() => w.client.provider.synced).toBe(true);
		// They keep typing on the new node; then everything typed is acknowledged and stored.
		const savedAfterMove = doc.writers.map((w) => w.client.savedEdits);
		await expect
			.poll(() => doc.writers.every((w, i) => w.client.savedEdits >= savedAfterMove[i]! + 10))
			.toBe(true);
		typing = false;
		await typist;
		for (const w of doc.writers) {
			await expect.poll(() => w.client.savedEdits).toBe(w.client.edits);
			await acknowledgedAreStored(documentId, w);
		}
		const total = doc.writers.reduce((n, w) => n + w.client.edits, 0);
		await expect
			.poll(async () => (await loadFromDb(admin, documentId)).getArray('a').length)
			.toBe(total);
		const expected = (await loadFromDb(admin, documentId)).getArray<string>('a').toArray();
		expect(new Set(expected).size).toBe(total);
		for (const w of doc.writers) {
			await expect.poll(() => w.client.doc.getArray<string>('a').toArray()).toEqual(expected);
		}
		expect(proxy!.output).toMatch(/node\d is DOWN/);

		// Every other document the leaving node held moved too, and its clients are back.
		for (const d of moving) {
			await expect
				.poll(async () => {
					const lease = await leaseOf(admin, d.cast.documentId);
					return Boolean(lease?.live && lease.node !== before.node && nodeOf(lease.node));
				})
				.toBe(true);
			for (const w of d.writers) await expect.poll(() => w.client.provider.synced).toBe(true);
		}
	});
});
