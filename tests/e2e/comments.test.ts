import {
	DEMO,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signIn,
	startCarePlanForSam,
	test
} from './support';

test('Sam’s mum comments on chosen words and mentions Priya; Priya replies, resolves and reopens', async ({
	page,
	browser
}) => {
	await signIn(page, DEMO.socialWorker.signIn);
	const url = await startCarePlanForSam(page);
	// Priya writes a first line under "About me": the template's prompts are nobody's words, and
	// comments are about words.
	const words = 'Sam is 12 and likes drawing.';
	await page
		.getByRole('textbox', { name: 'Document text' })
		.locator('[data-prompt-id="care_plan.about_me"] + p')
		.click();
	await page.keyboard.type(words);
	await expect(page.getByRole('status')).toHaveText('Saved');

	const joContext = await browser.newContext({ viewport: { width: 1200, height: 800 } });
	try {
		// Jo has comment access: she chooses words in the (read-only) document and comments.
		const jo = await joContext.newPage();
		await signIn(jo, DEMO.parent.signIn);
		await jo.goto(url);
		const joText = jo.getByRole('textbox', { name: 'Document text' });
		await expect(joText).toContainText(words);
		const comments = jo.getByRole('region', { name: 'Comments' });
		await expect(comments).toContainText('There are no open comments.');

		// An empty comment is refused with a clear message, and nothing is added.
		await comments.getByRole('button', { name: 'Add comment' }).click();
		await expect(comments.getByText('Please write your comment.')).toBeVisible();
		await expect(comments.getByLabel('Your comment')).toHaveAttribute('aria-invalid', 'true');

		await joText.getByText(words).selectText();
		await comments.getByRole('button', { name: 'Comment on the chosen words' }).click();
		await expect(comments).toContainText(`About: ${words}`);
		await comments.getByLabel('Your comment').fill('Sam loves football. Can we add that?');
		await comments.getByLabel(/^Priya/).check();
		await comments.getByRole('button', { name: 'Add comment' }).click();
		const thread = comments.getByRole('article', { name: 'Comment by you' });
		await expect(thread).toContainText('Sam loves football. Can we add that?');
		await expect(thread).toContainText(`About: ${words}`);
		await expect(thread).toContainText('For: Priya');
		// The words are highlighted in the document.
		await expect(joText.locator('.comment-anchor')).toHaveText(words);
		await expectNoAxeViolations(jo);
	} finally {
		await joContext.close();
	}

	// Priya is told on her home page, follows the link, replies and resolves.
	await page.goto('/home');
	const mentions = page.getByRole('region', { name: 'Comments for you' });
	// Who and where only: the comment itself is read in the document, where reads are recorded.
	await expect(mentions).not.toContainText('Sam loves football');
	await mentions.getByRole('link', { name: /^Jo on Sam's care plan \(new\)$/ }).click();
	await expect(page.getByRole('heading', { level: 1, name: "Sam's care plan" })).toBeVisible();
	const comments = page.getByRole('region', { name: 'Comments' });
	const thread = comments.getByRole('article', { name: 'Comment by Jo' });
	await expect(thread).toContainText('Sam loves football. Can we add that?');
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);
	await thread.getByLabel('Reply').fill('Yes, I will add it to About me.');
	await thread.getByRole('button', { name: 'Reply' }).click();
	await expect(thread.getByRole('list', { name: 'Replies' })).toContainText(
		'Yes, I will add it to About me.'
	);
	// (The link's #comment-… target would open the resolved list by itself: start afresh.)
	expect(page.url()).toMatch(/#comment-[0-9a-f-]{36}$/);
	await page.goto(page.url().split('#')[0] ?? '/');
	await thread.getByRole('button', { name: 'Mark as done' }).click();
	await expect(comments).toContainText('There are no open comments.');
	const resolvedList = comments.locator('details', { hasText: 'Comments marked as done (1)' });
	await resolvedList.locator('summary').click();
	await expect(resolvedList).toHaveAttribute('open', '');
	const resolved = resolvedList.getByRole('article', { name: 'Comment by Jo' });
	await expect(resolved).toContainText('Marked as done by Priya.');
	await resolved.getByRole('button', { name: 'Open again' }).click();
	await expect(comments.getByRole('article', { name: 'Comment by Jo' })).toContainText(
		'Sam loves football.'
	);
	await expect(comments).not.toContainText('Comments marked as done');

	// Seen now: no longer new on the home page.
	await page.goto('/home');
	await expect(
		page.getByRole('region', { name: 'Comments for you' }).getByRole('link', {
			name: "Jo on Sam's care plan"
		})
	).toBeVisible();
});

test('without JavaScript, a comment on the whole document and a reply still work', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	try {
		const page = await context.newPage();
		await signIn(page, DEMO.parent.signIn);
		await page.goto('/documents/00000000-0000-4000-8000-0000000000d1');
		const comments = page.getByRole('region', { name: 'Comments' });
		const words = `A comment without scripts ${Date.now()}`;
		await comments.getByLabel('Your comment').fill(words);
		await comments.getByRole('button', { name: 'Add comment' }).click();
		const thread = page
			.getByRole('region', { name: 'Comments' })
			.getByRole('article')
			.filter({ hasText: words });
		await expect(thread).toBeVisible();
		await thread.getByLabel('Reply').fill('And a reply.');
		await thread.getByRole('button', { name: 'Reply' }).click();
		await expect(
			page.getByRole('region', { name: 'Comments' }).getByRole('article').filter({ hasText: words })
		).toContainText('And a reply.');
	} finally {
		await context.close();
	}
});
