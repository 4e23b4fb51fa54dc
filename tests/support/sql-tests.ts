import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { APP_ROLE } from '../../scripts/local-stack/database.ts';

/** Where the plain-SQL tests live: only `*.test.sql` files, as `supabase test db` expects. */
export const SQL_TESTS_DIR = path.resolve(import.meta.dirname, '../../supabase/tests');

/** Their fixtures and check functions, kept apart so Supabase's tooling never runs them as tests. */
const SQL_HELPERS_DIR = path.resolve(import.meta.dirname, '../../supabase/test-helpers');

/** Loaded first: it creates schema `tests`, which the other helper files build on. */
const HELPERS_FILE = 'helpers.sql';

/** A SQL test file failed: its message lists every failed check, one per line. */
export class SqlTestFailure extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SqlTestFailure';
	}
}

/** A (table, operation) pair that some test file covered with a whole matrix row. */
export interface MatrixCoverage {
	table: string;
	operation: string;
}

export interface SqlTestResult {
	file: string;
	/** Every failed check of the file (one per line), or the error that stopped it; null if green. */
	failure: string | null;
	coverage: MatrixCoverage[];
}

export interface RunOptions {
	/**
	 * Runs as superuser inside the file's transaction before anything else, e.g. to replace a
	 * policy with a wrong one; the rollback at the end undoes it.
	 */
	prepare?: (client: pg.ClientBase) => Promise<void>;
}

/** The test files, in name order. */
export async function listSqlTestFiles(): Promise<string[]> {
	return (await readdir(SQL_TESTS_DIR)).filter((f) => f.endsWith('.test.sql')).sort();
}

/** The helper files, `helpers.sql` first (the rest use its schema), then in name order. */
async function helperFiles(): Promise<string[]> {
	const others = (await readdir(SQL_HELPERS_DIR))
		.filter((f) => f.endsWith('.sql') && f !== HELPERS_FILE)
		.sort();
	return [HELPERS_FILE, ...others];
}

/** Postgres reports where in the sent text a statement failed; turn that into a file line. */
function lineOf(sql: string, error: unknown): string {
	if (!(error instanceof pg.DatabaseError) || !error.position) return '';
	const line = sql.slice(0, Number(error.position)).split('\n').length;
	return ` (line ${line})`;
}

/**
 * Runs one SQL test file in its own transaction, always rolled back, so each file owns its data
 * and leaves nothing behind (not even schema `tests`).
 *
 * The session is the superuser because fixtures, the checks and (for the mutation test) a
 * replaced policy must share one uncommitted transaction; see the header of test-helpers/helpers.sql for why
 * the checks are still as strict as the app's own queries. `tests.start` drops to the app's login
 * role before the file runs, and every check acts as anon or authenticated.
 */
export async function runSqlTestFile(
	adminUrl: string,
	file: string,
	options: RunOptions = {}
): Promise<SqlTestResult> {
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		await client.query('begin');
		try {
			await options.prepare?.(client);
			for (const helper of await helperFiles()) {
				await client.query(await readFile(path.join(SQL_HELPERS_DIR, helper), 'utf8'));
			}
			await client.query('select tests.start($1)', [APP_ROLE]);
			const sql = await readFile(path.join(SQL_TESTS_DIR, file), 'utf8');
			try {
				await client.query(sql);
			} catch (error) {
				// The file itself broke (not a failed check, which is only recorded): report where.
				return { file, failure: `${file}${lineOf(sql, error)}: ${String(error)}`, coverage: [] };
			}
			// Back to the session's own role, whatever the file last acted as.
			await client.query('reset role');
			const { rows } = await client.query<{ tbl: string; op: string }>(
				'select tbl, op from tests.coverage()'
			);
			const coverage = rows.map((r) => ({ table: r.tbl, operation: r.op }));
			try {
				await client.query('select tests.finish()');
			} catch (error) {
				return { file, failure: `${file}: ${(error as Error).message}`, coverage };
			}
			return { file, failure: null, coverage };
		} finally {
			await client.query('rollback');
		}
	} finally {
		await client.end();
	}
}

/** Runs every `*.test.sql` file, one after another, each in its own rolled-back transaction. */
export async function runAllSqlTests(
	adminUrl: string,
	options: RunOptions = {}
): Promise<SqlTestResult[]> {
	const results: SqlTestResult[] = [];
	for (const file of await listSqlTestFiles()) {
		results.push(await runSqlTestFile(adminUrl, file, options));
	}
	return results;
}

export interface RoleFacts {
	role: string;
	superuser: boolean;
	bypassRls: boolean;
	inherit: boolean;
}

/** What the checks rely on about the roles they act as (see the header of test-helpers/helpers.sql). */
export async function roleFacts(adminUrl: string, roles: string[]): Promise<RoleFacts[]> {
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		const { rows } = await client.query<{
			rolname: string;
			rolsuper: boolean;
			rolbypassrls: boolean;
			rolinherit: boolean;
		}>(
			`select rolname, rolsuper, rolbypassrls, rolinherit from pg_roles
			 where rolname = any ($1) order by rolname`,
			[roles]
		);
		return rows.map((r) => ({
			role: r.rolname,
			superuser: r.rolsuper,
			bypassRls: r.rolbypassrls,
			inherit: r.rolinherit
		}));
	} finally {
		await client.end();
	}
}

/** Tables (and partitioned tables) in schema public, with whether row level security is on. */
export async function publicTables(
	adminUrl: string
): Promise<{ table: string; rowSecurity: boolean }[]> {
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		const { rows } = await client.query<{ table: string; row_security: boolean }>(`
			select c.relname as table, c.relrowsecurity as row_security
			from pg_class c join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind in ('r', 'p')
			order by c.relname
		`);
		return rows.map((r) => ({ table: r.table, rowSecurity: r.row_security }));
	} finally {
		await client.end();
	}
}
