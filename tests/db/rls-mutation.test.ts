import type pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { runAllSqlTests, runSqlTestFile, type SqlTestResult } from '../support/sql-tests.ts';

/**
 * Proves the RLS matrix can fail: each mutant swaps one real policy for a plausible wrong one,
 * inside the test file's own transaction (rolled back by the runner, so nothing leaks into other
 * tests), and the matrix must then fail with a message naming the table and the leak.
 */
interface Mutant {
	name: string;
	table: string;
	command: 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
	/** Runs before the wrong policy is created (e.g. a helper it needs). */
	setup?: string;
	/** The wrong policy, created after every real policy for (table, command) is dropped. */
	policy: string;
	/** The only SQL test file that should fail: mutants must not break unrelated tables. */
	failingFile: string;
	/** Must appear among that file's failures. */
	expected: RegExp;
}

const adminUrl = inject('adminDatabaseUrl');

const mutants: Mutant[] = [
	{
		name: 'circle_members select: a member of any circle sees every circle',
		table: 'circle_members',
		command: 'SELECT',
		setup: `
			create function private.mutant_in_some_circle() returns boolean
			language sql stable security definer set search_path = ''
			as $$ select exists (
				select 1 from public.circle_members c where c.member_id = (select auth.uid())
			) $$;
			-- As the migration does for its helpers (rls_catalog.test.sql checks it).
				revoke all on function private.mutant_in_some_circle() from public;
				grant execute on function private.mutant_in_some_circle() to authenticated;`,
		policy: `
			create policy "mutant" on public.circle_members for select to authenticated
			using (
				young_person_id = (select auth.uid())
				or (select private.mutant_in_some_circle())
				or (select private.is_admin_of(young_person_id))
			)`,
		failingFile: 'rls_circle_members.test.sql',
		expected:
			/circle_members select as outside_sw: expected to see \{yp2\/outside_sw\} but saw .*; LEAK of \{other_yp\/other_la_sw, yp\/advocate, yp\/family, yp\/sw\}/
	},
	{
		name: 'profiles update: anyone updates any profile',
		table: 'profiles',
		command: 'UPDATE',
		policy: `
			create policy "mutant" on public.profiles for update to authenticated
			using (true) with check (true)`,
		failingFile: 'rls_profiles.test.sql',
		expected:
			/profiles update as sw \(change yp's preferred name\): expected refused, but it succeeded and affected 1 row\(s\): LEAK/
	},
	{
		name: 'invites select: everyone in the organisation sees its invites',
		table: 'invites',
		command: 'SELECT',
		policy: `
			create policy "mutant" on public.invites for select to authenticated
			using ((select private.has_org_role(organisation_id, enum_range(null::public.member_role))))`,
		failingFile: 'rls_invites.test.sql',
		expected:
			/invites select as family: expected to see \{invite:family\} but saw .*; LEAK of \{.*invite:new_yp.*\}/
	},
	{
		name: 'documents select: everyone signed in sees every document',
		table: 'documents',
		command: 'SELECT',
		policy: `
			create policy "mutant" on public.documents for select to authenticated
			using (true)`,
		failingFile: 'rls_documents.test.sql',
		expected:
			/documents select as sw: expected to see \{doc:yp_care_plan\} but saw .*; LEAK of \{doc:other_yp_pathway, doc:yp2_care_plan, doc:yp_story\}/
	},
	{
		name: "advocacy_requests select: the young person's circle reads their advocacy requests",
		table: 'advocacy_requests',
		command: 'SELECT',
		policy: `
			create policy "mutant" on public.advocacy_requests for select to authenticated
			using (
				young_person_id = (select auth.uid())
				or (select private.advocates_for(service_id))
				or (select private.in_circle_of(young_person_id))
			)`,
		failingFile: 'rls_advocacy_requests.test.sql',
		expected:
			/advocacy_requests select as sw: expected to see \{\} but saw \{req:closed, req:yp\}; LEAK of \{req:closed, req:yp\}/
	},
	{
		name: "document_shares insert: anyone shares anyone's story",
		table: 'document_shares',
		command: 'INSERT',
		policy: `
			create policy "mutant" on public.document_shares for insert to authenticated
			with check (true)`,
		failingFile: 'rls_document_shares.test.sql',
		expected:
			/document_shares insert as sw \(share yp's story with sw\): expected refused, but it succeeded/
	},
	{
		name: 'document_signoffs insert: anyone signs any version',
		table: 'document_signoffs',
		command: 'INSERT',
		policy: `
			create policy "mutant" on public.document_signoffs for insert to authenticated
			with check (true)`,
		failingFile: 'rls_document_signoffs.test.sql',
		expected:
			/document_signoffs insert as family \(disagree with the draft of yp's care plan\): expected refused, but it succeeded/
	}
];

/** Drops every real policy for (table, command) and creates the mutant in their place. */
async function applyMutant(client: pg.ClientBase, mutant: Mutant): Promise<void> {
	const { rows } = await client.query<{ policyname: string }>(
		`select policyname from pg_policies
		 where schemaname = 'public' and tablename = $1 and cmd = $2`,
		[mutant.table, mutant.command]
	);
	// Without this the mutant would only add to the real policies instead of replacing them.
	expect(rows.length).toBeGreaterThan(0);
	for (const { policyname } of rows) {
		await client.query(
			`drop policy "${policyname.replaceAll('"', '""')}" on public.${mutant.table}`
		);
	}
	if (mutant.setup) await client.query(mutant.setup);
	await client.query(mutant.policy);
}

function failuresOf(results: SqlTestResult[]): Map<string, string> {
	return new Map(results.flatMap((r) => (r.failure ? [[r.file, r.failure] as const] : [])));
}

describe('the RLS matrix catches a wrong policy', () => {
	it.each(mutants)('$name', async (mutant) => {
		const results = await runAllSqlTests(adminUrl, {
			prepare: (client) => applyMutant(client, mutant)
		});
		const failures = failuresOf(results);
		expect([...failures.keys()]).toEqual([mutant.failingFile]);
		expect(failures.get(mutant.failingFile)).toMatch(mutant.expected);
	});

	it('leaves the real policies in place afterwards', async () => {
		const results = await Promise.all(
			[...new Set(mutants.map((m) => m.failingFile))].map((file) => runSqlTestFile(adminUrl, file))
		);
		expect(failuresOf(results)).toEqual(new Map());
	});
});
