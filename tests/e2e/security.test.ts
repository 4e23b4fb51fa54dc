import { DEMO, DEMO_PASSPHRASE, expect, test } from './support';

test('signed-in pages send the security headers and HttpOnly, Secure cookies', async ({ page }) => {
	const signInPage = await page.goto('/sign-in');
	const headers = signInPage!.headers();
	expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['referrer-policy']).toBe('same-origin');

	await page.getByLabel('Username or email').fill(DEMO.designer.signIn);
	await page.getByLabel('Passphrase').fill(DEMO_PASSPHRASE);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { name: `Hello, ${DEMO.designer.name}` })).toBeVisible();
	const home = await page.goto('/home');
	expect(home!.headers()['cache-control']).toBe('no-store');
	const cookies = await page.context().cookies();
	const auth = cookies.filter((c) => c.name.startsWith('sb-'));
	expect(auth.length).toBeGreaterThan(0);
	for (const c of auth) {
		expect(c.httpOnly).toBe(true);
		expect(c.secure).toBe(true);
		expect(c.sameSite).toBe('Lax');
	}
	// Nothing about the person is kept in browser storage: only SvelteKit's own scroll positions.
	const stored = await page.evaluate(() =>
		[localStorage, sessionStorage].flatMap((s) =>
			Object.keys(s).map((key) => ({ key, value: s.getItem(key) ?? '' }))
		)
	);
	for (const { key, value } of stored) {
		expect(key).toMatch(/^sveltekit:(scroll|snapshot)$/);
		expect(value).not.toMatch(/token|Lee|designer/i);
	}
	expect(await page.evaluate(() => localStorage.length)).toBe(0);
});

test('a big request body to a public form is refused with a clear message', async ({ request }) => {
	// A public form: anyone could send this, so it is refused before anything reads it.
	const big = 'x'.repeat(600 * 1024);
	const response = await request.post('/ask-for-an-advocate', {
		form: { about: big },
		headers: { origin: new URL(test.info().project.use.baseURL ?? 'http://localhost').origin }
	});
	expect(response.status()).toBe(413);
	expect(await response.text()).toContain('That was too much to send at once.');
});
