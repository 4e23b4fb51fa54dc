import { beforeAll, describe, expect, inject, it } from 'vitest';
import { APP_ROLE } from '../../scripts/local-stack/database.ts';
import {
	listSqlTestFiles,
	publicTables,
	roleFacts,
	runAllSqlTests,
	SqlTestFailure,
	type SqlTestResult
} from '../support/sql-tests.ts';

/** Every operation each public table needs a whole matrix row for (even if all are refused). */
const OPERATIONS = ['select', 'insert', 'update', 'delete'] as const;

const adminUrl = inject('adminDatabaseUrl');
// Listed at collection time so that each SQL file shows up as its own test.
const files = await listSqlTestFiles();

describe('SQL tests in supabase/tests', () => {
	let results: SqlTestResult[] = [];

	// Run once, up front: the coverage check needs every file's results, even under a name filter.
	beforeAll(async () => {
		results = await runAllSqlTests(adminUrl);
	});

	it('has test files to run', () => {
		expect(files.length).toBeGreaterThan(0);
	});

	// The files run in a superuser session that drops to APP_ROLE and acts as anon/authenticated;
	// that only proves anything if these are the app's real roles and none of them escapes RLS.
	it('acts through the app login role, and as roles subject to RLS', async () => {
		expect(decodeURIComponent(new URL(inject('appDatabaseUrl')).username)).toBe(APP_ROLE);
		expect(await roleFacts(adminUrl, [APP_ROLE, 'anon', 'authenticated'])).toEqual([
			{ role: 'anon', superuser: false, bypassRls: false, inherit: false },
			{ role: 'authenticated', superuser: false, bypassRls: false, inherit: false },
			{ role: APP_ROLE, superuser: false, bypassRls: false, inherit: false }
		]);
	});

	it.each(files)('%s', (file) => {
		const result = results.find((r) => r.file === file);
		expect(result).toBeDefined();
		if (result?.failure) throw new SqlTestFailure(result.failure);
	});

	it('every public table has RLS and a full role × operation matrix', async () => {
		const tables = await publicTables(adminUrl);
		expect(tables.length).toBeGreaterThan(0);
		expect(tables.filter((t) => !t.rowSecurity).map((t) => t.table)).toEqual([]);
		// A new table, or a new operation on one, fails here until a matrix row covers it.
		const covered = new Set(
			results.flatMap((r) => r.coverage).map((c) => `${c.table} ${c.operation}`)
		);
		const missing = tables.flatMap((t) =>
			OPERATIONS.map((op) => `${t.table} ${op}`).filter((cell) => !covered.has(cell))
		);
		expect(missing).toEqual([]);
	});
});
