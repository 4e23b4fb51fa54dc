import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import * as Y from 'yjs';
import { claimsFor, createStore } from '$lib/server/collab/store';
import { CONTENT_FIELD } from '$lib/collab/protocol';
import { createCast } from '../collab/support.ts';

/**
 * Issue 13, item 2, in the database alone: one owner per document at a time, with an epoch that
 * fences every write (migration 20261206000100). Two "nodes" here are two node ids on the collab
 * service's own role, each with its own connection and explicit transactions; the test decides
 * when each commits. Time is never measured: a lease "runs out" because it was taken for a few
 * milliseconds, and the test waits for Postgres to say so.
 */

const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });
const service = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 4 });

afterAll(async () => {
	await service.end();
	await admin.end();
});

const LONG = 600_000;
const SHORT = 50;

async function acquire(doc: string, node: string, leaseMs = LONG, wanted = false) {
	const { rows } = await service.query<{ epoch: string | null }>(
		'select private.acquire_document_lease($1, $2, $3, $4)::text as epoch',
		[doc, node, leaseMs, wanted]
	);
	return rows[0]!.epoch === null ? null : Number(rows[0]!.epoch);
}

async function lease(doc: string) {
	const { rows } = await service.query<{
		node_id: string;
		epoch: string;
		live: boolean;
		handover_wanted_by: string | null;
	}>('select * from private.document_lease($1)', [doc]);
	const row = rows[0]!;
	return {
		node: row.node_id,
		epoch: Number(row.epoch),
		live: row.live,
		wantedBy: row.handover_wanted_by
	};
}

async function renew(node: string, doc: string, epoch: number, leaseMs: number) {
	const { rows } = await service.query<{ held: boolean; handover_wanted: boolean }>(
		'select held, handover_wanted from private.renew_document_leases($1, $2, $3, $4)',
		[node, [doc], [epoch], leaseMs]
	);
	return rows[0];
}

/** Waits (polling Postgres, not a clock) until the document's lease has run out. */
async function runOut(doc: string) {
	await vi.waitFor(
		async () => {
			if ((await lease(doc)).live) throw new Error('still live');
		},
		{ timeout: 10_000, interval: 20 }
	);
}

function paragraphUpdate(text: string): { update: Buffer; clientId: number } {
	const doc = new Y.Doc();
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [new Y.XmlText(text)]);
	doc.getXmlFragment(CONTENT_FIELD).push([p]);
	const out = { update: Buffer.from(Y.encodeStateAsUpdate(doc)), clientId: doc.clientID };
	doc.destroy();
	return out;
}

/** Appends as `sub` on `client` inside a transaction the caller already began. */
async function append(
	client: pg.ClientBase,
	doc: string,
	sub: string,
	node: string,
	epoch: number,
	text: string
) {
	const { update, clientId } = paragraphUpdate(text);
	await client.query(`select set_config('request.jwt.claims', $1, true)`, [
		JSON.stringify(claimsFor(sub))
	]);
	await client.query('select private.append_update($1, $2, $3::bigint[], $4, $5)', [
		doc,
		update,
		[clientId],
		node,
		epoch
	]);
}

async function appendCommitted(
	doc: string,
	sub: string,
	node: string,
	epoch: number,
	text: string
) {
	const client = await service.connect();
	try {
		await client.query('begin');
		await append(client, doc, sub, node, epoch, text);
		await client.query('commit');
	} catch (error) {
		await client.query('rollback');
		throw error;
	} finally {
		client.release();
	}
}

const rowsIn = async (doc: string) =>
	Number(
		(
			await admin.query<{ n: string }>(
				'select count(*)::text as n from public.document_updates where document_id = $1',
				[doc]
			)
		).rows[0]!.n
	);

describe('document leases', () => {
	it('lets one node hold a document, fences the other, and moves it when it runs out', async () => {
		const cast = await createCast(admin, { blank: true });
		const [a, b] = [randomUUID(), randomUUID()];

		expect(await acquire(cast.documentId, a)).toBe(1);
		// B is refused while A's lease is live, and asks A to hand over.
		expect(await acquire(cast.documentId, b, LONG, true)).toBeNull();
		expect(await lease(cast.documentId)).toMatchObject({ node: a, epoch: 1, wantedBy: b });
		await appendCommitted(cast.documentId, cast.editor, a, 1, 'from A, the holder');
		await expect(
			appendCommitted(cast.documentId, cast.editor, b, 1, 'from B, not the holder')
		).rejects.toMatchObject({ code: 'L0001' });

		// A's lease runs out (renewed for a few milliseconds, as a node that stalled would leave it).
		await renew(a, cast.documentId, 1, SHORT);
		await runOut(cast.documentId);
		// Nobody has taken it: A, merely late, may still write under it and renew it, since nobody
		// else can have written. Dropping its room here would reconnect everyone for nothing.
		await appendCommitted(cast.documentId, cast.editor, a, 1, 'from A, late but still the holder');
		expect(await renew(a, cast.documentId, 1, SHORT)).toEqual({
			held: true,
			handover_wanted: true // B asked above
		});
		await runOut(cast.documentId);
		// Once it has run out another node may take it, at a higher epoch that fences A out.
		expect(await acquire(cast.documentId, b)).toBe(2);
		await expect(
			appendCommitted(cast.documentId, cast.editor, a, 1, 'from A, after it lost the lease')
		).rejects.toMatchObject({ code: 'L0001' });
		await appendCommitted(cast.documentId, cast.editor, b, 2, 'from B, the holder');
		await expect(
			appendCommitted(cast.documentId, cast.editor, b, 1, 'from B with an old epoch')
		).rejects.toMatchObject({ code: 'L0001' });
		expect(await rowsIn(cast.documentId)).toBe(3);

		// A's renewal says it no longer holds it (and changes nothing).
		expect(await renew(a, cast.documentId, 1, LONG)).toEqual({
			held: false,
			handover_wanted: false
		});
		expect(await lease(cast.documentId)).toMatchObject({ node: b, epoch: 2, live: true });

		// Released, the next node takes it at once, at a higher epoch than any before.
		await service.query('select private.release_document_lease($1, $2, $3)', [
			cast.documentId,
			b,
			2
		]);
		expect(await acquire(cast.documentId, a)).toBe(3);
		await expect(
			appendCommitted(cast.documentId, cast.editor, b, 2, 'from B after releasing')
		).rejects.toMatchObject({ code: 'L0001' });
	});

	it('lets a node take its own live lease again, at a higher epoch that fences the old one', async () => {
		// A room dropped after a stall (its append failed: run out) while a renewal extended the
		// same lease: the node's reconnecting clients must get the document back at once.
		const cast = await createCast(admin, { blank: true });
		const [a, b] = [randomUUID(), randomUUID()];
		expect(await acquire(cast.documentId, a)).toBe(1);
		expect(await acquire(cast.documentId, a)).toBe(2);
		await expect(
			appendCommitted(cast.documentId, cast.editor, a, 1, 'from the dropped room')
		).rejects.toMatchObject({ code: 'L0001' });
		await appendCommitted(cast.documentId, cast.editor, a, 2, 'from the new room');
		// Another node still cannot.
		expect(await acquire(cast.documentId, b)).toBeNull();
		expect(await rowsIn(cast.documentId)).toBe(1);
	});

	it('does not bring a released lease back when a renewal that named it runs after the release', async () => {
		const cast = await createCast(admin, { blank: true });
		const [a, b] = [randomUUID(), randomUUID()];
		expect(await acquire(cast.documentId, a)).toBe(1);
		await service.query('select private.release_document_lease($1, $2, $3)', [
			cast.documentId,
			a,
			1
		]);
		expect(await renew(a, cast.documentId, 1, LONG)).toEqual({
			held: false,
			handover_wanted: false
		});
		expect(await lease(cast.documentId)).toMatchObject({ live: false });
		expect(await acquire(cast.documentId, b)).toBe(2);
	});

	it('flags a handover request to the holder when it renews', async () => {
		const cast = await createCast(admin, { blank: true });
		const [a, b] = [randomUUID(), randomUUID()];
		expect(await acquire(cast.documentId, a)).toBe(1);
		expect(await acquire(cast.documentId, b, LONG, true)).toBeNull();
		expect(await renew(a, cast.documentId, 1, LONG)).toEqual({ held: true, handover_wanted: true });
	});

	it('makes a takeover wait for a write that passed the check, which it then sees', async () => {
		const cast = await createCast(admin, { blank: true });
		const [a, b] = [randomUUID(), randomUUID()];

		const writer = await service.connect();
		const taker = await service.connect();
		try {
			// A takes a short lease and writes under it in a transaction it keeps open (on a slow
			// machine the lease may already have run out: nobody took it, so the write still passes).
			const epoch = (await acquire(cast.documentId, a, SHORT))!;
			await writer.query('begin');
			await append(writer, cast.documentId, cast.editor, a, epoch, 'written just in time');
			// A's transaction is still open, holding its share lock, when the lease runs out: B's
			// takeover must wait for it rather than slip in before its commit.
			await runOut(cast.documentId);
			const takerPid = (await taker.query<{ pid: number }>('select pg_backend_pid() as pid'))
				.rows[0]!.pid;
			let took: number | null | undefined;
			const taking = taker
				.query<{ epoch: string | null }>(
					'select private.acquire_document_lease($1, $2, $3, false)::text as epoch',
					[cast.documentId, b, LONG]
				)
				.then((r) => (took = r.rows[0]!.epoch === null ? null : Number(r.rows[0]!.epoch)));
			await vi.waitFor(
				async () => {
					const { rows } = await admin.query<{ wait_event_type: string | null }>(
						'select wait_event_type from pg_catalog.pg_stat_activity where pid = $1',
						[takerPid]
					);
					expect(rows[0]?.wait_event_type).toBe('Lock');
				},
				{ timeout: 10_000, interval: 20 }
			);
			expect(took).toBeUndefined();
			await writer.query('commit');
			await taking;
			expect(took).toBe(epoch + 1);
			// The new holder reads the log after taking the lease: A's row is there.
			const log = await service.query('select seq from private.collab_log($1)', [cast.documentId]);
			expect(log.rows.length).toBeGreaterThanOrEqual(1);
			expect(await rowsIn(cast.documentId)).toBe(1);
		} finally {
			writer.release();
			taker.release();
		}
	});

	it('refuses compaction and initialisation without the lease', async () => {
		const cast = await createCast(admin);
		const [a, b] = [randomUUID(), randomUUID()];
		expect(await acquire(cast.documentId, a)).toBe(1);
		const template = paragraphUpdate('template');
		await expect(
			service.query('select private.initialise_document($1, $2, $3::bigint[], $4, $5)', [
				cast.documentId,
				template.update,
				[template.clientId],
				b,
				1
			])
		).rejects.toMatchObject({ code: 'L0001' });
		await service.query('select private.initialise_document($1, $2, $3::bigint[], $4, $5)', [
			cast.documentId,
			template.update,
			[template.clientId],
			a,
			1
		]);
		await expect(
			service.query('select private.compact_document($1, $2, 1, $3, $4)', [
				cast.documentId,
				Buffer.from(Y.encodeStateAsUpdateV2(new Y.Doc())),
				b,
				1
			])
		).rejects.toMatchObject({ code: 'L0001' });
		expect(await rowsIn(cast.documentId)).toBe(1);
	});

	it('compacts while a renewal of the same lease commits (no serialization failure)', async () => {
		// The renewal loop updates the lease row every third of a lease; a compaction whose
		// snapshot predates that update and then checks the lease must still go through.
		const cast = await createCast(admin, { blank: true });
		const node = randomUUID();
		const epoch = (await acquire(cast.documentId, node))!;
		await appendCommitted(cast.documentId, cast.editor, node, epoch, 'one');
		await appendCommitted(cast.documentId, cast.editor, node, epoch, 'two');
		const renewal = await service.connect();
		try {
			await renewal.query('begin');
			await renewal.query('select * from private.renew_document_leases($1, $2, $3, $4)', [
				node,
				[cast.documentId],
				[epoch],
				LONG
			]);
			// The compaction reads the log, then waits on the lease row the renewal holds.
			const store = createStore(service, () => {});
			const compacted = store.compact(cast.documentId, { node, epoch });
			await vi.waitFor(
				async () => {
					const { rows } = await admin.query(
						`select 1 from pg_stat_activity
						 where wait_event_type = 'Lock' and query like '%compact_document%'`
					);
					if (rows.length === 0) throw new Error('compaction not waiting yet');
				},
				{ timeout: 10_000, interval: 20 }
			);
			await renewal.query('commit');
			expect(await compacted).toBe(2);
		} finally {
			renewal.release();
		}
		expect(await rowsIn(cast.documentId)).toBe(0);
	});
});

describe('connections counted across nodes', () => {
	const open = async (node: string, person: string, max: number, staleSeconds = 60) =>
		(
			await service.query<{ ok: boolean }>(
				'select private.open_collab_connection($1, $2, $3, $4, $5) as ok',
				[randomUUID(), node, person, max, staleSeconds]
			)
		).rows[0]!.ok;
	const seen = (node: string, forgetAfter = 3600) =>
		service.query('select private.collab_node_seen($1, false, $2)', [node, forgetAfter]);

	it('holds one person to the limit over every live node, and forgets dead ones', async () => {
		const cast = await createCast(admin, { blank: true });
		const [a, b] = [randomUUID(), randomUUID()];
		await seen(a);
		await seen(b);
		expect(await open(a, cast.editor, 3)).toBe(true);
		expect(await open(b, cast.editor, 3)).toBe(true);
		expect(await open(a, cast.editor, 3)).toBe(true);
		expect(await open(b, cast.editor, 3)).toBe(false);
		// Another person is not held to Priya's count.
		expect(await open(b, cast.viewer, 3)).toBe(true);

		// Node A dies (is not seen again): once it counts as stale, its connections stop counting.
		await admin.query(
			`update private.collab_nodes set seen_at = now() - interval '1 hour' where node_id = $1`,
			[a]
		);
		// B holds one of Priya's: two more fit under the limit of three.
		expect(await open(b, cast.editor, 3, 60)).toBe(true);
		expect(await open(b, cast.editor, 3, 60)).toBe(true);
		expect(await open(b, cast.editor, 3, 60)).toBe(false);
		// And a node long gone is forgotten with its rows.
		await seen(b, 60);
		const { rows } = await admin.query(
			'select 1 from private.collab_connections where node_id = $1',
			[a]
		);
		expect(rows).toEqual([]);
	});
});
