import { request as playwrightRequest, type Page } from '@playwright/test';
import {
	adminQuery,
	DEMO,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signIn,
	startCarePlanForSam,
	test
} from './support';

/**
 * Writing without JavaScript (issue 16, item 5): each section of a plan has an "Add to this
 * section" form; the app hands the words to the collab service, which applies them as the
 * person's own edit, live to everyone editing. Sam has no JavaScript on a 360 px phone; Priya has
 * the live editor open on hers.
 */

const WISHES = 'My wishes and feelings';

async function updatesOf(documentId: string): Promise<number> {
	const [row] = await adminQuery<{ n: number }>(
		'select count(*)::int as n from public.document_updates where document_id = $1',
		[documentId]
	);
	return row!.n;
}

function addForm(page: Page, heading: string) {
	return page.locator('form.add-to-section', { has: page.getByLabel(`Add to “${heading}”`) });
}

test('Sam adds to a section without JavaScript and Priya sees it live, as Sam’s own words', async ({
	page,
	browser
}) => {
	await signIn(page, DEMO.socialWorker.signIn);
	const url = await startCarePlanForSam(page);
	const priyaText = page.getByRole('textbox', { name: 'Document text' });

	const noScript = await browser.newContext({
		javaScriptEnabled: false,
		viewport: { width: 360, height: 740 }
	});
	try {
		const sam = await noScript.newPage();
		await signIn(sam, DEMO.youngPerson.signIn);
		await sam.goto(url);
		// The page says what works without JavaScript, and never "Connecting…".
		await expect(sam.getByText(/add to the end of each part below/)).toBeVisible();
		await expect(sam.getByText('You can write in this document.')).toHaveCount(0);
		await expect(sam.getByText('Connecting…')).toHaveCount(0);
		await expectNoHorizontalScroll(sam);

		// Too long: a clear error, and the words come back in the box.
		const form = addForm(sam, WISHES);
		const box = form.getByLabel(`Add to “${WISHES}”`);
		const tooLong = 'a'.repeat(2001);
		await box.evaluate((el) => el.removeAttribute('maxlength'));
		await box.fill(tooLong);
		await form.getByRole('button', { name: 'Add to this section' }).click();
		const again = addForm(sam, WISHES);
		await expect(
			again.getByText('Please keep what you add to 2000 characters or fewer.')
		).toBeVisible();
		await expect(again.getByLabel(`Add to “${WISHES}”`)).toHaveValue(tooLong);
		await expect(again.getByLabel(`Add to “${WISHES}”`)).toHaveAttribute('aria-invalid', 'true');

		// Sam adds a line.
		const words = 'I want to live with my nan.';
		await again.getByLabel(`Add to “${WISHES}”`).fill(words);
		await again.getByRole('button', { name: 'Add to this section' }).click();
		await expect(addForm(sam, WISHES).getByText('Added. Your words are saved.')).toBeVisible();
		// In Sam's saved copy, marked as their own words.
		await expect(
			sam.getByRole('region', { name: 'Last saved version' }).locator('.own-words')
		).toContainText(words);

		// Priya, whose editor was open all along, sees them arrive, marked as Sam's.
		const samsWords = priyaText.locator('.own-words');
		await expect(samsWords).toHaveText(words);
		await expect(priyaText.locator('.ProseMirror-widget.visually-hidden')).toHaveText(
			'Sam’s own words:'
		);
		// Under the right heading: in the paragraph right after the section's prompt.
		await expect(
			priyaText.locator(`.section-prompt:has(h2:text-is("${WISHES}")) + p .own-words`)
		).toHaveText(words);
		await expect(page.getByRole('status')).toHaveText('Saved');

		// The same page as Sam has it, checked by axe (which needs a script of its own): the
		// page's scripts held back, so what is checked is the page without them.
		const checked = await browser.newContext({ viewport: { width: 360, height: 740 } });
		try {
			const axePage = await checked.newPage();
			await signIn(axePage, DEMO.youngPerson.signIn);
			// Held, never answered (an aborted import would be an error in the page): the styles load.
			await axePage.route('**/_app/immutable/**/*.js', () => {});
			await axePage.goto(url);
			await expect(axePage.getByLabel(`Add to “${WISHES}”`)).toBeVisible();
			await expectNoAxeViolations(axePage);
		} finally {
			await checked.close();
		}
	} finally {
		await noScript.close();
	}
});

test('someone without edit access, or signed out, cannot add, and nothing is written', async ({
	page,
	browser,
	baseURL
}) => {
	await signIn(page, DEMO.socialWorker.signIn);
	const url = await startCarePlanForSam(page);
	const documentId = url.split('/').pop()!;
	const before = await updatesOf(documentId);
	const form = { section: 'care_plan.wishes_and_feelings', text: 'Jo was here.' };

	const noScript = await browser.newContext({
		javaScriptEnabled: false,
		viewport: { width: 360, height: 740 }
	});
	try {
		// Jo (Sam's mum) may comment but not edit: no forms on the page, and a post is refused.
		const jo = await noScript.newPage();
		await signIn(jo, DEMO.parent.signIn);
		await jo.goto(url);
		await expect(jo.getByRole('heading', { level: 1, name: "Sam's care plan" })).toBeVisible();
		await expect(jo.locator('form.add-to-section')).toHaveCount(0);
		await expect(jo.getByText(/To suggest changes, turn on JavaScript/)).toBeVisible();
		const refused = await jo.request.post(`${url}?/add`, {
			form,
			// As a browser's own form post (not SvelteKit's enhanced fetch, which asks for JSON).
			headers: { origin: baseURL!, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(refused.status()).toBe(403);
		expect(await refused.text()).toContain('You cannot add to this document.');
	} finally {
		await noScript.close();
	}

	// Signed out: sent to sign in, nothing done.
	const anonymous = await playwrightRequest.newContext({ baseURL });
	try {
		const response = await anonymous.post(`${url}?/add`, {
			form,
			headers: { origin: baseURL!, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(response.status()).toBe(303);
		expect(response.headers().location).toMatch(/^\/sign-in(\?|$)/);
	} finally {
		await anonymous.dispose();
	}

	expect(await updatesOf(documentId)).toBe(before);
	await page.reload();
	await expect(page.getByRole('status')).toHaveText('Saved');
	await expect(page.getByRole('textbox', { name: 'Document text' })).not.toContainText(
		'Jo was here.'
	);
});
