import type { APIRequestContext, Browser } from '@playwright/test';
import pg from 'pg';
import { findFormActions } from '../support/form-actions.ts';
import { DEMO, adminUrl, expect, signIn, test } from './support';

/**
 * Against what `npm start` serves (the e2e runner starts the app through the same launcher):
 * every form action, found from src/routes, posted from another site, or with no Origin at all,
 * by signed-in people, is refused before it runs, and nothing in the database changes. This file
 * runs in its own Playwright project after every other test, so the before/after comparison sees
 * only what these posts did.
 */

const FOREIGN = 'https://elsewhere.example';
const FORBIDDEN = /Cross-site POST form submissions are forbidden/;

/**
 * Tables whose rows may change under this test without any post being processed: the audit
 * log (reads) and the collab server's own compaction of documents left by earlier tests, which
 * rewrites the log into a snapshot (same content, other rows).
 */
const MOVING_TABLES = new Set(['document_reads', 'document_updates', 'document_snapshots']);

/** One fingerprint per table: its row count and a digest of every row. */
async function snapshot(client: pg.Client): Promise<Record<string, string>> {
	const { rows: tables } = await client.query<{ name: string }>(
		`select format('%I.%I', schemaname, tablename) as name from pg_tables
		 where schemaname = 'public' or (schemaname = 'auth' and tablename in ('users', 'sessions'))
		 order by 1`
	);
	const out: Record<string, string> = {};
	for (const { name } of tables) {
		if (MOVING_TABLES.has(name.replace(/^public\./, ''))) continue;
		const { rows } = await client.query<{ fingerprint: string }>(
			`select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '')
			   as fingerprint from ${name} t`
		);
		out[name] = rows[0]!.fingerprint;
	}
	return out;
}

/** Real ids from the demo data, so a post that got through would have something to change. */
async function realParams(client: pg.Client): Promise<Record<string, string>> {
	const one = async (sql: string) => (await client.query<{ id: string }>(sql)).rows[0]?.id;
	const sample = '00000000-0000-4000-8000-00000000ffff';
	const documentId = await one(
		`select id::text from public.documents where young_person_id = '${DEMO.youngPerson.id}'
		 order by created_at limit 1`
	);
	return {
		id: documentId ?? sample,
		'young-people:id': DEMO.youngPerson.id,
		'advocacy:id': (await one('select id::text from public.advocacy_requests limit 1')) ?? sample,
		'surveys:id': (await one('select id::text from public.surveys limit 1')) ?? sample,
		'feedback:id': (await one('select id::text from public.surveys limit 1')) ?? sample,
		step: '1',
		versionId:
			(await one(`select id::text from public.document_versions
			            where document_id = '${documentId ?? sample}' limit 1`)) ?? sample,
		photoId: sample,
		token: sample
	};
}

async function signedInRequest(browser: Browser, who: string): Promise<APIRequestContext> {
	const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
	const page = await context.newPage();
	await signIn(page, who);
	return context.request;
}

test('no form action runs when posted from another site or with no Origin', async ({ browser }) => {
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		const params = await realParams(client);
		const actions = findFormActions((route, param) => {
			const section = route.split('/')[1];
			return params[`${section}:${param}`] ?? params[param] ?? param;
		});
		// Every page file with actions was found (26 today); a finder that found none would pass.
		expect(actions.length).toBeGreaterThanOrEqual(50);

		const people = [
			await signedInRequest(browser, DEMO.socialWorker.signIn),
			await signedInRequest(browser, DEMO.youngPerson.signIn)
		];
		const before = await snapshot(client);
		let refused = 0;
		for (const request of people) {
			for (const action of actions) {
				const variants: { headers: Record<string, string>; how: string }[] = [
					{ headers: { origin: FOREIGN }, how: `from ${FOREIGN}` },
					{ headers: { origin: 'null' }, how: 'with Origin: null' },
					{ headers: {}, how: 'with no Origin' }
				];
				for (const { headers, how } of variants) {
					const response = await request.post(action.path, {
						headers,
						form: { title: 'Posted from elsewhere', message: 'x' },
						maxRedirects: 0
					});
					expect(response.status(), `${action.path} ${how}`).toBe(403);
					expect(await response.text(), `${action.path} ${how}`).toMatch(FORBIDDEN);
					refused++;
				}
				const multipart = await request.post(action.path, {
					headers: { origin: FOREIGN },
					multipart: { title: 'Posted from elsewhere' },
					maxRedirects: 0
				});
				expect(multipart.status(), `${action.path} multipart from ${FOREIGN}`).toBe(403);
				refused++;
			}
		}
		const after = await snapshot(client);
		expect(after).toEqual(before);
		console.log(
			`cross-origin: ${actions.length} form actions, ${refused} foreign or Origin-less posts, all refused`
		);
	} finally {
		await client.end();
	}
});

test('opened under another name for this machine, a page says where to go', async ({
	request,
	baseURL
}) => {
	const home = new URL(baseURL!);
	const response = await request.get(`${home.origin}/sign-in`, {
		headers: { host: `127.0.0.1:${home.port}` }
	});
	expect(response.status()).toBe(421);
	expect(await response.text()).toContain(`Please open ${home.origin} instead.`);
});
