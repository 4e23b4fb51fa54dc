import { createClient } from '@supabase/supabase-js';
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { collabDatabaseUrl } from '../../scripts/local-stack/database.ts';
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
		// The demo people: 8 to start with, Riley (feedback) and Ruth (advocacy manager).
		expect(rows[0]).toEqual({ pronouns: 'she/her', n: '10' });
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
});
