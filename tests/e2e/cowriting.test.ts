import { DEMO, expect, expectNoAxeViolations, signIn, tapInEditor, test } from './support';

const CARE_PLAN = '/documents/00000000-0000-4000-8000-0000000000d1';

test('a young person and their social worker write the same document live', async ({
	page,
	browser
}) => {
	const words = `I want to stay at my school ${Date.now() % 100000}`;
	await signIn(page, DEMO.youngPerson.signIn);
	await page.goto(CARE_PLAN);
	const samText = page.getByRole('textbox', { name: 'Document text' });
	await expect(samText).toBeVisible();
	await expect(page.getByRole('status')).toHaveText('Saved');

	const desk = await browser.newContext({ viewport: { width: 1200, height: 800 } });
	const priya = await desk.newPage();
	await signIn(priya, DEMO.socialWorker.signIn);
	await priya.goto(CARE_PLAN);
	const priyaText = priya.getByRole('textbox', { name: 'Document text' });
	await expect(priyaText).toBeVisible();

	// Each sees who is here now.
	await expect(page.getByRole('list', { name: 'Who is here now' })).toContainText(
		DEMO.socialWorker.name
	);
	await expect(priya.getByRole('list', { name: 'Who is here now' })).toContainText(
		DEMO.youngPerson.name
	);

	// Into the last paragraph, as a person taps it (a tap on a template prompt instead takes the
	// caret to that prompt's answer, wherever it is).
	await tapInEditor(samText.locator(':scope > p').last());
	await page.keyboard.press('Enter');
	await page.keyboard.type(words);
	await expect(priyaText).toContainText(words);
	// Sam's caret, with Sam's name, is in Priya's editor.
	await expect(priya.locator('.collaboration-carets__label', { hasText: 'Sam' })).toBeVisible();

	// Sam's words are Sam's: Priya writes her own paragraph after them.
	// A tap just after Sam's last letter puts the caret at the end of Sam's words.
	const samsWords = priyaText.getByText(words);
	await samsWords.scrollIntoViewIfNeeded();
	const samsLine = await samsWords.boundingBox();
	await tapInEditor(samsWords, {
		x: samsLine!.x + samsLine!.width - 1,
		y: samsLine!.y + samsLine!.height / 2
	});
	await priya.keyboard.press('Enter');
	await priya.keyboard.type('Priya: and see my friends');
	await expect(samText).toContainText(`${words}Priya: and see my friends`);
	await expect(page.locator('.collaboration-carets__label', { hasText: 'Priya' })).toBeVisible();

	// "Saved" means the server has it: a fresh page, rendered from the database, shows it.
	await expect(page.getByRole('status')).toHaveText('Saved');
	await expect(priya.getByRole('status')).toHaveText('Saved');
	const check = await browser.newContext({ javaScriptEnabled: false });
	const reader = await check.newPage();
	await signIn(reader, DEMO.parent.signIn);
	await reader.goto(CARE_PLAN);
	const saved = reader.getByRole('region', { name: 'Last saved version' });
	await expect(saved).toContainText('Priya: and see my friends');
	await expect(saved.locator('.own-words').filter({ hasText: words })).toHaveCount(1);
	await expectNoAxeViolations(page);
	await check.close();
	await desk.close();

	// Every open was written down, and Sam can see who looked.
	await page.goto('/who-looked');
	const table = page.getByRole('table', { name: /Who opened your documents/ });
	await expect(
		table.getByRole('row', { name: /Priya opened to write in Sam's care plan/ }).first()
	).toBeVisible();
	await expect(table.getByRole('row', { name: /Jo opened Sam's care plan/ }).first()).toBeVisible();
});

test('a family member with comment access can read but not type', async ({ page }) => {
	await signIn(page, DEMO.parent.signIn);
	await page.goto(CARE_PLAN);
	await expect(
		page.getByText('You can read this document, comment and suggest changes.')
	).toBeVisible();
	const text = page.getByRole('textbox', { name: 'Document text' });
	await expect(text).toBeVisible();
	await expect(text).toHaveAttribute('contenteditable', 'false');
	await expect(page.getByRole('toolbar', { name: 'Formatting' })).toHaveCount(0);
});

test('someone outside the circle cannot open the document or get a ticket', async ({ page }) => {
	await signIn(page, DEMO.adviser.signIn);
	const response = await page.goto(CARE_PLAN);
	expect(response?.status()).toBe(404);
	const ticket = await page.request.post(`${CARE_PLAN}/ticket`, {
		headers: { accept: 'application/json' }
	});
	expect(ticket.status()).toBe(404);
});
