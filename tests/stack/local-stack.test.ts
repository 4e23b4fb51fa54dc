import { createClient } from '@supabase/supabase-js';
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { collabDatabaseUrl } from '../../scripts/local-stack/database.ts';
import { Ownership } from '../../src/lib/collab/own-words.ts';
import { docFromSaved, renderDocumentHtml } from '../../src/lib/server/documents/render-html.ts';
import { ALEXS_PATHWAY_PLAN, SAMS_CARE_PLAN } from '../../scripts/local-stack/demo-documents.ts';
import { makeTempDataDir } from '../../scripts/local-stack/postgres.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local-stack/stack.ts';
import { freePort } from '../../scripts/support/free-port.ts';

const dataDir = path.dirname(makeTempDataDir('in-my-words-stack-'));
const stacks: LocalStack[] = [];

async function start(): Promise<LocalStack> {
	const stack = await startLocalStack({
		dataDir,
		postgresPort: await freePort(),
		authPort: 0,
		collabPort: 0,
		appOrigin: 'http://localhost:5173',
		seed: true
	});
	stacks.push(stack);
	return stack;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return (await client.query<T>(sql)).rows;
	} finally {
		await client.end();
	}
}

afterAll(async () => {
	for (const s of stacks) await s.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

describe('the local stack (what npm start runs)', () => {
	it('seeds an empty database, lets a demo person sign in, and keeps data across restarts', async () => {
		const first = await start();
		expect(first.seeded).toBe(true);

		// The seeded social worker signs in through supabase-js with the demo passphrase.
		const auth = createClient(first.env.SUPABASE_URL, first.env.SUPABASE_ANON_KEY, {
			auth: { persistSession: false, autoRefreshToken: false }
		});
		const { data, error } = await auth.auth.signInWithPassword({
			email: 'priya.socialworker@example.org',
			password: 'in-my-words-demo'
		});
		expect(error).toBeNull();
		expect(data.user?.user_metadata.preferred_name).toBe('Priya');

		await query(
			first.adminDatabaseUrl,
			"update public.profiles set pronouns = 'she/her' where preferred_name = 'Priya'"
		);
		await first.stop();
		stacks.pop();

		const second = await start();
		expect(second.seeded).toBe(false);
		const rows = await query<{ pronouns: string; n: string }>(
			second.adminDatabaseUrl,
			`select (select pronouns from public.profiles where preferred_name = 'Priya') as pronouns,
			        (select count(*) from auth.users) as n`
		);
		// The demo people: 8 to start with, Riley (feedback), Ruth (advocacy manager) and Grace (team manager).
		expect(rows[0]).toEqual({ pronouns: 'she/her', n: '11' });
	});

	it('gives the app a login role that is neither owner nor superuser and cannot skip RLS', async () => {
		const stack = stacks[0] ?? (await start());
		const [role] = await query<{ rolsuper: boolean; rolbypassrls: boolean; owns: string }>(
			stack.adminDatabaseUrl,
			`select r.rolsuper, r.rolbypassrls,
			        (select count(*) from pg_tables t where t.tableowner = r.rolname) as owns
			 from pg_roles r where r.rolname = 'in_my_words_app'`
		);
		expect(role).toEqual({ rolsuper: false, rolbypassrls: false, owns: '0' });
		// Connected as the app, without switching to `authenticated`, it can read nothing.
		await expect(query(stack.env.DATABASE_URL, 'select * from public.profiles')).rejects.toThrow(
			/permission denied/
		);
	});

	it('gives the collab server its own login role, which touches tables only through its functions', async () => {
		const stack = stacks[0] ?? (await start());
		const [role] = await query<{
			rolcanlogin: boolean;
			rolsuper: boolean;
			rolbypassrls: boolean;
			owns: string;
		}>(
			stack.adminDatabaseUrl,
			`select r.rolcanlogin, r.rolsuper, r.rolbypassrls,
			        (select count(*) from pg_tables t where t.tableowner = r.rolname) as owns
			 from pg_roles r where r.rolname = 'in_my_words_collab'`
		);
		expect(role).toEqual({ rolcanlogin: true, rolsuper: false, rolbypassrls: false, owns: '0' });
		const port = new URL(stack.env.DATABASE_URL).port;
		await expect(
			query(collabDatabaseUrl(Number(port)), 'select * from public.document_updates')
		).rejects.toThrow(/permission denied/);
	});

	it('starts Sam’s demo care plan from its template, with lines from Sam (their own words) and Priya', async () => {
		const stack = stacks[0] ?? (await start());
		const rows = await query<{ update: Buffer; author_id: string }>(
			stack.adminDatabaseUrl,
			`select update, author_id from public.document_updates
			 where document_id = '${SAMS_CARE_PLAN}' order by id`
		);
		// The template, then five edits, each stored as its author's.
		const SAM = '00000000-0000-4000-8000-000000000001';
		const PRIYA = '00000000-0000-4000-8000-000000000003';
		expect(rows.map((r) => r.author_id)).toEqual([PRIYA, SAM, PRIYA, SAM, PRIYA, SAM]);
		const doc = docFromSaved({ snapshot: null, updates: rows.map((r) => r.update) }, (e) => {
			throw e;
		});
		const writers = await query<{ client_id: string; writer_id: string; from_template: boolean }>(
			stack.adminDatabaseUrl,
			`select client_id::text, writer_id, from_template from public.document_writers
			 where document_id = '${SAMS_CARE_PLAN}'`
		);
		// One client for the template (Priya's, but nobody's words), one per person writing.
		expect(writers.map((w) => [w.writer_id, w.from_template]).sort()).toEqual(
			[
				[PRIYA, true],
				[PRIYA, false],
				[SAM, false]
			].sort()
		);
		const own = new Ownership(
			writers.filter((w) => w.writer_id === SAM && !w.from_template).map((w) => Number(w.client_id))
		);
		const html = renderDocumentHtml(doc, { ownWords: own, name: 'Sam' });
		expect(html.match(/class="section-prompt"/g)).toHaveLength(12);
		expect(html).toContain(
			'<div class="section-prompt" data-prompt-id="care_plan.wishes_and_feelings"><h3>My wishes and feelings</h3>' +
				'<p class="prompt"><span class="visually-hidden">Prompt: </span>' +
				'What do you want to happen? How do you feel about things right now?</p></div>' +
				'<p><span class="own-words"><span class="visually-hidden">Sam’s own words: </span>' +
				'I want to live with my nan when I am older.</span></p>'
		);
		// Priya's line in a section, and Sam's after it: each person's words stay theirs.
		expect(html).toContain(
			'<p>Sam sees Mum every other Saturday at the family centre.</p>' +
				'<p><span class="own-words"><span class="visually-hidden">Sam’s own words: </span>' +
				'I want to see my brother more.</span></p>'
		);
		expect(html.match(/class="own-words"/g)).toHaveLength(3);
		doc.destroy();

		// Alex's pathway plan starts from its own template, with nothing written yet.
		const alex = await query<{ update: Buffer }>(
			stack.adminDatabaseUrl,
			`select update from public.document_updates where document_id = '${ALEXS_PATHWAY_PLAN}'`
		);
		const pathway = docFromSaved({ snapshot: null, updates: alex.map((r) => r.update) }, (e) => {
			throw e;
		});
		const alexHtml = renderDocumentHtml(pathway);
		expect(alexHtml.match(/class="section-prompt"/g)).toHaveLength(10);
		expect(alexHtml).toContain('<h3>If things go wrong</h3>');
		pathway.destroy();
	});
});
