import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { createCommits } from '../../src/lib/server/collab/commits.ts';
import { createStore } from '../../src/lib/server/collab/store.ts';
import { createCast, takeLease } from './support.ts';

/**
 * The group commit appends a whole batch with one private.append_batch (migration
 * 20261206000500), one run per person's updates to one document (their access and the lease
 * checked once for the run): every update is still its own row, numbered in the order it arrived,
 * each append resolves with its own row id, the person's new client ids are bound to them, and a
 * person who may not edit is refused alone. Commits are paced while edits keep coming, and a
 * batch that does not add up is refused. The batch does its per-document work once per document
 * (migration 20261206000700): runs of several people on one document and of several documents
 * in one call get their seqs in run order, and one stale lease or one person without edit access
 * refuses the whole call, naming the document.
 */

const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 4 });
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 6 });

afterAll(async () => {
	await collabPool.end();
	await admin.end();
});

describe('runs of appends in one batch', () => {
	it('keep one row per update in arrival order, bind new clients, and refuse who may not edit', async () => {
		const store = createStore(collabPool, () => {});
		const cast = await createCast(admin, { blank: true });
		const fence = await takeLease(collabPool, cast.documentId);
		const editorDoc = new Y.Doc();
		const youngDoc = new Y.Doc();
		const updates: Array<{ who: string; doc: Y.Doc; update: Uint8Array }> = [];
		for (const doc of [editorDoc, youngDoc]) {
			doc.on('update', (update: Uint8Array) =>
				updates.push({
					who: doc === editorDoc ? cast.editor : cast.youngPerson,
					doc,
					update
				})
			);
		}
		for (let i = 0; i < 4; i++) {
			editorDoc.getArray<string>('a').push([`e${i}`]);
			youngDoc.getArray<string>('a').push([`y${i}`]);
		}
		const viewerDoc = new Y.Doc();
		viewerDoc.getArray<string>('a').push(['v']);

		// The first append goes alone; the rest arrive while it is in flight: one batch, with a
		// run for each person.
		const appends = updates.map(({ who, doc, update }, i) =>
			store.append(cast.documentId, who, update, i < 2 ? [doc.clientID] : [], [], fence)
		);
		const ids = await Promise.all(appends);
		// A viewer's append is refused (alone here; in a batch, the others are retried one by one).
		await expect(
			store.append(
				cast.documentId,
				cast.viewer,
				Y.encodeStateAsUpdate(viewerDoc),
				[viewerDoc.clientID],
				[],
				fence
			)
		).rejects.toMatchObject({ code: '42501' });
		expect(new Set(ids).size).toBe(updates.length);

		const { rows } = await admin.query<{ id: string; author_id: string; seq: string }>(
			`select id::text, author_id, seq::text from public.document_updates
			 where document_id = $1 order by seq`,
			[cast.documentId]
		);
		expect(rows).toHaveLength(updates.length);
		// Each append's id is its own row's, and each person's rows are numbered as they arrived.
		for (const who of [cast.editor, cast.youngPerson]) {
			const theirs = updates.flatMap((u, i) => (u.who === who ? [String(ids[i])] : []));
			expect(rows.filter((r) => r.author_id === who).map((r) => r.id)).toEqual(theirs);
		}
		const writers = await admin.query<{ client_id: string; writer_id: string }>(
			'select client_id::text, writer_id from public.document_writers where document_id = $1',
			[cast.documentId]
		);
		expect(new Map(writers.rows.map((r) => [Number(r.client_id), r.writer_id]))).toEqual(
			new Map([
				[editorDoc.clientID, cast.editor],
				[youngDoc.clientID, cast.youngPerson]
			])
		);
		await fence.release();
	});

	it('fails only the appends of the lost lease when the same node already holds the document again', async () => {
		// A room dropped after its lease ran out, and the document loaded again by the same node
		// at a higher epoch: appends of both rooms can meet in one batch. Only the old room's are
		// refused; the new room's are saved.
		const store = createStore(collabPool, () => {});
		const cast = await createCast(admin, { blank: true });
		const old = await takeLease(collabPool, cast.documentId);
		const { rows } = await collabPool.query<{ epoch: string }>(
			'select private.acquire_document_lease($1, $2, 600000, false)::text as epoch',
			[cast.documentId, old.node]
		);
		const fresh = { node: old.node, epoch: Number(rows[0]!.epoch) };
		expect(fresh.epoch).toBeGreaterThan(old.epoch);
		const update = (text: string) => {
			const doc = new Y.Doc();
			doc.getArray<string>('a').push([text]);
			return { update: Y.encodeStateAsUpdate(doc), client: doc.clientID };
		};
		const [first, stale, good] = [update('first'), update('stale'), update('good')];
		// The first goes alone; the other two wait for it and go in one batch.
		const sent = store.append(
			cast.documentId,
			cast.editor,
			first.update,
			[first.client],
			[],
			fresh
		);
		const refused = store.append(
			cast.documentId,
			cast.editor,
			stale.update,
			[stale.client],
			[],
			old
		);
		const saved = store.append(
			cast.documentId,
			cast.youngPerson,
			good.update,
			[good.client],
			[],
			fresh
		);
		await expect(refused).rejects.toMatchObject({ code: 'L0001' });
		await expect(sent).resolves.toBeGreaterThan(0);
		await expect(saved).resolves.toBeGreaterThan(0);
		const stored = await admin.query<{ n: string }>(
			'select count(*)::text as n from public.document_updates where document_id = $1',
			[cast.documentId]
		);
		expect(stored.rows[0]!.n).toBe('2');
	});

	it('commits a lone edit at once, and lets edits that follow a commit closely share the next one', async () => {
		const cast = await createCast(admin, { blank: true });
		const fence = await takeLease(collabPool, cast.documentId);
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (update: Uint8Array) => updates.push(update));
		for (let i = 0; i < 4; i++) doc.getArray<string>('a').push([`x${i}`]);
		const appendWith = (commits: ReturnType<typeof createCommits>, update: Uint8Array) =>
			commits.append(cast.documentId, cast.editor, update, [], [], fence);

		// Nothing committed before: an interval far longer than the test does not delay it.
		const lone = await appendWith(createCommits(collabPool, 600_000), updates[0]!);

		// A second (a long interval, so "closely" holds on any machine): two edits arriving right
		// after a commit, one after the other. Without the interval the first of them would start
		// a transaction of its own at once and the other would wait for the next one.
		const commits = createCommits(collabPool, 5_000);
		const first = await appendWith(commits, updates[1]!);
		// Past the end of that flush (a macrotask later), so the next append starts a new one.
		await new Promise((resolve) => setImmediate(resolve));
		const [second, third] = await Promise.all([
			appendWith(commits, updates[2]!),
			appendWith(commits, updates[3]!)
		]);
		const { rows } = await admin.query<{ id: string; xmin: string }>(
			'select id::text, xmin::text from public.document_updates where document_id = $1',
			[cast.documentId]
		);
		const txOf = (id: number) => rows.find((r) => r.id === String(id))?.xmin;
		expect(rows).toHaveLength(4);
		expect(txOf(lone)).toBeDefined();
		expect(txOf(second)).toBe(txOf(third));
		expect(txOf(first)).not.toBe(txOf(second));
	}, 30_000);

	it('refuses a batch whose runs do not add up to its updates, writing nothing', async () => {
		const cast = await createCast(admin, { blank: true });
		const fence = await takeLease(collabPool, cast.documentId);
		const doc = new Y.Doc();
		doc.getArray<string>('a').push(['x']);
		const update = Buffer.from(Y.encodeStateAsUpdate(doc));
		const call = (runLengths: number[], contents: Buffer[]) =>
			collabPool.query(
				'select private.append_batch($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::int[], $6::bytea[], $7::int[], $8::bigint[])',
				[
					[cast.documentId],
					[cast.editor],
					[fence.node],
					[fence.epoch],
					runLengths,
					contents,
					[0],
					[]
				]
			);
		await expect(call([2], [update])).rejects.toMatchObject({ code: '22023' });
		await expect(call([1], [update, update])).rejects.toMatchObject({ code: '22023' });
		await expect(call([0], [])).rejects.toMatchObject({ code: '22023' });
		const { rows } = await admin.query(
			'select 1 from public.document_updates where document_id = $1',
			[cast.documentId]
		);
		expect(rows).toHaveLength(0);
		// The same call, counted right, appends (so the refusals above were about the counts).
		await call([1], [update]);
		const after = await admin.query(
			'select seq::int from public.document_updates where document_id = $1',
			[cast.documentId]
		);
		expect(after.rows).toEqual([{ seq: 1 }]);
	});

	it('numbers several runs on several documents in one call, and refuses the whole call for one bad run', async () => {
		const a = await createCast(admin, { blank: true });
		const b = await createCast(admin, { blank: true });
		const fenceA = await takeLease(collabPool, a.documentId);
		const fenceB = await takeLease(collabPool, b.documentId);
		const doc = new Y.Doc();
		const updates: Buffer[] = [];
		doc.on('update', (update: Uint8Array) => updates.push(Buffer.from(update)));
		for (let i = 0; i < 6; i++) doc.getArray<string>('a').push([`x${i}`]);
		const [first, ...rest] = updates as [Buffer, ...Buffer[]];
		// Document A has one row already, so its counter goes on from 1.
		await createStore(collabPool, () => {}).append(a.documentId, a.editor, first, [], [], fenceA);

		// Runs in the order the group commit sends them: by document, then person.
		const [lowDoc, highDoc] = [a, b].sort((x, y) => x.documentId.localeCompare(y.documentId)) as [
			typeof a,
			typeof a
		];
		const fenceOf = (cast: typeof a) => (cast === a ? fenceA : fenceB);
		const [editorFirst, youngSecond] = [lowDoc.editor, lowDoc.youngPerson];
		const batch = (override: { epochs?: number[]; authors?: string[] } = {}) =>
			collabPool.query<{ ids: string[] }>(
				'select private.append_batch($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::int[], $6::bytea[], $7::int[], $8::bigint[])::text[] as ids',
				[
					[lowDoc.documentId, lowDoc.documentId, highDoc.documentId],
					override.authors ?? [editorFirst, youngSecond, highDoc.editor],
					[fenceOf(lowDoc).node, fenceOf(lowDoc).node, fenceOf(highDoc).node],
					override.epochs ?? [fenceOf(lowDoc).epoch, fenceOf(lowDoc).epoch, fenceOf(highDoc).epoch],
					[2, 1, 2],
					rest,
					[1, 1, 0],
					[7001, 7002]
				]
			);
		const rowsOf = async () =>
			(
				await admin.query<{ id: string; document_id: string; author_id: string; seq: number }>(
					`select id::text, document_id, author_id, seq::int from public.document_updates
					 where document_id = any ($1) order by document_id, seq`,
					[[a.documentId, b.documentId]]
				)
			).rows;
		const before = await rowsOf();

		// A stale lease on the later document: refused, naming it, and nothing of the call written.
		await expect(
			batch({ epochs: [fenceOf(lowDoc).epoch, fenceOf(lowDoc).epoch, fenceOf(highDoc).epoch + 1] })
		).rejects.toMatchObject({
			code: 'L0001',
			message: expect.stringContaining(`document ${highDoc.documentId} at epoch`)
		});
		// The second run's person may only view: refused, nothing written.
		await expect(
			batch({ authors: [editorFirst, lowDoc.viewer, highDoc.editor] })
		).rejects.toMatchObject({ code: '42501' });
		expect(await rowsOf()).toEqual(before);

		const { rows } = await batch();
		const ids = rows[0]?.ids ?? [];
		expect(ids).toHaveLength(5);
		const after = await rowsOf();
		const byId = new Map(after.map((r) => [r.id, r]));
		const startLow = lowDoc === a ? 2 : 1;
		// The ids come back in the order of the contents; each document's seqs follow on, in run order.
		expect(ids.map((id) => byId.get(id))).toEqual([
			{ id: ids[0], document_id: lowDoc.documentId, author_id: editorFirst, seq: startLow },
			{ id: ids[1], document_id: lowDoc.documentId, author_id: editorFirst, seq: startLow + 1 },
			{ id: ids[2], document_id: lowDoc.documentId, author_id: youngSecond, seq: startLow + 2 },
			{ id: ids[3], document_id: highDoc.documentId, author_id: highDoc.editor, seq: 3 - startLow },
			{ id: ids[4], document_id: highDoc.documentId, author_id: highDoc.editor, seq: 4 - startLow }
		]);
		const writers = await admin.query<{ client_id: string; writer_id: string }>(
			'select client_id::text, writer_id from public.document_writers where document_id = $1 order by client_id',
			[lowDoc.documentId]
		);
		expect(writers.rows).toEqual([
			{ client_id: '7001', writer_id: editorFirst },
			{ client_id: '7002', writer_id: youngSecond }
		]);
		await fenceA.release();
		await fenceB.release();
	});
});
