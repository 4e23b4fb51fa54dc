import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { writeDemoDocuments } from './demo-documents.ts';

const root = path.resolve(import.meta.dirname, '../..');
export const migrationsDir = path.join(root, 'supabase/migrations');
export const seedFile = path.join(root, 'supabase/seed.sql');
const platformFile = path.join(import.meta.dirname, 'platform.sql');

/** The app's own login role: neither owner nor superuser, it may only become anon/authenticated. */
export const APP_ROLE = 'in_my_words_app';
export const APP_ROLE_PASSWORD = 'local-app-password';

/**
 * The collab service's own login role: the only one that can write a document's content, and
 * only through the private functions granted to it (migration 20261203001200). It is not a
 * member of anon or authenticated, so it cannot act as a person beyond what those functions do.
 */
export const COLLAB_ROLE = 'in_my_words_collab';
export const COLLAB_ROLE_PASSWORD = 'local-collab-password';

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

/**
 * Creates the part of Supabase's platform the migrations rely on, the app's login role and the
 * collab service's (before the migrations, which grant to both).
 */
export async function bootstrapPlatform(adminUrl: string): Promise<void> {
	const sql = await readFile(platformFile, 'utf8');
	await withClient(adminUrl, async (client) => {
		await client.query(sql);
		await client.query(`
			do $$ begin
				if not exists (select from pg_roles where rolname = '${APP_ROLE}') then
					create role ${APP_ROLE} login noinherit password '${APP_ROLE_PASSWORD}';
				end if;
			end $$;
			grant anon, authenticated to ${APP_ROLE};
			do $$ begin
				if not exists (select from pg_roles where rolname = '${COLLAB_ROLE}') then
					create role ${COLLAB_ROLE} login noinherit password '${COLLAB_ROLE_PASSWORD}';
				else
					-- Made without a login by the migration on a database bootstrapped before it.
					alter role ${COLLAB_ROLE} login password '${COLLAB_ROLE_PASSWORD}';
				end if;
			end $$;
		`);
	});
}

/**
 * Applies each not-yet-applied file in supabase/migrations, in name order, each in its own
 * transaction, recording it where the Supabase CLI does (supabase_migrations.schema_migrations).
 */
export async function applyMigrations(adminUrl: string): Promise<string[]> {
	const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
	const applied: string[] = [];
	await withClient(adminUrl, async (client) => {
		const { rows } = await client.query<{ version: string }>(
			'select version from supabase_migrations.schema_migrations'
		);
		const done = new Set(rows.map((r) => r.version));
		for (const file of files) {
			const [version, ...rest] = file.replace(/\.sql$/, '').split('_');
			if (!version || done.has(version)) continue;
			const sql = await readFile(path.join(migrationsDir, file), 'utf8');
			await client.query('begin');
			try {
				await client.query(sql);
				await client.query(
					'insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)',
					[version, rest.join('_')]
				);
				await client.query('commit');
			} catch (error) {
				await client.query('rollback');
				throw new Error(`Migration ${file} failed: ${(error as Error).message}`, { cause: error });
			}
			applied.push(file);
		}
	});
	return applied;
}

/**
 * Loads supabase/seed.sql only into an empty database (no users yet), so restarts keep data;
 * then the demo documents' content (templates, Sam's and Priya's lines) through the collab
 * store on the collab service's own login role (`collabUrl`), as their authors.
 */
export async function seedIfEmpty(adminUrl: string, collabUrl: string): Promise<boolean> {
	const seeded = await withClient(adminUrl, async (client) => {
		const { rows } = await client.query<{ n: string }>('select count(*) as n from auth.users');
		if (Number(rows[0]?.n) > 0) return false;
		const sql = await readFile(seedFile, 'utf8');
		await client.query('begin');
		try {
			await client.query(sql);
			await client.query('commit');
		} catch (error) {
			await client.query('rollback');
			throw error;
		}
		return true;
	});
	if (seeded) await writeDemoDocuments(collabUrl);
	return seeded;
}

/** The URL the collab service uses: its own login role, the only one that writes content. */
export function collabDatabaseUrl(port: number): string {
	return `postgres://${COLLAB_ROLE}:${COLLAB_ROLE_PASSWORD}@127.0.0.1:${port}/postgres`;
}

/** The URL the app uses: its own login role, so RLS always applies. */
export function appDatabaseUrl(port: number): string {
	return `postgres://${APP_ROLE}:${APP_ROLE_PASSWORD}@127.0.0.1:${port}/postgres`;
}
