import { type APIRequestContext } from '@playwright/test';
import pg from 'pg';
import { adminUrl, DEMO, expect, signIn, test } from './support';

/**
 * Every way of opening a child's document writes exactly one audit row (who, what, when, why),
 * and a refused open writes none. Requests go through the running app with a signed-in
 * person's cookies; the rows are read back as the database owner.
 */
const PRIYA_ID = '00000000-0000-4000-8000-000000000003';
const DAN_ID = '00000000-0000-4000-8000-000000000004';

test('each open of a care plan is audit-logged once, with its purpose; refused opens are not', async ({
	page
}, testInfo) => {
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		const { rows } = await client.query<{ id: string }>(
			`insert into public.documents (young_person_id, kind, title, created_by)
			 values ($1, 'care_plan', $2, $3) returning id`,
			[DEMO.youngPerson.id, `Audit ${testInfo.project.name} ${Date.now()}`, PRIYA_ID]
		);
		const id = rows[0]!.id;
		const versions: string[] = [];
		for (const name of ['One', 'Two']) {
			const v = await client.query<{ id: string }>(
				`insert into public.document_versions (document_id, name, state, created_by)
				 values ($1, $2, '\\x0000', $3) returning id`,
				[id, name, PRIYA_ID]
			);
			versions.push(v.rows[0]!.id);
		}
		const reads = async (reader: string) => {
			const r = await client.query<{ purpose: string }>(
				'select purpose from public.document_reads where document_id = $1 and reader_id = $2 order by id',
				[id, reader]
			);
			return r.rows.map((x) => x.purpose);
		};
		const opens: Array<[string, (r: APIRequestContext) => Promise<number>, string]> = [
			['the document page', (r) => r.get(`/documents/${id}`).then((x) => x.status()), 'view'],
			[
				'the live editor ticket',
				(r) =>
					r
						.post(`/documents/${id}/ticket`, { headers: { accept: 'application/json' } })
						.then((x) => x.status()),
				'edit'
			],
			[
				'the versions page',
				(r) => r.get(`/documents/${id}/versions`).then((x) => x.status()),
				'view'
			],
			[
				'a version',
				(r) => r.get(`/documents/${id}/versions/${versions[0]}`).then((x) => x.status()),
				'view'
			],
			[
				'a comparison',
				(r) =>
					r
						.get(`/documents/${id}/versions/compare?from=${versions[0]}&to=${versions[1]}`)
						.then((x) => x.status()),
				'view'
			],
			[
				'the print view',
				(r) => r.get(`/documents/${id}/versions/${versions[1]}/print`).then((x) => x.status()),
				'print'
			],
			[
				'the export',
				(r) => r.get(`/documents/${id}/versions/${versions[1]}/export`).then((x) => x.status()),
				'export'
			]
		];

		await signIn(page, DEMO.socialWorker.signIn);
		let expected: string[] = [];
		for (const [what, open, purpose] of opens) {
			expect(await open(page.request), what).toBe(200);
			expected = [...expected, purpose];
			expect(await reads(PRIYA_ID), what).toEqual(expected);
		}

		// Dan is not in Sam's circle: every open is refused (404), and none is logged.
		await page.context().clearCookies();
		await signIn(page, DEMO.adviser.signIn);
		for (const [what, open] of opens) {
			expect(await open(page.request), what).toBe(404);
		}
		expect(await reads(DAN_ID)).toEqual([]);
	} finally {
		await client.end();
	}
});
