import type { APIRequestContext, Browser } from '@playwright/test';
import pg from 'pg';
import { databaseFingerprint } from '../support/database-fingerprint.ts';
import { findFormActions } from '../support/form-actions.ts';
import { fillFrom, realParams } from './real-params.ts';
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
		const actions = findFormActions(fillFrom(params));
		// Every page file with actions was found (26 today); a finder that found none would pass.
		expect(actions.length).toBeGreaterThanOrEqual(50);

		const people = [
			await signedInRequest(browser, DEMO.socialWorker.signIn),
			await signedInRequest(browser, DEMO.youngPerson.signIn)
		];
		const before = await databaseFingerprint(client);
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
		const after = await databaseFingerprint(client);
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
