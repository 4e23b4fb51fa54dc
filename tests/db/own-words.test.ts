import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { asUser, createDb, type VerifiedClaims } from '$lib/server/db';
import { ownWordsClients } from '$lib/server/db/document-writers';
import {
	addSuggestion,
	decideSuggestion,
	suggestionsFor,
	suggestionsInLastHour
} from '$lib/server/db/document-suggestions';
import { savedState, startDocument } from '$lib/server/db/documents';
import { docFromSaved, renderDocumentHtml } from '$lib/server/documents/render-html';
import { initialContent } from '$lib/collab/templates';
import { createPerson } from '../collab/support.ts';

// Own words and suggestions through the query modules, as the app runs them: the app's login
// role, as `authenticated` with each person's claims, under RLS.
const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });
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
	await admin.end();
});

describe('own words', () => {
	it('a story’s template is the young person’s, but never their own words', async () => {
		const storyId = await asUser(db, claims(youngPerson), (tx) =>
			startDocument(
				tx,
				{ youngPersonId: youngPerson, kind: 'my_story', title: 'My story', createdBy: youngPerson },
				initialContent('my_story')
			)
		);
		const { rows } = await admin.query<{ writer_id: string; from_template: boolean }>(
			'select writer_id, from_template from public.document_writers where document_id = $1',
			[storyId]
		);
		expect(rows).toEqual([{ writer_id: youngPerson, from_template: true }]);
		const html = await asUser(db, claims(youngPerson), async (tx) => {
			const own = await ownWordsClients(tx, storyId, youngPerson);
			expect(own.size).toBe(0);
			const doc = docFromSaved(await savedState(tx, storyId), () => {});
			return renderDocumentHtml(doc, { ownWords: own, name: 'Robin' });
		});
		expect(html).toContain('What do you want people to know about you?');
		expect(html).not.toContain('own-words');
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
		const { id } = await asUser(db, claims(worker), (tx) =>
			addSuggestion(tx, {
				documentId,
				authorId: worker,
				anchorStart: anchor,
				anchorEnd: anchor,
				original: 'I want to live with my nan',
				suggested: 'I want to see my nan more'
			})
		);
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
