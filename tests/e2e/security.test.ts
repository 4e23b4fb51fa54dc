import http from 'node:http';
import { DEMO, DEMO_PASSPHRASE, ensureStory, expect, signIn, test } from './support';

const ALEX_ID = '00000000-0000-4000-8000-000000000008';

test('signed-in pages send the security headers and HttpOnly, Secure cookies', async ({ page }) => {
	const signInPage = await page.goto('/sign-in');
	const headers = signInPage!.headers();
	expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['referrer-policy']).toBe('same-origin');

	await page.getByLabel('Username or email').fill(DEMO.designer.signIn);
	await page.getByLabel('Password').fill(DEMO_PASSPHRASE);
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

test('a 30 MB chunked upload to a story the sender cannot see is refused before its body is read', async ({
	page,
	context,
	baseURL
}) => {
	// Jo is not in Alex's circle: Alex's story is not one Jo can see.
	await signIn(page, DEMO.parent.signIn);
	const story = await ensureStory(ALEX_ID);
	const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
	const url = new URL(`/documents/${story}/photos?/upload`, baseURL);
	const boundary = 'in-my-words-test';
	const req = http.request(url, {
		method: 'POST',
		headers: {
			cookie,
			origin: url.origin,
			accept: 'text/html',
			'content-type': `multipart/form-data; boundary=${boundary}`,
			'transfer-encoding': 'chunked'
		}
	});
	req.on('error', () => {
		// The server may close the connection once it has answered: that is the point.
	});
	let status: number | undefined;
	req.once('response', (res) => {
		status = res.statusCode;
		res.resume();
	});
	// A photo part that would run to 30 MB; only its first 16 KB are sent, then nothing more until
	// the server answers. A server that read the body before checking access would wait for the
	// rest and never answer, and this poll would fail.
	req.write(
		`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="big.jpg"\r\n` +
			`Content-Type: image/jpeg\r\n\r\n`
	);
	req.write(Buffer.alloc(16 * 1024, 0xff));
	await expect.poll(() => status).toBe(404);
	req.destroy();
});
