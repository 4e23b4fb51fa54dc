import type { Page, Request } from '@playwright/test';
import {
	createPersonOfOwn,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signIn,
	test
} from './support';

/**
 * Reading settings (issue 16, item 1): chosen on one screen, applied by the server as classes on
 * <html> (so without JavaScript and on the first paint), kept in a cookie before sign-in and in
 * the profile after, never in browser storage; the easy-to-read font is the app's own.
 */
const ALL = ['text-larger', 'font-readable', 'spacing-wide', 'contrast-high', 'motion-reduced'];

const htmlClasses = async (page: Page) =>
	((await page.locator('html').getAttribute('class')) ?? '').split(/\s+/).filter(Boolean).sort();

async function chooseEverything(page: Page) {
	await page.getByRole('link', { name: 'Text size and reading' }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'Make reading easier' })).toBeVisible();
	await page.getByRole('radio', { name: 'Bigger' }).check();
	await page.getByRole('checkbox', { name: 'Easy-to-read letters' }).check();
	await page.getByRole('checkbox', { name: 'More space between lines' }).check();
	await page.getByRole('checkbox', { name: 'Stronger colours' }).check();
	await page.getByRole('checkbox', { name: 'Less moving' }).check();
	await page.getByRole('button', { name: 'Save', exact: true }).click();
}

test.describe('without JavaScript, before signing in', () => {
	test.use({ javaScriptEnabled: false });

	test('settings are chosen, kept in a cookie and applied by the server to signed-out pages', async ({
		page,
		context
	}) => {
		await page.goto('/ask-for-an-advocate');
		expect(await htmlClasses(page)).toEqual([]);
		await chooseEverything(page);
		// Back where they were, with every setting applied to the page the server sent.
		await expect(page).toHaveURL(/\/ask-for-an-advocate$/);
		expect(await htmlClasses(page)).toEqual([...ALL].sort());
		// 150% of the phone's 16 px, set by the server's stylesheet with no script running.
		await expect(page.locator('html')).toHaveCSS('font-size', '24px');

		// Other signed-out pages get them too, and so does the settings screen itself.
		for (const path of ['/sign-in', '/', '/reading-settings']) {
			await page.goto(path);
			expect(await htmlClasses(page), path).toEqual([...ALL].sort());
		}
		await expect(page.getByRole('radio', { name: 'Bigger' })).toBeChecked();

		// A cookie only the server reads.
		const cookie = (await context.cookies()).find((c) => c.name === 'reading');
		expect(cookie?.httpOnly).toBe(true);
		expect(decodeURIComponent(cookie?.value ?? '')).toContain('size=larger');

		// Back to the defaults: no classes, no cookie.
		await page.getByRole('radio', { name: 'Normal' }).check();
		for (const name of [
			'Easy-to-read letters',
			'More space between lines',
			'Stronger colours',
			'Less moving'
		]) {
			await page.getByRole('checkbox', { name }).uncheck();
		}
		await page.getByRole('button', { name: 'Save', exact: true }).click();
		await expect(page.getByRole('status')).toHaveText('Saved. Every page now looks like this.');
		expect(await htmlClasses(page)).toEqual([]);
		expect((await context.cookies()).some((c) => c.name === 'reading')).toBe(false);
	});

	test('a made-up cookie is read as the defaults, and a made-up size is refused clearly', async ({
		page,
		context,
		baseURL
	}) => {
		await context.addCookies([{ name: 'reading', value: 'size=enormous&font=yes', url: baseURL! }]);
		await page.goto('/sign-in');
		expect(await htmlClasses(page)).toEqual([]);
		const response = await page.request.post('/reading-settings', {
			form: { textSize: 'enormous' },
			headers: { origin: new URL(baseURL!).origin, accept: 'text/html' }
		});
		expect(response.status()).toBe(400);
	});
});

test('the easy-to-read font is the app’s own, from its own origin; pages fit 360 px and pass axe', async ({
	page,
	baseURL
}) => {
	const requests: Request[] = [];
	page.on('request', (request) => requests.push(request));
	await page.goto('/privacy');
	await chooseEverything(page);
	await expect(page).toHaveURL(/\/privacy$/);
	await expect
		.poll(() => page.evaluate(() => document.fonts.check('16px Lexend')), {
			message: 'Lexend has loaded'
		})
		.toBe(true);
	const fonts = requests.filter((r) => r.resourceType() === 'font');
	expect(fonts.length).toBeGreaterThan(0);
	expect(fonts.some((r) => /lexend-latin-(400|700)-normal[^/]*\.woff2$/.test(r.url()))).toBe(true);
	const origin = new URL(baseURL!).origin;
	for (const r of fonts) expect(new URL(r.url()).origin).toBe(origin);
	// Nothing at all from anywhere else.
	expect(requests.map((r) => new URL(r.url()).origin).filter((o) => o !== origin)).toEqual([]);
	const family = await page.locator('body').evaluate((el) => getComputedStyle(el).fontFamily);
	expect(family).toMatch(/^"?Lexend/);
	// Never in browser storage.
	// (SvelteKit itself keeps scroll positions in sessionStorage, under its own names.)
	const stored = await page.evaluate(() => [
		...Object.keys(localStorage),
		...Object.keys(sessionStorage).filter((key) => !key.startsWith('sveltekit:'))
	]);
	expect(stored).toEqual([]);
	// With every setting on (the biggest text), signed-out pages pass axe and fit a 360 px phone.
	for (const path of ['/privacy', '/sign-in', '/ask-for-an-advocate', '/reading-settings']) {
		await page.goto(path);
		expect(await htmlClasses(page), path).toEqual([...ALL].sort());
		await expectNoAxeViolations(page);
		await expectNoHorizontalScroll(page);
	}
});

test('signed in, the settings are kept in the profile and follow the person to another phone', async ({
	page,
	browser,
	baseURL
}) => {
	const person = await createPersonOfOwn('Reader');
	await signIn(page, person.username);
	expect(await htmlClasses(page)).toEqual([]);
	await chooseEverything(page);
	await expect(page.getByRole('heading', { level: 1, name: `Hello, Reader` })).toBeVisible();
	expect(await htmlClasses(page)).toEqual([...ALL].sort());
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);
	// Changeable from every page: the link is there on the page they are on.
	await page.goto('/circle');
	await expect(page.getByRole('link', { name: 'Text size and reading' })).toBeVisible();
	expect(await htmlClasses(page)).toEqual([...ALL].sort());

	// Another phone: nothing before signing in, everything after.
	const other = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 } });
	const phone = await other.newPage();
	await phone.goto('/sign-in');
	expect(await htmlClasses(phone)).toEqual([]);
	await signIn(phone, person.username);
	expect(await htmlClasses(phone)).toEqual([...ALL].sort());
	await other.close();
});
