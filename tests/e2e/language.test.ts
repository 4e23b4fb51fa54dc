import pg from 'pg';
import {
	DEMO_PASSPHRASE,
	adminUrl,
	createPersonOfOwn,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	test
} from './support';
import type { Page } from '@playwright/test';

/** The language recorded on a person's profile (null until they choose one). */
async function recordedLanguage(id: string): Promise<string | null> {
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		const { rows } = await client.query('select language from public.profiles where id = $1', [id]);
		return rows[0]?.language ?? null;
	} finally {
		await client.end();
	}
}

async function signInInWelsh(page: Page, username: string) {
	await page.getByLabel('Enw defnyddiwr neu e-bost').fill(username);
	await page.getByLabel('Cyfrinair').fill(DEMO_PASSPHRASE);
	await page.getByRole('button', { name: 'Mewngofnodi' }).click();
}

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('choosing Cymraeg before signing in: Welsh pages, kept on the profile through signing out and in', async ({
		page
	}) => {
		// A person of the test's own: their recorded language changes.
		const person = await createPersonOfOwn('Gwen');
		await page.goto('/sign-in');
		await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB');
		// The switch names the language in itself, in that language.
		const cymraeg = page.getByRole('button', { name: 'Cymraeg' });
		await expect(cymraeg).toHaveAttribute('lang', 'cy');
		await cymraeg.click();

		// Back on the same page, now in Welsh.
		await expect(page).toHaveURL(/\/sign-in$/);
		await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
		await expect(page.getByRole('heading', { level: 1, name: 'Mewngofnodi' })).toBeVisible();
		await expect(page).toHaveTitle('Mewngofnodi – In My Words');
		await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('lang', 'en-GB');

		// Form messages are Welsh too.
		await page.getByRole('button', { name: 'Mewngofnodi' }).click();
		await expect(page.getByRole('alert')).toContainText('Mae problem');
		await expect(page.getByRole('alert')).toContainText(
			"Rhowch eich enw defnyddiwr neu'ch e-bost."
		);
		await expect(page.getByRole('alert')).toContainText('Rhowch eich cyfrinair.');

		await signInInWelsh(page, person.username);
		await expect(page.getByRole('heading', { level: 1, name: 'Helo, Gwen' })).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
		await expect(page.getByRole('heading', { name: 'Fy nogfennau' })).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Fy nghylch' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Hafan' })).toBeVisible();
		// Signing in recorded the choice made before it.
		expect(await recordedLanguage(person.id)).toBe('cy');

		// The language page (where the switch's form goes) works without a script too.
		await page.goto('/language');
		await expect(
			page.getByRole('heading', { level: 1, name: 'Dewiswch eich iaith' })
		).toBeVisible();
		await page.goto('/home');

		await page.getByRole('button', { name: 'Allgofnodi' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Mewngofnodi' })).toBeVisible();

		// Another phone, or this one with its cookies gone: English until they sign in.
		await page.context().clearCookies();
		await page.goto('/sign-in');
		await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB');
		await page.getByLabel('Username or email').fill(person.username);
		await page.getByLabel('Password').fill(DEMO_PASSPHRASE);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Helo, Gwen' })).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('lang', 'cy');

		// Back to English from any page: the same page, and the profile says so.
		await page.getByRole('button', { name: 'English' }).click();
		await expect(page).toHaveURL(/\/home$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Hello, Gwen' })).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB');
		expect(await recordedLanguage(person.id)).toBe('en');
	});

	test('a shared link in Welsh (?lang=cy): Welsh pages from then on, and the address loses the parameter', async ({
		page
	}) => {
		// Other query parameters stay; only the language parameter goes.
		await page.goto('/sign-in?lang=cy&next=%2Fhome');
		await expect(page).toHaveURL(/\/sign-in\?next=%2Fhome$/);
		await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
		await expect(page.getByRole('heading', { level: 1, name: 'Mewngofnodi' })).toBeVisible();

		// The next page, without the parameter, is still Welsh: the privacy notice, say.
		await page.goto('/privacy');
		await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
		await expect(
			page.getByRole('heading', { level: 1, name: "Sut rydyn ni'n gofalu am eich gwybodaeth" })
		).toBeVisible();
		await expect(page).toHaveTitle("Sut rydyn ni'n gofalu am eich gwybodaeth – In My Words");
		await expect(page.getByText('un i gofio eich iaith')).toBeVisible();

		// A language we do not speak is ignored, with no error: the page stays in the one chosen.
		const response = await page.goto('/sign-in?lang=fr');
		expect(response?.status()).toBe(200);
		await expect(page).toHaveURL(/\/sign-in\?lang=fr$/);
		await expect(page.locator('html')).toHaveAttribute('lang', 'cy');

		// And a link back to English works the same way.
		await page.goto('/privacy?lang=en');
		await expect(page).toHaveURL(/\/privacy$/);
		await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB');
		await expect(
			page.getByRole('heading', { level: 1, name: 'How we look after your information' })
		).toBeVisible();
	});

	test('a browser that prefers Welsh gets Welsh before anything is chosen', async ({ browser }) => {
		const context = await browser.newContext({ locale: 'cy-GB', javaScriptEnabled: false });
		try {
			const page = await context.newPage();
			await page.goto('/sign-in');
			await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
			await expect(page.getByRole('heading', { level: 1, name: 'Mewngofnodi' })).toBeVisible();
		} finally {
			await context.close();
		}
	});
});

test('with JavaScript, signing in opens home in the language on the profile; Welsh pages are accessible and fit a phone', async ({
	page
}) => {
	const person = await createPersonOfOwn('Iolo');
	await page.goto('/sign-in');
	await page.getByRole('button', { name: 'Cymraeg' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
	// Welsh words are often longer: nothing off the side of a 360 px phone, and axe is clean,
	// errors showing too. (Axe runs in the page, so these checks need its JavaScript.)
	await page.getByRole('button', { name: 'Mewngofnodi' }).click();
	await expect(page.getByRole('alert')).toContainText('Mae problem');
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);

	await signInInWelsh(page, person.username);
	await expect(page.getByRole('heading', { level: 1, name: 'Helo, Iolo' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);
	// The page's script speaks Welsh as well (a page that hydrated in English would show it).
	await page.getByRole('link', { name: 'Fy ngosodiadau' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Fy ngosodiadau' })).toBeVisible();
	await expect(page.getByLabel('Fy rhagenwau (dewisol)')).toBeVisible();
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);
	await page.getByRole('link', { name: 'Hafan' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Helo, Iolo' })).toBeVisible();

	await page.goto('/language');
	await expect(page.getByRole('heading', { level: 1, name: 'Dewiswch eich iaith' })).toBeVisible();
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);
});

test('an address that matches no page is explained in the page’s language', async ({ page }) => {
	const response = await page.goto('/no-such-page?lang=cy');
	expect(response?.status()).toBe(404);
	await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
	await expect(
		page.getByText('Efallai fod y cyfeiriad yn anghywir, neu fod y dudalen wedi symud.')
	).toBeVisible();
	await expect(page.getByText('Not Found')).toHaveCount(0);
	await expectNoAxeViolations(page);
});

test('a link in a language followed inside the app loads the whole page in that language', async ({
	page
}) => {
	await page.goto('/sign-in');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB');
	// Once the page's script has run (hydration would replace a link added before it).
	await page.waitForLoadState('networkidle');
	// As a link in a document's words would be: an ordinary same-site link, which the app's
	// router would otherwise follow in the browser with the page's old language.
	await page.evaluate(() => {
		const link = document.createElement('a');
		link.href = '/privacy?lang=cy';
		link.textContent = 'Preifatrwydd';
		document.querySelector('main')!.append(link);
	});
	await page.getByRole('link', { name: 'Preifatrwydd' }).click();
	await expect(page).toHaveURL(/\/privacy$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
	// The page's own script speaks Welsh too: its navigation is Welsh, not English left over.
	await expect(page.getByRole('link', { name: 'Mewngofnodi' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Sign in' })).toHaveCount(0);
});
