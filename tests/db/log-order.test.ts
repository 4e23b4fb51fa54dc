import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import * as Y from 'yjs';
import { asUser, createDb, type VerifiedClaims } from '$lib/server/db';
import { savedDoc } from '$lib/server/db/documents';
import { claimsFor, createStore, type Store } from '$lib/server/collab/store';
import { CONTENT_FIELD } from '$lib/collab/protocol';
import type { Fence } from '$lib/server/collab/lease';
import { createCast, loadFromDb, takeLease, type Cast } from '../collab/support.ts';

/**
 * Issue 13, item 1, "a log that never skips": two transactions appending to one document may
 * commit in any order, and compaction may run between them. Every committed update must still be
 * read by every later load and kept by every later compaction. Nothing here races: two pg clients
 * on the collab service's own role hold explicit transactions, and the test decides when each
 * commits. Where the database makes a writer wait (it must, to keep the log in commit order),
 * the test sees it wait and goes on in the order the database allows.
 */

const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 4 });
const db = createDb(inject('appDatabaseUrl'), 2);
const log = () => {};
const appClaims = (sub: string): VerifiedClaims => ({ sub, role: 'authenticated' });

let store: Store;

/** One lease per document for this file's writers: one node, as the collab server would be. */
const fences = new Map<string, Promise<Fence>>();
function fenceFor(documentId: string): Promise<Fence> {
	let fence = fences.get(documentId);
	if (!fence) {
		fence = takeLease(collabPool, documentId);
		fences.set(documentId, fence);
	}
	return fence;
}

beforeAll(() => {
	store = createStore(collabPool, log);
});

afterAll(async () => {
	await db.destroy();
	await collabPool.end();
	await admin.end();
});

/** A Yjs update adding one paragraph, from a client of its own, on top of the stored document. */
async function paragraphUpdate(
	documentId: string,
	text: string
): Promise<{ update: Uint8Array; clientId: number }> {
	const loaded = await store.load(documentId, await fenceFor(documentId));
	const before = Y.encodeStateVector(loaded.doc);
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [new Y.XmlText(text)]);
	loaded.doc.getXmlFragment(CONTENT_FIELD).push([p]);
	const update = Y.encodeStateAsUpdate(loaded.doc, before);
	const clientId = loaded.doc.clientID;
	loaded.doc.destroy();
	return { update, clientId };
}

function paragraphsOf(doc: Y.Doc): string[] {
	return (
		doc
			.getXmlFragment(CONTENT_FIELD)
			.toArray()
			.map((node) => (node instanceof Y.XmlElement ? node.toString() : ''))
			.map((xml) => xml.replace(/<[^>]*>/g, ''))
			// The template's empty prompts say nothing here and would only crowd a failure's diff.
			.filter((text) => text !== '')
	);
}

/** A writer: its own connection as the collab service, one explicit transaction at a time. */
interface Writer {
	client: pg.Client;
	pid: number;
	/** begin, act for `sub`, append: resolves when the append has returned (not committed). */
	beginAndAppend(sub: string, update: Uint8Array, clientId: number): Promise<void>;
	commit(): Promise<void>;
	rollback(): Promise<void>;
}

async function writer(documentId: string): Promise<Writer> {
	const client = new pg.Client({ connectionString: inject('collabDatabaseUrl') });
	await client.connect();
	const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
	return {
		client,
		pid,
		async beginAndAppend(sub, update, clientId) {
			// Both writers append under the one lease of the node they belong to (two of its
			// group commits in flight at once).
			const { node, epoch } = await fenceFor(documentId);
			await client.query('begin');
			await client.query(`select set_config('request.jwt.claims', $1, true)`, [
				JSON.stringify(claimsFor(sub))
			]);
			await client.query('select private.append_update($1, $2, $3::bigint[], $4, $5)', [
				documentId,
				Buffer.from(update),
				[clientId],
				node,
				epoch
			]);
		},
		commit: async () => void (await client.query('commit')),
		rollback: async () => void (await client.query('rollback'))
	};
}

/**
 * Starts `append` and settles as soon as it has either returned or is waiting for a lock held
 * by another transaction (seen in pg_stat_activity), saying which.
 */
async function appendedOrWaiting(
	pid: number,
	append: Promise<void>
): Promise<'appended' | 'waiting'> {
	let appended = false;
	append.then(
		() => (appended = true),
		() => {}
	);
	return vi.waitFor(
		async () => {
			if (appended) return 'appended' as const;
			const { rows } = await admin.query<{ wait_event_type: string | null }>(
				'select wait_event_type from pg_catalog.pg_stat_activity where pid = $1',
				[pid]
			);
			if (rows[0]?.wait_event_type === 'Lock') return 'waiting' as const;
			throw new Error('the append neither returned nor waits for a lock yet');
		},
		{ timeout: 10_000, interval: 20 }
	);
}

/** What everyone who reads the document sees: the collab service, and the app under RLS. */
async function everyReading(cast: Cast): Promise<Record<string, string[]>> {
	const loaded = await store.load(cast.documentId, await fenceFor(cast.documentId));
	const service = paragraphsOf(loaded.doc);
	loaded.doc.destroy();
	const appDoc = await asUser(db, appClaims(cast.editor), (tx) => savedDoc(tx, cast.documentId));
	const app = paragraphsOf(appDoc);
	appDoc.destroy();
	const rawDoc = await loadFromDb(admin, cast.documentId);
	const raw = paragraphsOf(rawDoc);
	rawDoc.destroy();
	return { service, app, raw };
}

describe('a log that never skips', () => {
	it('keeps an update whose transaction commits after a later one and after a compaction', async () => {
		const cast = await createCast(admin);
		// The template is written and compacted: the log starts from a snapshot.
		(await store.load(cast.documentId, await fenceFor(cast.documentId))).doc.destroy();
		await store.compact(cast.documentId, await fenceFor(cast.documentId));
		const a = await paragraphUpdate(cast.documentId, 'A: I want to see my brother.');
		const b = await paragraphUpdate(cast.documentId, 'B: Priya will call the school.');
		const writerA = await writer(cast.documentId);
		const writerB = await writer(cast.documentId);
		try {
			// A appends first and does not commit.
			await writerA.beginAndAppend(cast.youngPerson, a.update, a.clientId);
			// B appends second and commits at once if the database lets it.
			const bAppend = writerB.beginAndAppend(cast.editor, b.update, b.clientId);
			const bState = await appendedOrWaiting(writerB.pid, bAppend);
			if (bState === 'appended') await writerB.commit();
			// Compaction runs and commits while A is still open (and B is committed, or waits).
			await store.compact(cast.documentId, await fenceFor(cast.documentId));
			// Then A commits, and B (if it waited) gets on and commits after it.
			await writerA.commit();
			if (bState === 'waiting') {
				await bAppend;
				await writerB.commit();
			}
			const wanted = expect.arrayContaining([
				'A: I want to see my brother.',
				'B: Priya will call the school.'
			]);
			for (const [reader, paragraphs] of Object.entries(await everyReading(cast))) {
				expect(paragraphs, `${reader} after A committed`).toEqual(wanted);
			}
			// A second compaction keeps both, and leaves nothing behind in the log.
			expect(await store.compact(cast.documentId, await fenceFor(cast.documentId))).toBeGreaterThan(
				0
			);
			for (const [reader, paragraphs] of Object.entries(await everyReading(cast))) {
				expect(paragraphs, `${reader} after a second compaction`).toEqual(wanted);
			}
			const left = await admin.query(
				'select 1 from public.document_updates where document_id = $1',
				[cast.documentId]
			);
			expect(left.rowCount).toBe(0);
			// How the database keeps the log in commit order (migration 20261204000200): B's append
			// waited for A's transaction to end. Checked last, so a database that lets B commit
			// first fails above, on the lost words, if it loses them.
			expect(bState).toBe('waiting');
		} finally {
			await writerA.client.end();
			await writerB.client.end();
		}
	});

	it('keeps the next update when an open append is rolled back', async () => {
		const cast = await createCast(admin);
		(await store.load(cast.documentId, await fenceFor(cast.documentId))).doc.destroy();
		await store.compact(cast.documentId, await fenceFor(cast.documentId));
		const a = await paragraphUpdate(cast.documentId, 'A: never saved.');
		const b = await paragraphUpdate(cast.documentId, 'B: saved after A gave up.');
		const writerA = await writer(cast.documentId);
		const writerB = await writer(cast.documentId);
		try {
			await writerA.beginAndAppend(cast.youngPerson, a.update, a.clientId);
			const bAppend = writerB.beginAndAppend(cast.editor, b.update, b.clientId);
			const bState = await appendedOrWaiting(writerB.pid, bAppend);
			if (bState === 'appended') await writerB.commit();
			await store.compact(cast.documentId, await fenceFor(cast.documentId));
			await writerA.rollback();
			if (bState === 'waiting') {
				await bAppend;
				await writerB.commit();
			}
			await store.compact(cast.documentId, await fenceFor(cast.documentId));
			for (const [reader, paragraphs] of Object.entries(await everyReading(cast))) {
				expect(paragraphs, reader).toContain('B: saved after A gave up.');
				expect(paragraphs, reader).not.toContain('A: never saved.');
			}
		} finally {
			await writerA.client.end();
			await writerB.client.end();
		}
	});
});
