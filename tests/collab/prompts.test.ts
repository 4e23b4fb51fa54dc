import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { PROMPT_REFUSED } from '../../src/lib/collab/protocol.ts';
import { PROMPTS, isPromptType, promptElement } from '../../src/lib/collab/prompts.ts';
import { initialContent } from '../../src/lib/collab/templates.ts';
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
 * Template prompts in the collab server: the headings and questions a plan starts with are
 * nobody's to change. The editor refuses such edits first; the server is the rule, for everyone,
 * the young person included.
 */
process.setMaxListeners(100);

const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 4 });
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 10 });
let collab: CollabServer;
let base: string;
const clients: TestClient[] = [];
const FIELD = 'default';

function client(documentId: string, ticket: string): TestClient {
	const c = connectClient(base, documentId, ticket);
	clients.push(c);
	return c;
}

async function synced(c: TestClient): Promise<void> {
	await expect.poll(() => c.provider.synced).toBe(true);
}

/**
 * A care plan started by the social worker: the collab service writes its template as the first
 * edit when it first loads it (the app writes only the documents row).
 */
async function carePlan(): Promise<Cast> {
	return createCast(admin);
}

/** The prompts a document holds, as "id: prompt". */
function prompts(doc: Y.Doc): string[] {
	return doc
		.getXmlFragment(FIELD)
		.toArray()
		.filter(isPromptType)
		.map((p) => `${String(p.getAttribute('promptId'))}: ${String(p.getAttribute('prompt'))}`);
}

const TEMPLATE_PROMPTS = (() => {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, initialContent('care_plan'));
	return prompts(doc);
})();

async function storedRows(documentId: string): Promise<number> {
	const { rows } = await admin.query<{ n: string }>(
		'select count(*) as n from public.document_updates where document_id = $1',
		[documentId]
	);
	return Number(rows[0]?.n);
}

function wishes(doc: Y.Doc): Y.XmlElement {
	const node = doc.getXmlFragment(FIELD).get(2);
	if (!isPromptType(node)) throw new Error('the wishes prompt is not where the template put it');
	return node;
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

describe('template prompts in the collab server', () => {
	it('saves writing under a prompt, and refuses (4409) the young person deleting one', async () => {
		const cast = await carePlan();
		expect(TEMPLATE_PROMPTS).toHaveLength(12);
		const yp = client(cast.documentId, await ticketFor(cast.youngPerson, cast.documentId));
		await synced(yp);
		yp.edit((d) =>
			(d.getXmlFragment(FIELD).get(3) as Y.XmlElement).insert(0, [
				new Y.XmlText('I want to live with my nan')
			])
		);
		await expect.poll(() => yp.savedEdits).toBe(1);
		const rows = await storedRows(cast.documentId);
		expect(rows).toBe(2);

		yp.edit((d) => d.getXmlFragment(FIELD).delete(2, 1));
		await expect.poll(() => yp.closes[0]).toEqual({ code: 4409, reason: PROMPT_REFUSED });
		expect(yp.savedEdits).toBe(1);
		const stored = await loadFromDb(admin, cast.documentId);
		expect(prompts(stored)).toEqual(TEMPLATE_PROMPTS);
		expect(await storedRows(cast.documentId)).toBe(rows);
	});

	it('refuses a social worker rewording a prompt, and a new prompt of their own', async () => {
		const cast = await carePlan();
		const sw = client(cast.documentId, await ticketFor(cast.editor, cast.documentId));
		await synced(sw);
		sw.edit((d) => wishes(d).setAttribute('prompt', 'Why do you keep running away?'));
		await expect.poll(() => sw.closes.map((c) => c.code)).toContain(4409);

		const again = client(cast.documentId, await ticketFor(cast.editor, cast.documentId));
		await synced(again);
		again.edit((d) => d.getXmlFragment(FIELD).insert(4, [promptElement('care_plan.health')]));
		await expect.poll(() => again.closes.map((c) => c.code)).toContain(4409);

		const stored = await loadFromDb(admin, cast.documentId);
		expect(prompts(stored)).toEqual(TEMPLATE_PROMPTS);
		expect(wishes(stored).getAttribute('prompt')).toBe(
			PROMPTS['care_plan.wishes_and_feelings'].prompt
		);
		expect(await storedRows(cast.documentId)).toBe(1);
	});
});
