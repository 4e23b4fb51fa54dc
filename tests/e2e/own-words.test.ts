import pg from 'pg';
import { type Browser, type Locator, type Page } from '@playwright/test';
import {
	adminUrl,
	DEMO,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signIn,
	tapInEditor,
	startCarePlanForSam,
	test
} from './support';

// An action that cannot happen fails with its own message instead of running out the test's time.
async function desktop(browser: Browser) {
	return browser.newContext({ viewport: { width: 1200, height: 800 } });
}

/** The empty paragraph after a section's prompt, where that section is written. */
function sectionParagraph(page: Page, heading: string) {
	return page
		.getByRole('textbox', { name: 'Document text' })
		.locator(`.section-prompt:has(h2:text-is("${heading}")) + p`);
}

test('Sam’s own words stay Sam’s: a change becomes a suggestion Sam declines, then both sign off', async ({
	page,
	browser
}) => {
	// Two people, two devices, a whole review: longer than the default minute.
	const words = 'I want to live with my nan.';

	// Priya starts a care plan for Sam.
	await signIn(page, DEMO.socialWorker.signIn);
	const url = await startCarePlanForSam(page);

	const other = await desktop(browser);
	try {
		// Sam writes in their own words under "My wishes and feelings".
		const sam = await other.newPage();
		await signIn(sam, DEMO.youngPerson.signIn);
		await sam.goto(url);
		await expect(sam.getByRole('status')).toHaveText('Saved');
		await sectionParagraph(sam, 'My wishes and feelings').click();
		await sam.keyboard.type(words);
		await expect(sam.getByRole('status')).toHaveText('Saved');
		const samText = sam.getByRole('textbox', { name: 'Document text' });
		await expect(samText.locator('.own-words')).toHaveText([words]);
		// To Sam themselves, their words are announced as theirs (the announcement is a widget
		// before them; the prompts' "Prompt:" labels are hidden text too).
		await expect(samText.locator('.ProseMirror-widget.visually-hidden')).toHaveText(
			'Your own words:'
		);

		// Priya sees them marked as Sam's, and announced as Sam's to a screen reader.
		const priyaText = page.getByRole('textbox', { name: 'Document text' });
		const samsWords = priyaText.locator('.own-words');
		// As a list, which is waited for: until Sam's caret follows his last keystroke (his caret
		// and his words arrive separately), the caret's widget sits inside his words and splits
		// them in two, and a single-element check fails at once on the two.
		await expect(samsWords).toHaveText([words]);
		await expect(priyaText.locator('.ProseMirror-widget.visually-hidden')).toHaveText(
			'Sam’s own words:'
		);

		// Priya tries to change them (typing inside them; just after them would be her own words):
		// nothing changes; her change becomes a suggestion instead.
		await tapInEditor(samsWords);
		await page.keyboard.press('End');
		await page.keyboard.press('ArrowLeft');
		await page.keyboard.type('!');
		const attempted = `${words.slice(0, -1)}!${words.slice(-1)}`;
		const suggestion = page.getByRole('form', { name: 'Suggest a change to Sam’s words' });
		await expect(suggestion).toBeVisible();
		// (<q> adds the quotation marks on screen; they are not in the text.)
		await expect(suggestion).toContainText(`Sam wrote: ${words}`);
		const box = suggestion.getByLabel('Your suggestion');
		await expect(box).toBeFocused();
		// A screen reader hears why, and what Sam wrote, as it lands in the box.
		await expect(box).toHaveAccessibleDescription(/only Sam can change them.*Sam wrote: /);
		await expect(box).toHaveValue(attempted);
		await expect(samsWords).toContainText(words);
		await expect(priyaText).not.toContainText(attempted);
		await expectNoAxeViolations(page);
		await expectNoHorizontalScroll(page);
		await box.fill('I want to live with my nan at weekends.');
		await suggestion.getByRole('button', { name: 'Send suggestion' }).click();
		await expect(page.getByText('Your suggestion has been sent to Sam.')).toBeVisible();
		await expect(
			page.getByRole('region', { name: 'Suggestions' }).getByRole('listitem')
		).toContainText('Waiting for Sam to decide.');
		await expect(page.getByRole('status')).toHaveText('Saved');

		// Sam sees the suggestion and declines it; their words are unchanged.
		await sam.reload();
		const samSuggestions = sam.getByRole('region', { name: 'Suggestions' });
		await expect(samSuggestions.getByRole('listitem')).toContainText(
			`Priya suggested changing ${words} to I want to live with my nan at weekends.`
		);
		await expectNoAxeViolations(sam);
		await samSuggestions.getByRole('button', { name: 'Decline' }).click();
		await expect(samSuggestions).toContainText('No suggestions are waiting.');
		await expect(samSuggestions.getByRole('listitem')).toContainText(
			'Declined: Priya’s suggestion to change'
		);
		await expect(sam.getByRole('status')).toHaveText('Saved');
		await expect(samText).toContainText(words);
		await expect(samText).not.toContainText('at weekends');

		// Priya saves the agreed version of the review.
		await page.goto(`${url}/versions`);
		const agreed = 'Agreed at my review, 12 March';
		await page.getByLabel('Name of the version').fill(agreed);
		await page.getByLabel('This is the copy agreed at a review meeting').check();
		await page.getByRole('button', { name: 'Save a version' }).click();
		await expect(page.getByRole('status')).toHaveText(`Saved the version “${agreed}”.`);

		// Sam does not agree, and says why.
		await sam.goto(`${url}/versions`);
		await sam.getByRole('link', { name: `Read and sign off: ${agreed}` }).click();
		await expect(sam.getByRole('region', { name: 'What this version says' })).toContainText(words);
		await sam.getByLabel("I don't agree").check();
		await sam.getByLabel("If you don't agree, say why").fill('I want to see my nan every week.');
		await sam.getByRole('button', { name: 'Send my answer' }).click();
		await expect(sam.getByRole('status')).toHaveText(
			'Thank you. Your answer is saved with this version.'
		);
	} finally {
		await other.close();
	}

	// Priya agrees; the print view shows whose words are whose, and both sign-offs.
	await page.goto(`${url}/versions`);
	await page.getByRole('link', { name: /^Read and sign off: Agreed at my review/ }).click();
	await page.getByLabel('I agree', { exact: true }).check();
	await page.getByRole('button', { name: 'Send my answer' }).click();
	await expect(page.getByRole('status')).toHaveText(
		'Thank you. Your answer is saved with this version.'
	);
	await page.getByRole('link', { name: 'Print view' }).click();
	const record = page.locator('article.print-record');
	await expect(record.locator('.own-words')).toHaveText(`Sam’s own words: ${words}`);
	await expect(record).toContainText('Words marked “Sam’s own words” were written by Sam.');
	await expect(
		record.getByRole('listitem').filter({ hasText: 'Sam (young person)' })
	).toContainText("I don't agree, because: I want to see my nan every week.");
	await expect(record.getByRole('listitem').filter({ hasText: 'Priya' })).toContainText('I agree');
	// On paper the words say whose they are, not just a colour.
	await page.emulateMedia({ media: 'print' });
	await expect(record.locator('.own-words .visually-hidden')).toBeVisible();
	await page.emulateMedia({ media: 'screen' });
	await expectNoAxeViolations(page);

	// The export for the statutory record keeps the same marks and both answers.
	const exported = await page.request.get(page.url().replace(/\/print$/, '/export'));
	expect(exported.status()).toBe(200);
	const html = await exported.text();
	expect(html).toContain(
		`<span class="own-words"><span class="visually-hidden">Sam’s own words: </span>${words}</span>`
	);
	expect(html).toContain('I don&#39;t agree, because: I want to see my nan every week.');
});

test('Sam’s mum suggests a change from a read-only editor, and Sam accepts it', async ({
	page,
	browser
}) => {
	await signIn(page, DEMO.socialWorker.signIn);
	const url = await startCarePlanForSam(page);

	const samContext = await desktop(browser);
	const joContext = await desktop(browser);
	try {
		const sam = await samContext.newPage();
		await signIn(sam, DEMO.youngPerson.signIn);
		await sam.goto(url);
		await expect(sam.getByRole('status')).toHaveText('Saved');
		await sectionParagraph(sam, 'About me').click();
		await sam.keyboard.type('I like football and drawing.');
		await expect(sam.getByRole('status')).toHaveText('Saved');

		// Jo (comment access) chooses words and suggests a change.
		const jo = await joContext.newPage();
		await signIn(jo, DEMO.parent.signIn);
		await jo.goto(url);
		await expect(
			jo.getByText('You can read this document, comment and suggest changes.')
		).toBeVisible();
		const joText = jo.getByRole('textbox', { name: 'Document text' });
		await expect(joText.locator('.own-words')).toContainText(['I like football and drawing.']);
		await joText.getByText('I like football and drawing.').selectText();
		await jo.getByRole('button', { name: 'Suggest a change to the chosen words' }).click();
		const form = jo.getByRole('form', { name: 'Suggest a change to Sam’s words' });
		await expect(form).toContainText('Sam wrote: I like football and drawing.');
		await form.getByLabel('Your suggestion').fill('I like football, drawing and my dog Biscuit.');
		await form.getByRole('button', { name: 'Send suggestion' }).click();
		await expect(jo.getByText('Your suggestion has been sent to Sam.')).toBeVisible();

		// An empty suggestion that changes nothing is refused with a clear message.
		await joText.getByText('I like football and drawing.').selectText();
		await jo.getByRole('button', { name: 'Suggest a change to the chosen words' }).click();
		await form.getByRole('button', { name: 'Send suggestion' }).click();
		await expect(
			form.getByText('Your suggestion is the same as the words already there.')
		).toBeVisible();

		// Sam accepts: the words change in the document, as Sam's, and the suggestion says so.
		await sam.reload();
		const suggestions = sam.getByRole('region', { name: 'Suggestions' });
		await expect(suggestions.getByRole('listitem')).toContainText('Jo suggested changing');
		await expect(sam.getByRole('status')).toHaveText('Saved');
		await suggestions.getByRole('button', { name: 'Accept' }).click();
		await expect(suggestions.getByRole('listitem')).toContainText('Accepted: Jo’s suggestion');
		const samText = sam.getByRole('textbox', { name: 'Document text' });
		await expect(samText.locator('.own-words')).toContainText([
			'I like football, drawing and my dog Biscuit.'
		]);
		await expect(sam.getByRole('status')).toHaveText('Saved');
		await expect(joText).toContainText('I like football, drawing and my dog Biscuit.');
	} finally {
		await samContext.close();
		await joContext.close();
	}
});

test('without JavaScript, the young person sees a suggestion and declines it; accepting asks for the live document', async ({
	browser
}) => {
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	const context = await browser.newContext({ javaScriptEnabled: false });
	try {
		// A suggestion by Priya on Sam's demo care plan (as the collab service would store it).
		const made = await client.query<{ id: string }>(
			`insert into public.document_suggestions (document_id, author_id, anchor_start, anchor_end,
			   original_text, suggested_text)
			 values ($1, $2, '\\x00', '\\x01', $3, $4) returning id`,
			[
				'00000000-0000-4000-8000-0000000000d1',
				'00000000-0000-4000-8000-000000000003',
				`I like drawing ${Date.now()}`,
				'I like drawing and painting'
			]
		);
		const page = await context.newPage();
		await signIn(page, DEMO.youngPerson.signIn);
		await page.goto('/documents/00000000-0000-4000-8000-0000000000d1');
		const suggestions = page.getByRole('region', { name: 'Suggestions' });
		const item = suggestions
			.getByRole('listitem')
			.filter({ hasText: 'I like drawing and painting' });
		await expect(item).toContainText('Priya suggested changing');
		// Accepting needs the live document (it makes the change as Sam): a clear message.
		await item.getByRole('button', { name: /^Accept/ }).click();
		await expect(
			page
				.getByRole('region', { name: 'Suggestions' })
				.getByRole('listitem')
				.filter({ hasText: 'I like drawing and painting' })
		).toContainText('To accept, open your document here');
		await page
			.getByRole('region', { name: 'Suggestions' })
			.getByRole('listitem')
			.filter({ hasText: 'I like drawing and painting' })
			.getByRole('button', { name: /^Decline/ })
			.click();
		await expect(page.getByRole('region', { name: 'Suggestions' })).toContainText(
			'Declined: Priya’s suggestion'
		);
		const { rows } = await client.query<{ status: string }>(
			'select status from public.document_suggestions where id = $1',
			[made.rows[0]!.id]
		);
		expect(rows[0]?.status).toBe('declined');
	} finally {
		await context.close();
		await client.end();
	}
});

/**
 * The first report: Priya typed "Dentist booked for 14 January." in Health; Sam put the
 * caret after "booked" and pressed Enter, and the second half became "Sam's own words" which
 * Priya could no longer change. Provenance now follows the words: both halves stay Priya's.
 */
test('on a phone, Sam presses Enter in the middle of Priya’s sentence: it stays hers, she can still change it, and the print marks each run', async ({
	page,
	browser
}) => {
	const sentence = 'Dentist booked for 14 January.';
	const samWords = ' I want Mum to come.';
	const desk = await desktop(browser);
	try {
		const priya = await desk.newPage();
		await signIn(priya, DEMO.socialWorker.signIn);
		const url = await startCarePlanForSam(priya);
		const priyaText = priya.getByRole('textbox', { name: 'Document text' });
		await tapInEditor(sectionParagraph(priya, 'Health'));
		await priya.keyboard.type(sentence);
		await expect(priya.getByRole('status')).toHaveText('Saved');

		// Sam, on a 360 px phone, splits her sentence after "booked" and adds his own words.
		await signIn(page, DEMO.youngPerson.signIn);
		await page.goto(url);
		await expect(page.getByRole('status')).toHaveText('Saved');
		const samText = page.getByRole('textbox', { name: 'Document text' });
		const health = sectionParagraph(page, 'Health');
		await expect(health).toContainText(sentence);
		await tapInEditor(health);
		// A key pressed while the editor redraws for Priya's caret can be lost on a loaded machine:
		// the caret must be after "booked" before Sam presses Enter, or the test would split elsewhere.
		await expect(async () => {
			await page.keyboard.press('Home');
			for (let i = 0; i < 'Dentist booked'.length; i++) await page.keyboard.press('ArrowRight');
			expect(await textBeforeCaret(health)).toBe('Dentist booked');
		}).toPass();
		await page.keyboard.press('Enter');
		// Likewise End: a lost one left Sam's words before "for 14 January." instead of after it.
		const newLine = samText.locator('p:has-text("for 14 January.")');
		await expect(async () => {
			await page.keyboard.press('End');
			expect(await textBeforeCaret(newLine)).toContain('for 14 January.');
		}).toPass();
		await page.keyboard.type(samWords);
		await expect(health).toContainText('Dentist booked');
		await expect(page.getByRole('status')).toHaveText('Saved');
		// Only what Sam typed is his: neither half of Priya's sentence.
		await expect(samText.locator('.own-words')).toHaveText([samWords.trim()]);
		await expectNoHorizontalScroll(page);

		// Priya sees the same, and changes her own words beside Sam's: no suggestion, just typing.
		const secondHalf = priyaText.locator(`p:has-text("for 14 January.")`);
		// (Their words carry a hidden "Sam’s own words:" label, and Sam's caret his name.)
		await expect(secondHalf).toContainText('for 14 January.');
		await expect(secondHalf.locator('.own-words')).toHaveText([samWords.trim()]);
		await expect(priyaText.locator('.own-words')).toHaveText([samWords.trim()]);
		await tapInEditor(secondHalf);
		// As for Sam: the editor's caret must be after " for 14" before Backspace acts on it.
		await expect(async () => {
			await priya.keyboard.press('Home');
			for (let i = 0; i < ' for 14'.length; i++) await priya.keyboard.press('ArrowRight');
			expect(await textBeforeCaret(secondHalf)).toBe(' for 14');
		}).toPass();
		await priya.keyboard.press('Backspace');
		await priya.keyboard.type('5');
		await expect(priya.getByRole('status')).toHaveText('Saved');
		await expect(
			priya.getByRole('form', { name: 'Suggest a change to Sam’s words' })
		).not.toBeVisible();
		// (Priya's caret, with her name, may sit inside her words on Sam's screen.)
		await expect(samText.locator('p', { hasText: 'for 15' })).toContainText(samWords.trim());
		await expect(samText.locator('.own-words')).toHaveText([samWords.trim()]);

		// The print of a saved version says whose each run is, inside one paragraph too.
		await page.goto(`${url}/versions`);
		const name = 'Dentist';
		await page.getByLabel('Name of the version').fill(name);
		await page.getByRole('button', { name: 'Save a version' }).click();
		await expect(page.getByRole('status')).toHaveText(`Saved the version “${name}”.`);
		await page.getByRole('link', { name: `Print view of ${name}` }).click();
		const record = page.locator('article.print-record');
		await expect(record.locator('.own-words')).toHaveText([`Sam’s own words: ${samWords.trim()}`]);
		await expect(record.locator('p', { hasText: 'Dentist booked' })).toHaveText('Dentist booked');
		await expect(record.locator('p', { hasText: 'for 15 January.' })).toHaveText(
			/^\s*for 15 January\.\s*Sam’s own words:\s*I want Mum to come\.\s*$/
		);
		await expectNoAxeViolations(page);
	} finally {
		await desk.close();
	}
});

/**
 * The text of `block` before the caret, as the editor holds it: its own selection, which Enter
 * and Backspace act on, not the browser's. After an arrow key the browser moves its caret at once
 * and ProseMirror reads it back a moment later, so on a loaded machine a key pressed in between
 * acted on the old position (Sam's Enter split "Dentist | booked"). Other people's carets (name
 * labels in the page) are not text here either.
 */
function textBeforeCaret(block: Locator): Promise<string> {
	return block.evaluate((el) => {
		type View = {
			posAtDOM(node: Node, offset: number): number;
			state: {
				selection: { head: number };
				doc: {
					resolve(pos: number): { end(): number };
					textBetween(from: number, to: number): string;
				};
			};
		};
		const host = el.closest('.ProseMirror') as (Element & { editor?: { view: View } }) | null;
		const view = host?.editor?.view;
		if (!view) return '';
		const start = view.posAtDOM(el, 0);
		const head = view.state.selection.head;
		if (head < start || head > view.state.doc.resolve(start).end()) return '';
		return view.state.doc.textBetween(start, head);
	});
}
