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
