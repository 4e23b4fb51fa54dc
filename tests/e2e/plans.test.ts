import { type Browser } from '@playwright/test';
import {
	DEMO,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signIn,
	test
} from './support';

const SAM = `/young-people/${DEMO.youngPerson.id}`;

async function phone(browser: Browser, javaScriptEnabled = true) {
	return browser.newContext({
		viewport: { width: 360, height: 740 },
		hasTouch: true,
		isMobile: true,
		javaScriptEnabled
	});
}

test('a social worker starts a care plan for a young person in their circle', async ({ page }) => {
	await signIn(page, DEMO.socialWorker.signIn);
	await page.goto(SAM);
	await expect(
		page.getByRole('heading', { level: 2, name: "Sam's plans and documents" })
	).toBeVisible();
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);
	await page.getByRole('button', { name: 'Start a care plan' }).click();

	await expect(page.getByRole('heading', { level: 1, name: "Sam's care plan" })).toBeVisible();
	const url = new URL(page.url()).pathname;
	expect(url).toMatch(/^\/documents\/[0-9a-f-]{36}$/);
	// A new plan, not the demo one.
	expect(url).not.toBe('/documents/00000000-0000-4000-8000-0000000000d1');
	const text = page.getByRole('textbox', { name: 'Document text' });
	for (const heading of [
		'About me',
		'My wishes and feelings',
		'Where I live',
		'School and learning',
		'What needs to happen, who will help, by when',
		'My IRO'
	]) {
		await expect(text.getByRole('heading', { level: 2, name: heading, exact: true })).toBeVisible();
	}
	await expect(text).toContainText('What do you want people to know about you?');
	await expect(page.getByRole('status')).toHaveText('Saved');

	// It is listed on Sam's page for the circle.
	await page.goto(SAM);
	await expect(
		page.getByRole('region', { name: "Sam's plans and documents" }).locator(`a[href="${url}"]`)
	).toHaveText("Sam's care plan");
});

test('without JavaScript, a social worker starts a pathway plan and it opens', async ({
	browser
}) => {
	const context = await phone(browser, false);
	const page = await context.newPage();
	await signIn(page, DEMO.socialWorker.signIn);
	await page.goto(SAM);
	await expect(page.getByText('We do not record age')).toBeVisible();
	await page.getByRole('button', { name: 'Start a pathway plan' }).click();
	await expect(page.getByRole('heading', { level: 1, name: "Sam's pathway plan" })).toBeVisible();
	const saved = page.getByRole('region', { name: 'Last saved version' });
	await expect(saved.getByRole('heading', { name: 'If things go wrong' })).toBeVisible();
	await expect(saved.getByRole('heading', { name: 'Money' })).toBeVisible();
	await context.close();
});

test('only practitioners managing the circle can start a plan', async ({ page }) => {
	// Jo, Sam's mum, is in the circle with comment access: no buttons, and a forged post is refused.
	await signIn(page, DEMO.parent.signIn);
	await page.goto(SAM);
	await expect(page.getByRole('button', { name: 'Start a care plan' })).toHaveCount(0);
	const origin = new URL(page.url()).origin;
	const forged = await page.request.post(`${SAM}?/startPlan`, {
		form: { kind: 'care_plan' },
		headers: { origin, accept: 'text/html' }
	});
	expect(forged.status()).toBe(403);
	expect(await forged.text()).toContain(
		'Only a social worker or personal adviser who manages this circle can start a plan.'
	);
	// A made-up kind of document is a clear error too.
	const odd = await page.request.post(`${SAM}?/startPlan`, {
		form: { kind: 'diary' },
		headers: { origin, accept: 'text/html' }
	});
	expect(odd.status()).toBe(400);
	expect(await odd.text()).toContain('Please choose a care plan or a pathway plan.');
});
