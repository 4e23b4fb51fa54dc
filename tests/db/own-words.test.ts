import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { asUser, createDb, type VerifiedClaims } from '$lib/server/db';
import { ownWordsClients } from '$lib/server/db/document-writers';
import {
	decideSuggestion,
	suggestionsFor,
	suggestionsInLastHour
} from '$lib/server/db/document-suggestions';
import { savedDoc, startDocument } from '$lib/server/db/documents';
import { renderDocumentHtml } from '$lib/server/documents/render-html';
import { createStore } from '$lib/server/collab/store';
import type { Fence } from '$lib/server/collab/lease';
import { createPerson, takeLease } from '../collab/support.ts';

// Own words and suggestions through the query modules, as the app runs them: the app's login
// role, as `authenticated` with each person's claims, under RLS. The template is written by the
// collab service's store, on its own login role, as in production.
const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 2 });

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
const db = createDb(inject('appDatabaseUrl'), 4);
const claims = (sub: string): VerifiedClaims => ({ sub, role: 'authenticated' });

let youngPerson: string;
let worker: string;

beforeAll(async () => {
	youngPerson = await createPerson(admin, 'Robin');
	worker = await createPerson(admin, 'Priya');
	await admin.query(
		`insert into public.circle_members (young_person_id, member_id, relationship, access)
		 values ($1, $2, 'Social worker', 'edit')`,
		[youngPerson, worker]
	);
	const org = await admin.query<{ id: string }>(
		`insert into public.organisations (name, kind) values ('Own words LA', 'local_authority')
		 returning id`
	);
	await admin.query(
		`insert into public.memberships (organisation_id, user_id, role)
		 values ($1, $2, 'young_person')`,
		[org.rows[0]!.id, youngPerson]
	);
});

afterAll(async () => {
	await db.destroy();
	await collabPool.end();
	await admin.end();
});

describe('own words', () => {
	it('a story’s template is the young person’s, but never their own words', async () => {
		// The app writes the documents row only: no content, not even the template.
		const storyId = await asUser(db, claims(youngPerson), (tx) =>
			startDocument(tx, {
				youngPersonId: youngPerson,
				kind: 'my_story',
				title: 'My story',
				createdBy: youngPerson
			})
		);
		const stored = async () => {
			const { rows } = await admin.query<{ writer_id: string; from_template: boolean }>(
				'select writer_id, from_template from public.document_writers where document_id = $1',
				[storyId]
			);
			const log = await admin.query<{ n: string }>(
				'select count(*) as n from public.document_updates where document_id = $1',
				[storyId]
			);
			return { writers: rows, updates: Number(log.rows[0]!.n) };
		};
		expect(await stored()).toEqual({ writers: [], updates: 0 });
		const render = () =>
			asUser(db, claims(youngPerson), async (tx) => {
				const own = await ownWordsClients(tx, storyId, youngPerson);
				expect(own.empty).toBe(true);
				const doc = await savedDoc(tx, storyId);
				return renderDocumentHtml(doc, { ownWords: own, name: 'Robin' });
			});
		// Never opened: the page shows the template all the same.
		const before = await render();
		expect(before).toContain('What do you want people to know about you?');
		expect(before).not.toContain('own-words');
		// The collab service's first load writes it, once, in the starter's name, as template.
		const store = createStore(collabPool, () => {});
		(await store.load(storyId, await fenceFor(storyId))).doc.destroy();
		(await store.load(storyId, await fenceFor(storyId))).doc.destroy();
		expect(await stored()).toEqual({
			writers: [{ writer_id: youngPerson, from_template: true }],
			updates: 1
		});
		const after = await render();
		expect(after).toContain('What do you want people to know about you?');
		expect(after).not.toContain('own-words');
	});

	it('only the young person decides a suggestion, and only once', async () => {
		const { rows } = await admin.query<{ id: string }>(
			`insert into public.documents (young_person_id, kind, title, created_by)
			 values ($1, 'care_plan', 'Care plan', $2) returning id`,
			[youngPerson, worker]
		);
		const documentId = rows[0]!.id;
		const anchor = Y.encodeRelativePosition(
			Y.createRelativePositionFromTypeIndex(new Y.Doc().getXmlFragment('default'), 0)
		);
		// Recorded as the collab service would (the app's role cannot write a suggestion).
		const suggestion = await admin.query<{ id: string }>(
			`insert into public.document_suggestions (document_id, author_id, anchor_start, anchor_end,
			   original_text, suggested_text)
			 values ($1, $2, $3, $3, 'I want to live with my nan', 'I want to see my nan more')
			 returning id`,
			[documentId, worker, Buffer.from(anchor)]
		);
		const id = suggestion.rows[0]!.id;
		// Counted towards the hourly limit on suggestions, for its author only.
		expect(await asUser(db, claims(worker), (tx) => suggestionsInLastHour(tx, worker))).toBe(1);
		expect(
			await asUser(db, claims(youngPerson), (tx) => suggestionsInLastHour(tx, youngPerson))
		).toBe(0);
		// The social worker cannot decide their own suggestion.
		expect(
			await asUser(db, claims(worker), (tx) =>
				decideSuggestion(tx, documentId, id, 'accepted', worker)
			)
		).toBe(false);
		expect(
			await asUser(db, claims(youngPerson), (tx) =>
				decideSuggestion(tx, documentId, id, 'declined', youngPerson)
			)
		).toBe(true);
		expect(
			await asUser(db, claims(youngPerson), (tx) =>
				decideSuggestion(tx, documentId, id, 'accepted', youngPerson)
			)
		).toBe(false);
		const [kept] = await asUser(db, claims(worker), (tx) => suggestionsFor(tx, documentId));
		expect(kept).toMatchObject({ status: 'declined', author_name: 'Priya' });
	});
});
