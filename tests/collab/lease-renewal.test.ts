import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MESSAGE_OWN_WORDS } from '../../src/lib/collab/protocol.ts';
import { createCollabServer, type CollabLog } from '../../src/lib/server/collab/server.ts';
import {
	ORIGIN,
	TEST_SECRET,
	connectClient,
	createCast,
	leaseOf,
	ticketFor,
	type TestClient
} from './support.ts';

/**
 * A node renews all its leases in one statement while its group commit appends to many of the
 * same documents (each append locks its document's lease row for share until commit, in
 * document-id order: commits.ts). Found by the 200-document benchmark (issue 13): the renewal
 * updated the rows in whatever order its plan met them, so with a batch in flight Postgres
 * found a deadlock and, after deadlock_timeout, failed one side; a failed renewal let leases run
 * out, and the node dropped busy documents (1012 for everyone on them). Renewing in document-id
 * order, like the appends, makes the two wait for each other instead.
 *
 * The renewal also has a connection of its own (lease.ts, renewalPoolFor): on the shared pool it
 * queued behind the appends, loads and compactions of many busy documents and leases ran out.
 */

const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 4 });
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 6 });

afterAll(async () => {
	await collabPool.end();
	await admin.end();
});

async function acquire(node: string, documentId: string): Promise<number> {
	const { rows } = await collabPool.query<{ epoch: string | null }>(
		'select private.acquire_document_lease($1, $2, 600000, false)::text as epoch',
		[documentId, node]
	);
	return Number(rows[0]?.epoch);
}

describe('lease renewal beside the group commit', () => {
	it('waits for a batch holding its documents’ leases, in document order, without a deadlock', async () => {
		const node = randomUUID();
		const [low, high] = [
			(await createCast(admin, { blank: true })).documentId,
			(await createCast(admin, { blank: true })).documentId
		].sort();
		// The higher id leased first, and named first in the renewal: an order-blind renewal
		// meets it first, whichever way its plan walks the rows.
		const highEpoch = await acquire(node, high!);
		const lowEpoch = await acquire(node, low!);

		const batch = await collabPool.connect();
		try {
			await batch.query('begin');
			// A batch's appends check their leases in document order: the lower id first.
			await batch.query('select private.assert_document_lease($1, $2, $3)', [low, node, lowEpoch]);
			const renewal = collabPool.query<{ document_id: string; held: boolean }>(
				'select document_id, held from private.renew_document_leases($1, $2::uuid[], $3::bigint[], $4)',
				[node, [high, low], [highEpoch, lowEpoch], 600000]
			);
			renewal.catch(() => {});
			// The renewal is waiting for the batch's lock.
			await expect
				.poll(async () => {
					const { rows } = await admin.query<{ waiting: number }>(
						`select count(*)::int as waiting from pg_stat_activity
						 where wait_event_type = 'Lock' and query like '%renew_document_leases%'`
					);
					return rows[0]?.waiting;
				})
				.toBe(1);
			// The batch goes on to the higher id: it must not wait for the renewal.
			await batch.query('select private.assert_document_lease($1, $2, $3)', [
				high,
				node,
				highEpoch
			]);
			await batch.query('commit');
			const renewed = await renewal;
			expect(renewed.rows.every((r) => r.held)).toBe(true);
			expect(renewed.rows).toHaveLength(2);
		} finally {
			batch.release();
		}
	});
});

/** When the document's lease runs out, as Postgres's own text (microseconds kept). */
async function expiresAt(documentId: string): Promise<string> {
	const { rows } = await admin.query<{ expires_at: string }>(
		'select expires_at::text from private.document_leases where document_id = $1',
		[documentId]
	);
	return rows[0]!.expires_at;
}

/** The lease has been renewed since `before` (Postgres compares; no clock of ours). */
async function renewedSince(documentId: string, before: string): Promise<boolean> {
	const { rows } = await admin.query<{ later: boolean }>(
		'select expires_at > $2::timestamptz as later from private.document_leases where document_id = $1',
		[documentId, before]
	);
	return rows[0]?.later === true;
}

/** Waits for two renewals in a row: one already under way when a test changed something proves nothing. */
async function twoRenewals(documentId: string): Promise<void> {
	for (let i = 0; i < 2; i++) {
		const before = await expiresAt(documentId);
		await expect.poll(() => renewedSince(documentId, before)).toBe(true);
	}
}

/** A collab node on a small shared pool of its own, serving one document to one editor. */
async function nodeServingOneDocument(shared: pg.Pool) {
	const logs: Array<{ event: string; fields?: Record<string, unknown> }> = [];
	const log: CollabLog = (event, fields) => logs.push({ event, fields });
	// Renewed every 200 ms, so a few missed renewals are seen soon.
	const server = createCollabServer({
		pool: shared,
		ticketSecret: TEST_SECRET,
		allowedOrigins: [ORIGIN],
		leaseMs: 600,
		log
	});
	const port = await server.listen(0);
	const cast = await createCast(admin, { blank: true });
	const client: TestClient = connectClient(
		`ws://127.0.0.1:${port}`,
		cast.documentId,
		await ticketFor(cast.editor, cast.documentId)
	);
	// Who wrote what is not this test's question.
	client.provider.messageHandlers[MESSAGE_OWN_WORDS] = () => {};
	await expect.poll(() => client.provider.synced).toBe(true);
	await expect.poll(async () => (await leaseOf(admin, cast.documentId))?.node).toBe(server.nodeId);
	return { server, client, logs, documentId: cast.documentId };
}

describe('lease renewal on a connection of its own', () => {
	it('renews while every connection of the shared pool is taken', async () => {
		const max = 3;
		const shared = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max });
		const { server, client, documentId } = await nodeServingOneDocument(shared);
		// Every connection of the shared pool taken (the access listener holds one), and one more
		// asked for: a connection handed back goes to the next in the queue, which is this test,
		// never to work the server queues after it, as a renewal on the shared pool would be.
		const taken = Array.from({ length: max }, () => shared.connect());
		try {
			await expect.poll(() => shared.waitingCount).toBeGreaterThan(0);
			await twoRenewals(documentId);
		} finally {
			for (const checkout of taken) (await checkout).release();
			client.destroy();
			await server.close();
			await shared.end();
		}
	});

	it('opens a new connection when its connection is killed, logs it, and renews on', async () => {
		const shared = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 3 });
		const { server, client, documentId, logs } = await nodeServingOneDocument(shared);
		const renewalBackends = async () =>
			(
				await admin.query<{ pid: number }>(
					`select pid from pg_stat_activity
					 where application_name = 'in-my-words collab lease renewal'`
				)
			).rows.map((r) => r.pid);
		try {
			await expect.poll(async () => (await renewalBackends()).length).toBe(1);
			const [killed] = await renewalBackends();
			await admin.query('select pg_terminate_backend($1)', [killed]);
			// Idle when killed: the pool says so; mid-statement: the renewal fails. Either is logged.
			await expect
				.poll(() =>
					logs.some((l) =>
						['lease renewal connection lost', 'lease renewal failed'].includes(l.event)
					)
				)
				.toBe(true);
			await twoRenewals(documentId);
			const now = await renewalBackends();
			expect(now).toHaveLength(1);
			expect(now).not.toContain(killed);
		} finally {
			client.destroy();
			await server.close();
			await shared.end();
		}
		// Closed with the server: nothing is left connected under the renewal's name.
		await expect.poll(async () => (await renewalBackends()).length).toBe(0);
	});
});
