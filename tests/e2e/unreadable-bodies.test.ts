import type { APIRequestContext } from '@playwright/test';
import { findFormActions } from '../support/form-actions.ts';
import { createPersonOfOwn, expect, signIn, test } from './support';

/**
 * A body that cannot be read as a form, posted to any form action (found from src/routes, so a
 * new one is covered), gets a clear 400, never a 500: signed out, and signed in as a practitioner
 * and as a young person (who between them may use every action). They are people of this test's
 * own: an empty multipart body is a real sign-out, and signing a shared demo person out would end
 * their sessions in every other test running beside this one.
 */

const BODIES: { how: string; contentType: string; data: string }[] = [
	{ how: 'text/plain', contentType: 'text/plain', data: 'identifier=sam&passphrase=x' },
	{
		how: 'broken multipart',
		contentType: 'multipart/form-data; boundary=nothing-like-this',
		data: '--another-boundary\r\nContent-Disposition: form-data; name="x"\r\n\r\ny'
	},
	{
		how: 'multipart without a boundary',
		contentType: 'multipart/form-data',
		data: 'not multipart at all'
	}
];

async function postAll(request: APIRequestContext, who: string): Promise<number> {
	const origin = new URL(test.info().project.use.baseURL!).origin;
	let posted = 0;
	for (const action of findFormActions()) {
		for (const body of BODIES) {
			const response = await request.post(action.path, {
				// As a browser's form post (HTML, not an enhanced form's JSON).
				headers: { origin, accept: 'text/html', 'content-type': body.contentType },
				data: body.data,
				maxRedirects: 0
			});
			const what = `${who}: ${body.how} to ${action.path}`;
			expect(response.status(), what).toBeLessThan(500);
			// Refused, or (signed out, the photo upload, which reads its own body) sent to sign in.
			if (response.status() < 400) {
				expect(response.status(), what).toBe(303);
				expect(response.headers()['location'], what).toMatch(/^\/sign-in/);
			}
			posted++;
		}
	}
	return posted;
}

test('every form action answers an unreadable body with a clear 4xx, never a 500', async ({
	browser,
	request
}) => {
	let posted = await postAll(request, 'signed out');
	const people = [await createPersonOfOwn('Wren', 'social_worker'), await createPersonOfOwn('Ash')];
	for (const { username: who } of people) {
		const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
		await signIn(await context.newPage(), who);
		posted += await postAll(context.request, who);
		await context.close();
	}
	// And the words people see say what happened.
	const origin = new URL(test.info().project.use.baseURL!).origin;
	const response = await request.post('/ask-for-an-advocate', {
		headers: { origin, 'content-type': 'text/plain', accept: 'text/html' },
		data: 'about=help'
	});
	expect(response.status()).toBe(400);
	expect(await response.text()).toContain('We could not read what was sent.');
	console.log(`unreadable bodies: ${posted} posts to ${findFormActions().length} actions, 0 × 500`);
});
