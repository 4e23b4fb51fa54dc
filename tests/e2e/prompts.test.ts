import { type Page } from '@playwright/test';
import {
	DEMO,
	DEMO_PASSPHRASE,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signIn,
	startCarePlanForSam,
	tapInEditor,
	test
} from './support';

const WISHES = 'care_plan.wishes_and_feelings';
const WISHES_PROMPT = 'What do you want to happen? How do you feel about things right now?';

function documentText(page: Page) {
	return page.getByRole('textbox', { name: 'Document text' });
}

/** A section's prompt in the live editor. */
function promptIn(page: Page, id: string) {
	return documentText(page).locator(`.section-prompt[data-prompt-id="${id}"]`);
}

/**
 * The issue this answers: Sam pressed Enter inside the prompt "What do you want to happen? …",
 * and the print said "Sam's own words: I want to live with my nan when I am olderdo you feel about
 * things right now? and my dog". Prompts are now nodes nobody can split, edit or delete.
 */
test('on a phone, Sam cannot break a prompt, and the print shows prompts and each person’s words apart', async ({
	page,
	browser
}) => {
	const priyaWords = 'Priya will ask Nan about weekends.';
	const samWords = 'I want to live with my nan and my dog';

	// Priya, at her desk, starts a care plan for Sam and writes under "My wishes and feelings".
	const desk = await browser.newContext({ viewport: { width: 1200, height: 800 } });
	try {
		const priya = await desk.newPage();
		await signIn(priya, DEMO.socialWorker.signIn);
		const url = await startCarePlanForSam(priya);
		await tapInEditor(documentText(priya).locator(`[data-prompt-id="${WISHES}"] + p`));
		await priya.keyboard.type(priyaWords);
		await expect(priya.getByRole('status')).toHaveText('Saved');

		// Sam, on a 360 px phone, opens it: twelve prompts, each a heading and its question.
		await signIn(page, DEMO.youngPerson.signIn);
		await page.goto(url);
		await expect(page.getByRole('status')).toHaveText('Saved');
		const samText = documentText(page);
		await expect(samText.locator('.section-prompt')).toHaveCount(12);
		const wishes = promptIn(page, WISHES);
		await expect(wishes.getByRole('heading', { level: 2 })).toHaveText('My wishes and feelings');
		await expect(wishes.locator('.prompt-text')).toHaveText(WISHES_PROMPT);
		await expect(wishes).toHaveAttribute('contenteditable', 'false');
		await expectNoHorizontalScroll(page);

		// Sam taps inside the question, presses Enter and writes: a new answer after the prompt.
		await wishes.getByText(WISHES_PROMPT).click();
		await page.keyboard.press('Enter');
		await page.keyboard.type(samWords);
		await expect(samText.locator(`[data-prompt-id="${WISHES}"] + p`)).toContainText(samWords);
		// (toContainText: a paragraph also shows the other person's caret, with their name.)
		await expect(samText.locator(`[data-prompt-id="${WISHES}"] + p + p`)).toContainText(priyaWords);

		// Backspace at the start of the answer, and Delete in the empty answer of the section
		// before, neither merge into a prompt, nor remove one, nor leave one with no room to answer.
		const answer = samText.locator(`[data-prompt-id="${WISHES}"] + p`);
		await wishes.getByText(WISHES_PROMPT).click();
		await page.keyboard.press('Backspace');
		await page.keyboard.press('Backspace');
		await expect(answer).toContainText(samWords);
		await tapInEditor(documentText(page).locator('[data-prompt-id="care_plan.about_me"] + p'));
		await page.keyboard.press('Delete');
		await page.keyboard.press('Delete');
		await expect(answer).toContainText(samWords);
		await expect(page.getByRole('status')).toHaveText('Saved');
		await expect(samText.locator('.section-prompt')).toHaveCount(12);
		await expect(samText.locator('[data-prompt-id="care_plan.about_me"] + p')).toHaveText('');
		await expect(wishes.locator('.prompt-text')).toHaveText(WISHES_PROMPT);
		await expect(samText.locator(`[data-prompt-id="${WISHES}"] + p`)).toContainText(samWords);
		await expect(samText.locator(`[data-prompt-id="${WISHES}"] + p + p`)).toContainText(priyaWords);
		// Sam's words are Sam's, and nothing of the question is in them.
		await expect(samText.locator('.own-words')).toHaveText([samWords]);
		await expectNoAxeViolations(page);

		// Priya sees the same: the prompt whole, Sam's answer, then hers.
		await expect(promptIn(priya, WISHES).locator('.prompt-text')).toHaveText(WISHES_PROMPT);
		await expect(documentText(priya).locator('.own-words')).toHaveText([samWords]);
		await expect(documentText(priya).locator(`[data-prompt-id="${WISHES}"] + p + p`)).toContainText(
			priyaWords
		);
		await expect(priya.getByRole('status')).toHaveText('Saved');

		// The print of a saved version shows the prompts as prompts, and each run as whose it is.
		await page.goto(`${url}/versions`);
		const name = 'Prompts stay prompts';
		await page.getByLabel('Name of the version').fill(name);
		await page.getByRole('button', { name: 'Save a version' }).click();
		await expect(page.getByRole('status')).toHaveText(`Saved the version “${name}”.`);
		await page.getByRole('link', { name: `Print view of ${name}` }).click();
		const record = page.locator('article.print-record');
		await expect(record.locator('.section-prompt')).toHaveCount(12);
		const printed = record.locator(`.section-prompt[data-prompt-id="${WISHES}"]`);
		await expect(printed.getByRole('heading')).toHaveText('My wishes and feelings');
		await expect(printed.locator('.prompt')).toHaveText(`Prompt: ${WISHES_PROMPT}`);
		// The statutory record names whose words they are, whoever reads it.
		await expect(record.locator('.own-words')).toHaveText([`Sam’s own words: ${samWords}`]);
		await expect(record.locator(`.section-prompt[data-prompt-id="${WISHES}"] + p + p`)).toHaveText(
			priyaWords
		);
		// On paper a prompt says it is one, as own words say whose they are.
		await page.emulateMedia({ media: 'print' });
		await expect(printed.locator('.prompt .visually-hidden')).toBeVisible();
		await page.emulateMedia({ media: 'screen' });
		await expectNoAxeViolations(page);
		await expectNoHorizontalScroll(page);
	} finally {
		await desk.close();
	}
});

/**
 * Prompts carry an id and are shown in each reader's language: the same care plan Priya reads
 * in English, Sam reads in Welsh, on the live editor and in the copy the server renders. Sam's
 * phone prefers Welsh (the browser's language: nothing is chosen, so nothing is recorded on the
 * demo profile that tests running alongside sign in with).
 */
test.describe('in Welsh', () => {
	test.use({ locale: 'cy-GB' });

	test('a care plan opened in Welsh shows its prompts in Welsh, and Priya still reads them in English', async ({
		page,
		browser
	}) => {
		// Priya's desk speaks English (test.use's Welsh is every new context's default here).
		const desk = await browser.newContext({
			viewport: { width: 1200, height: 800 },
			locale: 'en-GB'
		});
		const noScript = await browser.newContext({ javaScriptEnabled: false, locale: 'cy-GB' });
		try {
			const priya = await desk.newPage();
			await signIn(priya, DEMO.socialWorker.signIn);
			const url = await startCarePlanForSam(priya);

			await page.goto('/sign-in');
			await page.getByLabel('Enw defnyddiwr neu e-bost').fill(DEMO.youngPerson.signIn);
			await page.getByLabel('Cyfrinair').fill(DEMO_PASSPHRASE);
			await page.getByRole('button', { name: 'Mewngofnodi' }).click();
			await expect(page.getByRole('heading', { level: 1, name: /^Helo, / })).toBeVisible();
			await page.goto(url);
			await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
			await expect(page.getByRole('status')).toHaveText("Wedi'i gadw");
			const welsh = page.getByRole('textbox', { name: 'Testun y ddogfen' });
			const wishes = welsh.locator(`.section-prompt[data-prompt-id="${WISHES}"]`);
			await expect(wishes.getByRole('heading', { level: 2 })).toHaveText(
				'Fy nymuniadau a fy nheimladau'
			);
			await expect(wishes.locator('.prompt-text')).toHaveText(
				"Beth ydych chi eisiau iddo ddigwydd? Sut ydych chi'n teimlo am bethau ar hyn o bryd?"
			);
			await expect(welsh.locator('.section-prompt')).toHaveCount(12);
			await expect(page.getByRole('heading', { level: 2, name: 'Sylwadau' })).toBeVisible();
			await expectNoAxeViolations(page);
			await expectNoHorizontalScroll(page);

			// The same document, same moment: Priya's page is in English.
			await expect(promptIn(priya, WISHES).getByRole('heading', { level: 2 })).toHaveText(
				'My wishes and feelings'
			);

			// Without JavaScript the server's copy speaks Welsh too.
			await noScript.addCookies(await page.context().cookies());
			const plain = await noScript.newPage();
			await plain.goto(url);
			await expect(plain.locator('html')).toHaveAttribute('lang', 'cy');
			const saved = plain.getByRole('region', { name: 'Y fersiwn a gadwyd ddiwethaf' });
			await expect(
				saved.locator(`.section-prompt[data-prompt-id="${WISHES}"]`).getByRole('heading')
			).toHaveText('Fy nymuniadau a fy nheimladau');
		} finally {
			await noScript.close();
			await desk.close();
		}
	});
});
