import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { CONTENT_FIELD } from '../../src/lib/collab/protocol.ts';
import { createCollabServer, type CollabServer } from '../../src/lib/server/collab/server.ts';
import { signTicket } from '../../src/lib/server/collab/ticket.ts';
import { isPromptType } from '../../src/lib/collab/prompts.ts';
import { documentText } from '../../src/lib/server/documents/anchors.ts';
import {
	ORIGIN,
	TEST_SECRET,
	connectClient,
	createCast,
	ticketFor,
	type Cast,
	type TestClient
} from './support.ts';

/** The template prompts a document holds, by id (prompts are nodes, not text). */
function promptIds(doc: Y.Doc): string[] {
	return doc
		.getXmlFragment(CONTENT_FIELD)
		.toArray()
		.filter(isPromptType)
		.map((p) => String(p.getAttribute('promptId')));
}

/**
 * The collab service's HTTP requests, which the app makes for content it may not write itself:
 * a new document's template (on first load), a named version (its state built from the stored
 * log) and a suggestion (its quoted words read from the stored document). Real server, real
 * websockets, real Postgres, the service on its own login role.
 */
process.setMaxListeners(100);

const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 4 });
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 10 });
let collab: CollabServer;
let http: string;
let base: string;
const clients: TestClient[] = [];

function client(documentId: string, ticket: string): TestClient {
	const c = connectClient(base, documentId, ticket);
	clients.push(c);
	return c;
}

async function synced(c: TestClient): Promise<void> {
	await expect.poll(() => c.provider.synced).toBe(true);
}

async function post(
	path: string,
	body: unknown,
	ticket: string | null
): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(`${http}${path}`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			...(ticket ? { authorization: `Bearer ${ticket}` } : {})
		},
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function count(table: string, documentId: string): Promise<number> {
	const { rows } = await admin.query<{ n: string }>(
		`select count(*)::text as n from public.${table} where document_id = $1`,
		[documentId]
	);
	return Number(rows[0]!.n);
}

/** The young person has written a paragraph, saved; returns it (in their client's doc). */
async function ypWrites(cast: Cast, text: string): Promise<{ yp: TestClient; words: Y.XmlText }> {
	const yp = client(cast.documentId, await ticketFor(cast.youngPerson, cast.documentId));
	await synced(yp);
	const words = new Y.XmlText(text);
	yp.edit((d) => {
		const p = new Y.XmlElement('paragraph');
		p.insert(0, [words]);
		d.getXmlFragment(CONTENT_FIELD).push([p]);
	});
	await expect.poll(() => yp.savedEdits).toBe(1);
	return { yp, words };
}

function anchor(text: Y.XmlText, index: number): string {
	return Buffer.from(
		Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index))
	).toString('base64');
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

describe('content only the collab service writes', () => {
	it('starts a never-opened document from its template, once, when it first loads it', async () => {
		const cast = await createCast(admin);
		expect(await count('document_updates', cast.documentId)).toBe(0);
		const a = client(cast.documentId, await ticketFor(cast.viewer, cast.documentId, 'view'));
		const b = client(cast.documentId, await ticketFor(cast.editor, cast.documentId));
		await Promise.all([synced(a), synced(b)]);
		expect(promptIds(a.doc)).toContain('care_plan.about_me');
		expect(await count('document_updates', cast.documentId)).toBe(1);
		const { rows } = await admin.query<{ writer_id: string; from_template: boolean }>(
			'select distinct writer_id, from_template from public.document_writers where document_id = $1',
			[cast.documentId]
		);
		// In the starter's name, and marked as template: nobody's own words.
		expect(rows).toEqual([{ writer_id: cast.editor, from_template: true }]);
	});

	it('saves a version for an editor from the stored log, and refuses everyone else', async () => {
		const cast = await createCast(admin);
		await ypWrites(cast, 'I want to live with my nan');
		const saved = await post(
			`/documents/${cast.documentId}/versions`,
			{ name: 'Agreed at my review', isReview: true },
			await ticketFor(cast.editor, cast.documentId)
		);
		expect(saved.status).toBe(201);
		const { rows } = await admin.query<{ state: Buffer; created_by: string; is_review: boolean }>(
			'select state, created_by, is_review from public.document_versions where id = $1',
			[saved.body.id]
		);
		expect(rows[0]).toMatchObject({ created_by: cast.editor, is_review: true });
		const version = new Y.Doc();
		Y.applyUpdate(version, rows[0]!.state);
		expect(documentText(version)).toContain('I want to live with my nan');
		expect(promptIds(version)).toContain('care_plan.about_me');

		const refusals = [
			[await ticketFor(cast.commenter, cast.documentId), 403],
			[await ticketFor(cast.viewer, cast.documentId, 'view'), 403],
			[await ticketFor(cast.outsider, cast.documentId), 403],
			[await ticketFor(cast.editor, (await createCast(admin)).documentId), 403],
			[
				await signTicket(new TextEncoder().encode('x'.repeat(40)), {
					sub: cast.editor,
					doc: cast.documentId,
					access: 'edit',
					name: '',
					colour: '#000000',
					sessionExp: Math.floor(Date.now() / 1000) + 60,
					sessionId: cast.editor
				}),
				401
			],
			[null, 401]
		] as const;
		for (const [ticket, status] of refusals) {
			const answer = await post(
				`/documents/${cast.documentId}/versions`,
				{ name: 'Mine', isReview: false },
				ticket
			);
			expect(answer.status).toBe(status);
		}
		const bad = await post(
			`/documents/${cast.documentId}/versions`,
			'{"name": ',
			await ticketFor(cast.editor, cast.documentId)
		);
		expect(bad.status).toBe(400);
		expect(await count('document_versions', cast.documentId)).toBe(1);
	});

	it('records a suggestion with the words it reads itself, and refuses the young person', async () => {
		const cast = await createCast(admin);
		const { words } = await ypWrites(cast, 'I want to live with my nan');
		const path = `/documents/${cast.documentId}/suggestions`;
		const made = await post(
			path,
			{ anchorStart: anchor(words, 0), anchorEnd: anchor(words, 6), suggested: 'I wish' },
			await ticketFor(cast.commenter, cast.documentId)
		);
		expect(made.status).toBe(201);
		const { rows } = await admin.query<{ original_text: string; author_id: string }>(
			'select original_text, author_id from public.document_suggestions where id = $1',
			[made.body.id]
		);
		expect(rows[0]).toEqual({ original_text: 'I want', author_id: cast.commenter });

		const unchanged = await post(
			path,
			{ anchorStart: anchor(words, 0), anchorEnd: anchor(words, 6), suggested: 'I want' },
			await ticketFor(cast.editor, cast.documentId)
		);
		expect(unchanged).toEqual({ status: 422, body: { refused: 'unchanged' } });
		// Words that exist only in some browser's document, never saved.
		const elsewhere = new Y.XmlText('words only in a browser');
		const nowhere = new Y.Doc();
		nowhere.getXmlFragment(CONTENT_FIELD).push([elsewhere]);
		const missing = await post(
			path,
			{ anchorStart: anchor(elsewhere, 0), anchorEnd: anchor(elsewhere, 5), suggested: 'x' },
			await ticketFor(cast.editor, cast.documentId)
		);
		expect(missing).toEqual({ status: 422, body: { refused: 'words not found' } });
		for (const sub of [cast.youngPerson, cast.viewer, cast.outsider]) {
			const refused = await post(
				path,
				{ anchorStart: anchor(words, 0), anchorEnd: anchor(words, 6), suggested: 'I wish' },
				await ticketFor(sub, cast.documentId)
			);
			expect(refused.status).toBe(403);
		}
		expect(await count('document_suggestions', cast.documentId)).toBe(1);
	});
});
