import { DEMO, createPersonOfOwn, expect, signIn, test } from './support';

/**
 * Inputs an outside review found answered with a 500, each now a clear message: choosing an
 * advocate when one is not a young person, choosing the same advocate twice, and a `next`
 * address that cannot go into a redirect.
 */

const AMARA = '00000000-0000-4000-8000-000000000005';

test('choosing an advocate twice, or when not a young person, is answered in words', async ({
	page,
	browser
}) => {
	const origin = new URL(test.info().project.use.baseURL!).origin;
	const kai = await createPersonOfOwn('Kai');
	await signIn(page, kai.username);
	const add = () =>
		page.request.post('/circle?/addAdvocate', {
			headers: { origin, accept: 'application/json' },
			form: { advocate: AMARA }
		});
	const first = await add();
	expect(first.status()).toBe(200);
	expect(await first.text()).toContain('is now your advocate');
	const again = await add();
	expect(again.status()).toBe(200);
	expect(await again.text()).toContain('is already your advocate');

	const worker = await browser.newContext({ baseURL: test.info().project.use.baseURL });
	const workerPage = await worker.newPage();
	await signIn(workerPage, DEMO.socialWorker.signIn);
	const refused = await workerPage.request.post('/circle?/addAdvocate', {
		headers: { origin, accept: 'application/json' },
		form: { advocate: AMARA }
	});
	expect(refused.status()).toBeLessThan(500);
	expect(await refused.text()).toMatch(/Only a young person can choose an advocate|young people/);
	await worker.close();
});

test('a sign-in link whose next address cannot go into a redirect goes home instead', async ({
	page
}) => {
	await page.goto('/sign-in?next=/%E3%80%82evil');
	await page.goto(`/sign-in?next=${encodeURIComponent('/。evil')}`);
	await page.getByLabel('Username or email').fill(DEMO.careLeaver.signIn);
	await page.getByLabel('Password').fill('in-my-words-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { level: 1, name: /^Hello, / })).toBeVisible();
	expect(new URL(page.url()).pathname).toBe('/home');
});
