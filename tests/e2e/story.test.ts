import { type Browser } from '@playwright/test';
import {
	DEMO,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signIn,
	tapInEditor,
	test
} from './support';

const PRIYA_ID = '00000000-0000-4000-8000-000000000003';

async function phone(browser: Browser, javaScriptEnabled = true) {
	return browser.newContext({
		viewport: { width: 360, height: 740 },
		hasTouch: true,
		isMobile: true,
		javaScriptEnabled
	});
}

test('a young person starts their story; it is theirs until they share it, and stopping sharing closes the open editor', async ({
	page,
	browser
}) => {
	const words = `The day we went to the sea ${Date.now() % 100000}`;

	// Sam starts their story from the home page; it opens with the story's prompts.
	await signIn(page, DEMO.youngPerson.signIn);
	await page.getByRole('button', { name: 'Start my story' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'My story' })).toBeVisible();
	const storyUrl = new URL(page.url()).pathname;
	expect(storyUrl).toMatch(/^\/documents\/[0-9a-f-]{36}$/);
	const samText = page.getByRole('textbox', { name: 'Document text' });
	await expect(samText).toContainText('A day I remember');
	await expect(samText).toContainText('What do you want people to know about you?');
	await expect(page.getByRole('status')).toHaveText('Saved');
	await tapInEditor(samText);
	await page.keyboard.press('Control+End');
	await page.keyboard.type(words);
	await expect(page.getByRole('status')).toHaveText('Saved');

	// Starting again opens the same story rather than making a second one.
	await page.goto('/home');
	await expect(page.getByRole('button', { name: 'Start my story' })).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'My story' })).toHaveCount(1);

	// Priya, Sam's social worker, can neither open it nor see it listed.
	const desk = await phone(browser);
	const priya = await desk.newPage();
	await signIn(priya, DEMO.socialWorker.signIn);
	// (Other tests share Alex's story with Priya, so look for this story's own link.)
	await expect(priya.locator(`a[href="${storyUrl}"]`)).toHaveCount(0);
	expect((await priya.goto(storyUrl))?.status()).toBe(404);
	expect(
		(
			await priya.request.post(`${storyUrl}/ticket`, { headers: { accept: 'application/json' } })
		).status()
	).toBe(404);
	// Nor manage who sees it.
	expect((await priya.goto(`${storyUrl}/sharing`))?.status()).toBe(404);

	// Sam shares it with Priya, to read.
	await page.goto(storyUrl);
	await page.getByRole('link', { name: 'Who can see my story' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Who can see my story' })).toBeVisible();
	await expect(page.getByText('Only you can see your story right now.')).toBeVisible();
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);
	// Choosing nobody is a clear error, not a failure.
	await page.getByRole('button', { name: 'Share my story' }).click();
	await expect(page.getByRole('alert')).toContainText(
		'Please choose who you want to share your story with.'
	);
	await page.getByLabel('Who do you want to share it with?').selectOption(PRIYA_ID);
	await page.getByRole('radio', { name: 'Read it', exact: true }).check();
	await page.getByRole('button', { name: 'Share my story' }).click();
	await expect(page.getByRole('status')).toHaveText('Priya can now see your story.');
	const shared = page.getByRole('region', { name: 'People who can see it' });
	await expect(shared.getByRole('listitem')).toHaveCount(1);
	await expect(shared).toContainText('Priya can read it');
	await expectNoAxeViolations(page);

	// Priya now sees it in her list and reads it, but cannot write in it.
	await priya.goto('/home');
	await priya.locator(`a[href="${storyUrl}"]`).click();
	await expect(priya.getByText('You can read this document.')).toBeVisible();
	const priyaText = priya.getByRole('textbox', { name: 'Document text' });
	await expect(priyaText).toContainText(words);
	await expect(priyaText).toHaveAttribute('contenteditable', 'false');
	await expect(priya.getByRole('link', { name: 'Who can see my story' })).toHaveCount(0);

	// With Priya's page open, Sam stops sharing: her editor closes within seconds.
	await page.getByRole('button', { name: 'Stop sharing with Priya' }).click();
	await expect(page.getByRole('status')).toHaveText('Priya cannot see your story any more.');
	await expect(page.getByText('Only you can see your story right now.')).toBeVisible();
	await expect(priya.getByText('You no longer have access to this document.')).toBeVisible();
	expect((await priya.goto(storyUrl))?.status()).toBe(404);
	await priya.goto('/home');
	// (Other tests share Alex's story with Priya, so look for this story's own link.)
	await expect(priya.locator(`a[href="${storyUrl}"]`)).toHaveCount(0);
	await desk.close();
});

test('without JavaScript, a young person starts their story and sees who can see it', async ({
	browser
}) => {
	const context = await phone(browser, false);
	const page = await context.newPage();
	// Riley (a young person with an empty circle in the demo) has nobody to share with yet.
	await signIn(page, 'riley');
	await page.getByRole('button', { name: 'Start my story' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'My story' })).toBeVisible();
	await expect(page.getByRole('region', { name: 'Last saved version' })).toContainText(
		'People who matter to me'
	);
	await page.getByRole('link', { name: 'Who can see my story' }).click();
	await expect(page.getByText('Only you can see your story right now.')).toBeVisible();
	await expect(
		page.getByText('There is nobody else in your circle to share it with.')
	).toBeVisible();
	await context.close();
});

test('the start-my-story page explains itself and is accessible', async ({ page }) => {
	await signIn(page, DEMO.socialWorker.signIn);
	await page.goto('/documents/new');
	await expect(page.getByRole('heading', { level: 1, name: 'Start my story' })).toBeVisible();
	await expectNoAxeViolations(page);
	// A social worker has no story of their own to start: a clear message, not an error page.
	await page.getByRole('button', { name: 'Start my story' }).click();
	await expect(page.getByRole('alert')).toContainText('Only young people can start a story here.');
});
