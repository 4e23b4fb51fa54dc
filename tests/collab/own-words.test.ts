import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { MESSAGE_OWN_WORDS, readOwnWords } from '../../src/lib/collab/protocol.ts';
import { createCollabServer, type CollabServer } from '../../src/lib/server/collab/server.ts';
import {
	ORIGIN,
	TEST_SECRET,
	connectClient,
	createCast,
	loadFromDb,
	ticketFor,
	type Cast,
	type TestClient
} from './support.ts';

/**
 * "In my own words" in the collab server: attribution is bound from who sent each update, and
 * nobody else's update may change the young person's words (the browser offers a suggestion
 * instead; the server is the backstop).
 */
process.setMaxListeners(100);

const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 4 });
// The collab service's own login role, as in production (never the app's).
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 10 });
let collab: CollabServer;
let base: string;
const clients: TestClient[] = [];
const FIELD = 'default';

interface Watched extends TestClient {
	ownWords: number[] | null;
}

function client(documentId: string, ticket: string, doc?: Y.Doc): Watched {
	const c = connectClient(base, documentId, ticket, { doc }) as Watched;
	c.ownWords = null;
	c.provider.messageHandlers[MESSAGE_OWN_WORDS] = (_encoder, decoder: decoding.Decoder) => {
		c.ownWords = readOwnWords(decoder);
	};
	clients.push(c);
	return c;
}

async function synced(c: TestClient): Promise<void> {
	await expect.poll(() => c.provider.synced).toBe(true);
}

function paragraph(doc: Y.Doc, index: number): Y.XmlText {
	return (doc.getXmlFragment(FIELD).get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

function addParagraph(doc: Y.Doc, text: string, at?: number): void {
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [new Y.XmlText(text)]);
	const fragment = doc.getXmlFragment(FIELD);
	fragment.insert(at ?? fragment.length, [p]);
}

function storedText(doc: Y.Doc): string[] {
	return doc
		.getXmlFragment(FIELD)
		.toArray()
		.map((p) => ((p as Y.XmlElement).get(0) as Y.XmlText).toString());
}

/** A y-websocket sync update message carrying `update`. */
function syncUpdate(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarUint(encoder, 2);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

async function writers(documentId: string) {
	const { rows } = await admin.query<{ client_id: string; writer_id: string }>(
		'select client_id::text, writer_id from public.document_writers where document_id = $1',
		[documentId]
	);
	return new Map(rows.map((r) => [Number(r.client_id), r.writer_id]));
}

/** A young person's paragraph, saved, with their social worker connected and in step. */
async function ypHasWritten(cast: Cast) {
	const yp = client(cast.documentId, await ticketFor(cast.youngPerson, cast.documentId));
	const sw = client(cast.documentId, await ticketFor(cast.editor, cast.documentId));
	await Promise.all([synced(yp), synced(sw)]);
	yp.edit((d) => addParagraph(d, 'I want to live with my nan'));
	await expect.poll(() => yp.savedEdits).toBe(1);
	await expect.poll(() => storedText(sw.doc)).toEqual(['I want to live with my nan']);
	return { yp, sw };
}

beforeAll(async () => {
	collab = createCollabServer({
		pool: collabPool,
		ticketSecret: TEST_SECRET,
		allowedOrigins: [ORIGIN],
		unloadGraceMs: 200,
		log: () => {}
	});
	base = `ws://127.0.0.1:${await collab.listen(0)}`;
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await collab.close();
	await collabPool.end();
	await admin.end();
});

describe('own words in the collab server', () => {
	it('binds each client id to the person whose connection sent it, and names the young person’s', async () => {
		const cast = await createCast(admin, { blank: true });
		const { yp, sw } = await ypHasWritten(cast);
		sw.edit((d) => addParagraph(d, 'Priya will ask Nan about weekends.'));
		await expect.poll(() => sw.savedEdits).toBe(1);
		const bound = await writers(cast.documentId);
		expect(bound.get(yp.doc.clientID)).toBe(cast.youngPerson);
		expect(bound.get(sw.doc.clientID)).toBe(cast.editor);
		// Everyone connected is told which clients are the young person's, and only those.
		await expect.poll(() => sw.ownWords).toEqual([yp.doc.clientID]);
		await expect.poll(() => yp.ownWords).toEqual([yp.doc.clientID]);
	});

	it('refuses (4409) and does not store another person’s change to the young person’s words', async () => {
		const cast = await createCast(admin, { blank: true });
		const { sw } = await ypHasWritten(cast);
		sw.edit((d) => paragraph(d, 0).insert(10, 'not '));
		await expect.poll(() => sw.closes.map((c) => c.code)).toContain(4409);
		const deleter = client(cast.documentId, await ticketFor(cast.editor, cast.documentId));
		await synced(deleter);
		deleter.edit((d) => d.getXmlFragment(FIELD).delete(0, 1));
		await expect.poll(() => deleter.closes.map((c) => c.code)).toContain(4409);
		const stored = await loadFromDb(admin, cast.documentId);
		expect(storedText(stored)).toEqual(['I want to live with my nan']);
		const { rows } = await admin.query(
			'select 1 from public.document_updates where document_id = $1 and author_id = $2',
			[cast.documentId, cast.editor]
		);
		expect(rows).toHaveLength(0);
	});

	it('lets others write around the young person’s words, and the young person change their own', async () => {
		const cast = await createCast(admin, { blank: true });
		const { yp, sw } = await ypHasWritten(cast);
		sw.edit((d) => addParagraph(d, 'Priya: we will talk to Nan.'));
		await expect.poll(() => sw.savedEdits).toBe(1);
		yp.edit((d) => paragraph(d, 0).insert(26, ' at weekends'));
		await expect.poll(() => yp.savedEdits).toBe(2);
		const stored = await loadFromDb(admin, cast.documentId);
		expect(storedText(stored)).toEqual([
			'I want to live with my nan at weekends',
			'Priya: we will talk to Nan.'
		]);
		expect(sw.closes).toEqual([]);
	});

	it('keeps Priya’s sentence hers when the young person presses Enter in the middle of it', async () => {
		const cast = await createCast(admin, { blank: true });
		const yp = client(cast.documentId, await ticketFor(cast.youngPerson, cast.documentId));
		const sw = client(cast.documentId, await ticketFor(cast.editor, cast.documentId));
		await Promise.all([synced(yp), synced(sw)]);
		sw.edit((d) => addParagraph(d, 'Dentist booked for 14 January.'));
		await expect.poll(() => storedText(yp.doc)).toEqual(['Dentist booked for 14 January.']);
		// What y-tiptap sends for Enter after "booked": the tail deleted, and inserted again in a
		// new paragraph, under the young person's client.
		yp.edit((d) => {
			paragraph(d, 0).delete(14, 16);
			addParagraph(d, 'for 14 January.');
		});
		await expect.poll(() => yp.savedEdits).toBe(1);
		// The server recorded the moved words as Priya's, and said so before they arrived.
		const { rows } = await admin.query<{ client_id: string; length: number; writer_id: string }>(
			'select client_id::text, length, writer_id from public.document_provenance where document_id = $1',
			[cast.documentId]
		);
		expect(rows).toEqual([
			{
				client_id: String(yp.doc.clientID),
				length: 'for 14 January.'.length,
				writer_id: cast.editor
			}
		]);
		// So Priya may still change her own sentence, in both paragraphs.
		sw.edit((d) => {
			paragraph(d, 1).delete(0, 3);
			paragraph(d, 1).insert(0, 'on');
			paragraph(d, 0).insert(0, 'The ');
		});
		await expect.poll(() => sw.savedEdits).toBe(2);
		expect(sw.closes).toEqual([]);
		expect(storedText(await loadFromDb(admin, cast.documentId))).toEqual([
			'The Dentist booked',
			'on 14 January.'
		]);
	});

	it('refuses an update that writes under the young person’s client id', async () => {
		const cast = await createCast(admin, { blank: true });
		const { yp } = await ypHasWritten(cast);
		// A doctored editor: the social worker's connection, speaking as the young person's client.
		const forged = new Y.Doc();
		Y.applyUpdate(forged, Y.encodeStateAsUpdate(yp.doc));
		forged.clientID = yp.doc.clientID;
		const sw = client(cast.documentId, await ticketFor(cast.editor, cast.documentId));
		await synced(sw);
		const before = Y.encodeStateVector(forged);
		addParagraph(forged, 'I am happy with everything', 0);
		sw.sendRaw(syncUpdate(Y.encodeStateAsUpdate(forged, before)));
		await expect.poll(() => sw.closes.map((c) => c.code)).toContain(4409);
		const stored = await loadFromDb(admin, cast.documentId);
		expect(storedText(stored)).toEqual(['I want to live with my nan']);
	});

	it('refuses writing under the young person’s open editor before its first edit binds it', async () => {
		const cast = await createCast(admin, { blank: true });
		const yp = client(cast.documentId, await ticketFor(cast.youngPerson, cast.documentId));
		const sw = client(cast.documentId, await ticketFor(cast.editor, cast.documentId));
		await Promise.all([synced(yp), synced(sw)]);
		// The young person's caret is known to everyone (awareness), before they have typed.
		yp.provider.awareness.setLocalState({ user: { name: 'Robin' } });
		await expect.poll(() => sw.provider.awareness.getStates().has(yp.doc.clientID)).toBe(true);
		const forged = new Y.Doc();
		forged.clientID = yp.doc.clientID;
		addParagraph(forged, 'I agree with everything');
		sw.sendRaw(syncUpdate(Y.encodeStateAsUpdate(forged)));
		await expect.poll(() => sw.closes.map((c) => c.code)).toContain(4409);
		expect(storedText(await loadFromDb(admin, cast.documentId))).toEqual([]);
		expect((await writers(cast.documentId)).size).toBe(0);
	});

	it('leaves edits a browser resends for someone else unbound: nobody’s own words', async () => {
		const cast = await createCast(admin, { blank: true });
		const yp = client(cast.documentId, await ticketFor(cast.youngPerson, cast.documentId));
		await synced(yp);
		// As after a crash: the young person's browser holds a worker's edit the server lost.
		const lost = new Y.Doc();
		addParagraph(lost, 'Priya: we will ask Nan');
		yp.sendRaw(syncUpdate(Y.encodeStateAsUpdate(lost)));
		yp.edit((d) => addParagraph(d, 'I want to live with my nan'));
		await expect.poll(() => yp.savedEdits).toBe(1);
		await expect
			.poll(async () => storedText(await loadFromDb(admin, cast.documentId)).length)
			.toBe(2);
		const bound = await writers(cast.documentId);
		expect(bound.get(yp.doc.clientID)).toBe(cast.youngPerson);
		expect(bound.has(lost.clientID)).toBe(false);
		expect(yp.ownWords).toEqual([yp.doc.clientID]);
	});
});
