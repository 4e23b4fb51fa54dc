import * as decoding from 'lib0/decoding';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { CONTENT_FIELD, MESSAGE_OWN_WORDS, readOwnWords } from '../../src/lib/collab/protocol.ts';
import { createCollabServer, type CollabServer } from '../../src/lib/server/collab/server.ts';
import { documentText } from '../../src/lib/server/documents/anchors.ts';
import {
	ORIGIN,
	TEST_SECRET,
	connectClient,
	createCast,
	loadFromDb,
	ticketFor,
	type TestClient,
	leaveCircleUnheard,
	leaseOf
} from './support.ts';

/**
 * "Add to this section" from a form without JavaScript: the app posts the words with the
 * person's ticket, and the collab service applies them as that person's own edit, by the
 * websocket's path: live to every connected editor, bound to the sender in document_writers
 * (the young person's words are their own words), refused to anyone without edit access, and
 * the same own-words rules. Real server, real websockets, real Postgres, the service's own role.
 */
process.setMaxListeners(100);

const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 4 });
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 10 });
let collab: CollabServer;
let base: string;
let http: string;
const clients: TestClient[] = [];
const WISHES = 'care_plan.wishes_and_feelings';

interface Watched extends TestClient {
	ownWords: number[];
}

function client(documentId: string, ticket: string): Watched {
	const c = connectClient(base, documentId, ticket) as Watched;
	c.ownWords = [];
	c.provider.messageHandlers[MESSAGE_OWN_WORDS] = (_encoder, decoder: decoding.Decoder) => {
		c.ownWords = readOwnWords(decoder);
	};
	clients.push(c);
	return c;
}

async function synced(c: TestClient): Promise<void> {
	await expect.poll(() => c.provider.synced).toBe(true);
}

async function add(
	documentId: string,
	body: unknown,
	ticket: string | null
): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(`${http}/documents/${documentId}/additions`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			...(ticket ? { authorization: `Bearer ${ticket}` } : {})
		},
		body: JSON.stringify(body)
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function updateCount(documentId: string): Promise<number> {
	const { rows } = await admin.query<{ n: number }>(
		'select count(*)::int as n from public.document_updates where document_id = $1',
		[documentId]
	);
	return rows[0]!.n;
}

/** The blocks of a document's section, after its prompt and before the next. */
function sectionTexts(doc: Y.Doc, promptId: string): string[] {
	const blocks = doc.getXmlFragment(CONTENT_FIELD).toArray();
	const at = blocks.findIndex(
		(b) => b instanceof Y.XmlElement && b.getAttribute('promptId') === promptId
	);
	const out: string[] = [];
	for (const b of blocks.slice(at + 1)) {
		if (b instanceof Y.XmlElement && b.getAttribute('promptId')) break;
		if (b instanceof Y.XmlElement) {
			out.push(
				b
					.toArray()
					.map((c) => (c instanceof Y.XmlText ? c.toString() : ''))
					.join('')
			);
		}
	}
	return out;
}

/** The client ids whose items hold `text` in `doc`. */
function clientsOf(doc: Y.Doc, text: string): number[] {
	const found = new Set<number>();
	for (const block of doc.getXmlFragment(CONTENT_FIELD).toArray()) {
		if (!(block instanceof Y.XmlElement)) continue;
		for (const child of block.toArray()) {
			if (!(child instanceof Y.XmlText) || !child.toString().includes(text)) continue;
			let item = child._start;
			while (item) {
				if (!item.deleted) found.add(item.id.client);
				item = item.right;
			}
		}
	}
	return [...found];
}

beforeAll(async () => {
	collab = createCollabServer({
		pool: collabPool,
		ticketSecret: TEST_SECRET,
		allowedOrigins: [ORIGIN],
		unloadGraceMs: 200,
		log: () => {}
	});
	const port = await collab.listen(0);
	base = `ws://127.0.0.1:${port}`;
	http = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await collab.close();
	await collabPool.end();
	await admin.end();
});

describe('additions from a form', () => {
	it('the young person’s addition reaches a connected editor live, as their own words, and is saved as theirs', async () => {
		const cast = await createCast(admin);
		const priya = client(cast.documentId, await ticketFor(cast.editor, cast.documentId));
		await synced(priya);
		const before = await updateCount(cast.documentId);

		const answer = await add(
			cast.documentId,
			{ section: WISHES, text: 'I want to live with my nan.\n\nAnd see my dog.' },
			await ticketFor(cast.youngPerson, cast.documentId)
		);
		expect(answer).toEqual({ status: 201, body: { saved: true } });

		// Live: in the editor's document, at the end of the section, one paragraph per line.
		await expect
			.poll(() => sectionTexts(priya.doc, WISHES))
			.toEqual(['I want to live with my nan.', 'And see my dog.']);
		// As the young person's own words: the editor was told their client is theirs.
		const written = clientsOf(priya.doc, 'I want to live with my nan.');
		expect(written).toHaveLength(1);
		await expect.poll(() => priya.ownWords).toContain(written[0]);
		// Saved: one appended row, and the client bound to the young person (not a template).
		expect(await updateCount(cast.documentId)).toBe(before + 1);
		const { rows } = await admin.query<{ writer_id: string; from_template: boolean }>(
			'select writer_id, from_template from public.document_writers where document_id = $1 and client_id = $2',
			[cast.documentId, written[0]]
		);
		expect(rows).toEqual([{ writer_id: cast.youngPerson, from_template: false }]);
		const stored = await loadFromDb(admin, cast.documentId);
		expect(sectionTexts(stored, WISHES)).toEqual([
			'I want to live with my nan.',
			'And see my dog.'
		]);
		stored.destroy();
	});

	it('an editor’s addition is theirs, not the young person’s', async () => {
		const cast = await createCast(admin);
		const answer = await add(
			cast.documentId,
			{ section: 'care_plan.health', text: 'Dentist on Friday.' },
			await ticketFor(cast.editor, cast.documentId)
		);
		expect(answer.status).toBe(201);
		const stored = await loadFromDb(admin, cast.documentId);
		const written = clientsOf(stored, 'Dentist on Friday.');
		stored.destroy();
		const { rows } = await admin.query<{ writer_id: string }>(
			'select writer_id from public.document_writers where document_id = $1 and client_id = $2',
			[cast.documentId, written[0]]
		);
		expect(rows).toEqual([{ writer_id: cast.editor }]);
	});

	it('refuses anyone without edit access, whatever their ticket says, and writes nothing', async () => {
		const cast = await createCast(admin);
		// Loads the template, so the count below starts from a document that exists.
		const priya = client(cast.documentId, await ticketFor(cast.editor, cast.documentId));
		await synced(priya);
		const before = await updateCount(cast.documentId);
		for (const person of [cast.viewer, cast.commenter, cast.outsider]) {
			// A ticket claiming edit: the database's answer decides.
			const answer = await add(
				cast.documentId,
				{ section: WISHES, text: 'Not mine to write.' },
				await ticketFor(person, cast.documentId, 'edit')
			);
			expect(answer.status, person).toBe(403);
		}
		// An editor's ticket for reading only is not enough either.
		const viewOnly = await add(
			cast.documentId,
			{ section: WISHES, text: 'Not mine to write.' },
			await ticketFor(cast.editor, cast.documentId, 'view')
		);
		expect(viewOnly.status).toBe(403);
		const none = await add(cast.documentId, { section: WISHES, text: 'No ticket.' }, null);
		expect(none.status).toBe(401);
		expect(await updateCount(cast.documentId)).toBe(before);
		expect(documentText(priya.doc)).not.toContain('Not mine to write.');
	});

	it('answers 403 when the database refuses the addition as it stores it, and keeps nothing', async () => {
		const cast = await createCast(admin);
		const sam = client(cast.documentId, await ticketFor(cast.youngPerson, cast.documentId));
		await synced(sam);
		const ticket = await ticketFor(cast.editor, cast.documentId);
		const db = await admin.connect();
		let open = true;
		try {
			await db.query('begin');
			// Holds the document's lease row: the append's lease check waits for it, after the
			// addition has been judged (with edit access) and applied.
			await db.query('select 1 from private.document_leases where document_id = $1 for update', [
				cast.documentId
			]);
			const answer = add(
				cast.documentId,
				{ section: WISHES, text: 'Football on Saturdays.' },
				ticket
			);
			await expect.poll(() => sectionTexts(sam.doc, WISHES)).toEqual(['Football on Saturdays.']);
			// Then Priya leaves the circle without the NOTIFY, so the server has not heard: the
			// append's own access check, as Priya, is what refuses it (42501).
			await leaveCircleUnheard(db, cast.youngPerson, cast.editor);
			await db.query('commit');
			open = false;
			// Not allowed, not "try again": reconnecting or resending will not help by itself.
			expect(await answer).toEqual({ status: 403, body: { refused: 'refused' } });
		} finally {
			if (open) await db.query('rollback');
			db.release();
		}
		const stored = await loadFromDb(admin, cast.documentId);
		expect(documentText(stored)).not.toContain('Football on Saturdays.');
		stored.destroy();
	});

	it('answers 503, and lets the document go, when the addition cannot be placed in time', async () => {
		// A log holding an update Yjs cannot place (what it builds on is not stored): the room's
		// document carries it along, so an addition built from that document waits for it.
		const cast = await createCast(admin);
		// Opened once first, so the template is stored, then let go (released, not just expired).
		expect(
			(
				await add(
					cast.documentId,
					{ section: WISHES, text: 'First.' },
					await ticketFor(cast.youngPerson, cast.documentId)
				)
			).status
		).toBe(201);
		await expect
			.poll(async () => (await leaseOf(admin, cast.documentId))?.live ?? false)
			.toBe(false);
		const elsewhere = new Y.Doc();
		elsewhere.getText('t').insert(0, 'lost ');
		const known = Y.encodeStateVector(elsewhere);
		elsewhere.getText('t').insert(5, 'orphan');
		await admin.query(
			'insert into public.document_updates (document_id, author_id, update) values ($1, $2, $3)',
			[cast.documentId, cast.editor, Buffer.from(Y.encodeStateAsUpdate(elsewhere, known))]
		);
		const impatient = createCollabServer({
			pool: collabPool,
			ticketSecret: TEST_SECRET,
			allowedOrigins: [ORIGIN],
			unloadGraceMs: 200,
			limits: { maxWaitingMs: 300 },
			log: () => {}
		});
		const port = await impatient.listen(0);
		try {
			const response = await fetch(
				`http://127.0.0.1:${port}/documents/${cast.documentId}/additions`,
				{
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						authorization: `Bearer ${await ticketFor(cast.youngPerson, cast.documentId)}`
					},
					body: JSON.stringify({ section: WISHES, text: 'Football on Saturdays.' }),
					// Without an answer the test fails here, not at vitest's own timeout.
					signal: AbortSignal.timeout(10_000)
				}
			);
			expect({ status: response.status, body: await response.json() }).toEqual({
				status: 503,
				body: { refused: 'not saved' }
			});
		} finally {
			await impatient.close();
		}
	});

	it('says what is wrong with bad words or a section that is not there, and writes nothing', async () => {
		const cast = await createCast(admin);
		const ticket = await ticketFor(cast.youngPerson, cast.documentId);
		const cases: [unknown, number, string][] = [
			[{ section: WISHES, text: '   \n ' }, 422, 'empty'],
			[{ section: WISHES, text: 'x'.repeat(2001) }, 422, 'too long'],
			[{ section: WISHES, text: 'bell\u0007' }, 422, 'characters'],
			[{ section: 'care_plan.nothing_like_this', text: 'Hello' }, 422, 'no such section']
		];
		for (const [body, status, refused] of cases) {
			expect(await add(cast.documentId, body, ticket)).toEqual({ status, body: { refused } });
		}
		expect((await add(cast.documentId, { section: WISHES }, ticket)).status).toBe(400);
		// Only the template, if anything: none of the refused words.
		const stored = await loadFromDb(admin, cast.documentId);
		expect(documentText(stored)).not.toContain('Hello');
		stored.destroy();
	});
});
