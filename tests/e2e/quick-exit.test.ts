import type { BrowserContext, Page } from '@playwright/test';
import { MESSAGE_SAVED } from '../../src/lib/collab/protocol';
import { carePlanFor } from './care-plan-of-own';
import {
	createPersonOfOwn,
	ensureStory,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signIn,
	test
} from './support';

/** The neutral site "Exit this page" goes to, answered here (there is no network in tests). */
const NEUTRAL = 'https://www.bbc.co.uk/weather';
const PHONE = { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true };

async function answerNeutralSite(context: BrowserContext) {
	await context.route('https://www.bbc.co.uk/**', (route) =>
		route.fulfill({
			contentType: 'text/html',
			body: '<!doctype html><html lang="en"><title>Weather</title><h1>Weather</h1></html>'
		})
	);
}

/** Every kind of page a young person can open, in groups (one test each, so each stays short). */
const PAGE_GROUPS: Record<string, (ids: { plan: string; story: string }) => string[]> = {
	'home, circle, who has looked and settings': () => [
		'/home',
		'/circle',
		'/who-looked',
		'/profile'
	],
	'a care plan, my story, its timeline and photos': ({ plan, story }) => [
		`/documents/${plan}`,
		`/documents/${story}`,
		`/documents/${story}/timeline`,
		`/documents/${story}/photos`
	],
	'a survey and the advocacy pages': () => [
		'/feedback/00000000-0000-4000-8000-000000000f10',
		'/advocacy',
		'/ask-for-an-advocate',
		'/ask-for-an-advocate/reply'
	]
};

/** A young person of the test's own, with a care plan and a story. */
async function youngPerson() {
	const name = `Kit${Date.now() % 100000}`;
	const person = await createPersonOfOwn(name);
	const plan = await carePlanFor(person.id, `Plan for ${name}`);
	const story = await ensureStory(person.id);
	return { person, name, ids: { plan, story } };
}

const hiddenHeading = (page: Page) =>
	page.getByRole('heading', { level: 1, name: 'This page is hidden' });

/** What the page says about its contents: its main heading. */
async function marker(page: Page): Promise<string> {
	const heading = page.getByRole('heading', { level: 1 }).first();
	await expect(heading).toBeVisible();
	return (await heading.textContent())!.trim();
}

async function expectHidden(page: Page, secret: string) {
	await expect(hiddenHeading(page)).toBeVisible();
	await expect(page.locator('body')).not.toContainText(secret);
}

test.describe('with JavaScript', () => {
	for (const [group, pagesOf] of Object.entries(PAGE_GROUPS)) {
		test(`"Exit this page" leaves ${group}, and Back shows nothing`, async ({ browser }) => {
			const { person, name, ids } = await youngPerson();
			const paths = pagesOf(ids);
			const context = await browser.newContext(PHONE);
			await answerNeutralSite(context);
			const page = await context.newPage();
			await signIn(page, person.username);
			// Something private before the first page, for Back to land on.
			await page.goto('/who-looked');

			for (const path of paths) {
				await page.goto(path);
				const secret = await marker(page);
				const exit = page.getByRole('link', { name: /Exit this page/ });
				// Once the page's script runs, leaving also takes this page out of the history.
				await expect(exit).toHaveAttribute('data-enhanced', 'true');
				await exit.click();
				await expect(page).toHaveURL(NEUTRAL);
				await page.goBack();
				// The page that was left is no longer in the history: Back lands on the one before,
				// and that one, asked again, is the neutral page.
				expect(new URL(page.url()).pathname, `exited from ${path}`).not.toBe(path);
				await expectHidden(page, secret);
				await expectHidden(page, `Hello, ${name}`);
				// Going on from there (Forward, or the page itself again) shows nothing either.
				await page.goto(path);
				await expectHidden(page, secret);
				await page.getByRole('button', { name: 'Show the page' }).click();
				await expect(page.getByRole('heading', { level: 1, name: secret })).toBeVisible();
				expect(new URL(page.url()).pathname).toBe(path);
			}
			await context.close();
		});
	}

	test('pressing Shift three times leaves; any other key in between starts again', async ({
		browser
	}) => {
		const { person } = await youngPerson();
		const context = await browser.newContext();
		await answerNeutralSite(context);
		const page = await context.newPage();
		await signIn(page, person.username);
		await page.goto('/who-looked');
		await expect(page.getByRole('link', { name: /Exit this page/ })).toHaveAttribute(
			'data-enhanced',
			'true'
		);
		const counter = page.locator('p[aria-live="polite"]');

		await page.keyboard.press('Shift');
		await expect(counter).toHaveText('Shift, press 2 more times to exit.');
		await page.keyboard.press('a');
		await expect(counter).toHaveText('');
		await page.keyboard.press('Shift');
		await page.keyboard.press('Shift');
		await expect(counter).toHaveText('Shift, press 1 more time to exit.');
		expect(new URL(page.url()).pathname).toBe('/who-looked');
		await page.keyboard.press('Shift');
		await expect(page).toHaveURL(NEUTRAL);
		await page.goBack();
		await expect(hiddenHeading(page)).toBeVisible();
		await context.close();
	});
});

test.describe('without JavaScript', () => {
	for (const [group, pagesOf] of Object.entries(PAGE_GROUPS)) {
		test(`"Exit this page" is a link that still hides ${group} from Back`, async ({ browser }) => {
			const { person, ids } = await youngPerson();
			const paths = pagesOf(ids);
			const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
			await answerNeutralSite(context);
			const page = await context.newPage();
			await signIn(page, person.username);

			for (const path of paths) {
				await page.goto(path);
				const secret = await marker(page);
				const exit = page.getByRole('link', { name: /Exit this page/ });
				await expect(exit).toHaveAttribute('href', '/exit');
				await exit.click();
				await expect(page).toHaveURL(NEUTRAL);
				await page.goBack();
				expect(new URL(page.url()).pathname).toBe(path);
				await expectHidden(page, secret);
				await page.getByRole('button', { name: 'Show the page' }).click();
				await expect(page.getByRole('heading', { level: 1, name: secret })).toBeVisible();
			}
			await context.close();
		});
	}

	test('signed out, the advocacy form is hidden too', async ({ browser }) => {
		const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
		await answerNeutralSite(context);
		const page = await context.newPage();
		// Signed out, the advocacy form (and what was typed into it) is hidden the same way.
		await page.goto('/ask-for-an-advocate');
		await page.getByRole('link', { name: /Exit this page/ }).click();
		await expect(page).toHaveURL(NEUTRAL);
		await page.goBack();
		await expect(hiddenHeading(page)).toBeVisible();
		// Pages about nobody stay as they are.
		await page.goto('/');
		await expect(hiddenHeading(page)).toHaveCount(0);
		await context.close();
	});
});

test('the hidden page is accessible on a phone, and only ever goes back to this site', async ({
	browser
}) => {
	const context = await browser.newContext(PHONE);
	await answerNeutralSite(context);
	const page = await context.newPage();
	await page.goto('/ask-for-an-advocate');
	await page.getByRole('link', { name: /Exit this page/ }).click();
	await expect(page).toHaveURL(NEUTRAL);
	await page.goto('/ask-for-an-advocate');
	await expect(hiddenHeading(page)).toBeVisible();
	// (axe runs its script in the page, so this is checked with JavaScript on; the hidden page
	// itself has none either way.)
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);
	// A made-up "next" pointing elsewhere comes back to the front page instead.
	await page.evaluate(() => {
		const next = document.querySelector<HTMLInputElement>('input[name="next"]')!;
		next.value = '//evil.example/';
	});
	await page.getByRole('button', { name: 'Show the page' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	expect(new URL(page.url()).host).not.toBe('evil.example');
	expect(new URL(page.url()).pathname).toBe('/');
	await context.close();
});

test('with changes not saved yet, a link in the app asks first, and "Exit this page" never asks', async ({
	browser
}) => {
	const { person, ids } = await youngPerson();
	const context = await browser.newContext(PHONE);
	await answerNeutralSite(context);
	const page = await context.newPage();
	// The server's "saved" never reaches the page: everything typed stays unsaved.
	await page.routeWebSocket(/\/[0-9a-f-]{36}$/, (ws) => {
		const server = ws.connectToServer();
		server.onMessage((message) => {
			if (typeof message !== 'string' && message[0] === MESSAGE_SAVED) return;
			ws.send(message);
		});
	});
	await signIn(page, person.username);
	await page.goto(`/documents/${ids.plan}`);
	const text = page.getByRole('textbox', { name: 'Document text' });
	await text.click();
	await page.keyboard.type('Not saved yet');
	await expect(page.getByRole('status')).toHaveText('Saving…');

	// Another page of the app unloads nothing, so only the page itself can ask.
	const asked: string[] = [];
	page.on('dialog', (dialog) => {
		asked.push(`${dialog.type()}: ${dialog.message()}`);
		void dialog.dismiss();
	});
	await page.getByRole('link', { name: 'Home', exact: true }).click();
	await expect
		.poll(() => asked)
		.toEqual([
			'confirm: Some of your changes are not saved yet. If you leave this page now, they will be lost. Leave anyway?'
		]);
	expect(new URL(page.url()).pathname).toBe(`/documents/${ids.plan}`);
	await expect(text).toContainText('Not saved yet');

	// Someone who must hide the screen is never held up, unsaved changes or not.
	const exit = page.getByRole('link', { name: /Exit this page/ });
	await expect(exit).toHaveAttribute('data-enhanced', 'true');
	await exit.click();
	await expect(page).toHaveURL(NEUTRAL);
	expect(asked).toHaveLength(1);
	await context.close();
});
