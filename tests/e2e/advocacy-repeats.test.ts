import type { Page } from '@playwright/test';
import {
	adminQuery,
	createPersonOfOwn,
	DEMO,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signInSettled,
	test
} from './support';

const PHONE = { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true };

async function ask(page: Page, callMe: string, about: string) {
	await page.goto('/ask-for-an-advocate');
	await page.getByLabel('What should we call you?').fill(callMe);
	await page.getByLabel('What is it about?').fill(about);
	await page.getByRole('radio', { name: 'This week' }).check();
	await page.getByRole('radio', { name: 'I have left care (a care leaver)' }).check();
	await page.getByRole('radio', { name: 'No, please do not tell them' }).check();
	await page.getByRole('button', { name: 'Send to an advocate' }).click();
}

const offer = (page: Page) =>
	page.getByRole('region', { name: 'You asked us something earlier today' });

test('asking again the same day offers to add to the earlier request; the advocate sees repeats together', async ({
	browser,
	page
}) => {
	const stamp = Date.now() % 1_000_000;
	const callMe = `Rey${stamp}`;
	const person = await createPersonOfOwn(callMe);
	const phone = await browser.newContext(PHONE);
	const yp = await phone.newPage();
	await signInSettled(yp, person.username);

	const first = `My placement is ending soon ${stamp}`;
	await ask(yp, callMe, first);
	await expect(yp).toHaveURL(/\/advocacy\/[0-9a-f-]{36}\?sent$/);
	const firstPath = new URL(yp.url()).pathname;

	// Asked again: offered to add it to the first, which it names.
	const second = `And my money stops then ${stamp}`;
	await ask(yp, callMe, second);
	await expect(offer(yp)).toBeVisible();
	await expect(offer(yp)).toContainText(first);
	await expectNoAxeViolations(yp);
	await expectNoHorizontalScroll(yp);
	// Everything typed is still there.
	await expect(yp.getByLabel('What is it about?')).toHaveValue(second);
	await yp.getByRole('button', { name: 'Add to my earlier request' }).click();
	await expect(yp).toHaveURL(new RegExp(`${firstPath}\\?added$`));
	await expect(yp.getByRole('status')).toHaveText(
		'We added this to your earlier request. Your advocate will see it there.'
	);
	await expect(yp.getByRole('list', { name: 'Messages' })).toContainText(second);

	// Asked a third time and sent as a new request: a request of its own.
	const third = `Who can help me find a flat ${stamp}`;
	await ask(yp, callMe, third);
	await expect(offer(yp)).toBeVisible();
	await yp.getByRole('button', { name: 'Send as a new request' }).click();
	await expect(yp).toHaveURL(/\/advocacy\/[0-9a-f-]{36}\?sent$/);
	expect(new URL(yp.url()).pathname).not.toBe(firstPath);
	await phone.close();

	// The advocate sees one item for this person, the later request shown with the first.
	await signInSettled(page, DEMO.advocate.signIn);
	await page.goto('/advocacy/queue');
	const open = page.getByRole('list', { name: 'Open requests' });
	const items = open.locator(':scope > li').filter({ hasText: first });
	await expect(items).toHaveCount(1);
	await expect(open.locator(':scope > li').filter({ hasText: third })).toHaveCount(1);
	const repeats = items.getByRole('list', { name: 'Asked again by the same person' });
	await expect(repeats).toContainText(third);
	await expect(items).toContainText('Asked again 1 time the same day');
	await expectNoAxeViolations(page);
});

test('an anonymous browser is never asked about an earlier request', async ({ page }) => {
	const stamp = Date.now() % 1_000_000;
	await ask(page, `Sol${stamp}`, `First question ${stamp}`);
	await expect(page.getByRole('heading', { name: 'Your message has been sent' })).toBeVisible();
	await ask(page, `Sol${stamp}`, `Second question ${stamp}`);
	await expect(page.getByRole('heading', { name: 'Your message has been sent' })).toBeVisible();
	await expect(offer(page)).toHaveCount(0);
});

/** Fills in the anonymous form, with an earlier request's private code if given. */
async function askWithReference(page: Page, callMe: string, about: string, reference: string) {
	await page.goto('/ask-for-an-advocate');
	await page.getByLabel('What should we call you?').fill(callMe);
	await page.getByLabel('What is it about?').fill(about);
	await page.getByRole('radio', { name: 'This week' }).check();
	await page.getByRole('radio', { name: 'I have left care (a care leaver)' }).check();
	await page.getByRole('radio', { name: 'No, please do not tell them' }).check();
	await page
		.getByLabel('Asked us before? The private code we gave you (if you have it)')
		.fill(reference);
	await page.getByRole('button', { name: 'Send to an advocate' }).click();
}

/** After "add", the earlier request's messages (opened with the code, as a form) show `words`. */
async function expectAddedTo(page: Page, words: string, axe: boolean) {
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Added to your earlier request');
	await expect(page.getByRole('status')).toHaveText(
		'We added this to your earlier request. Your advocate will see it there.'
	);
	// axe needs a script: pages without one are checked in the JavaScript run (the same markup).
	if (axe) await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);
	await page.getByRole('button', { name: 'Read replies with your private code' }).click();
	await expect(page.getByRole('heading', { level: 1, name: /Your messages with/ })).toBeVisible();
	await expect(page.getByRole('list', { name: 'Messages' })).toContainText(words);
}

test('signed out, asking again with the private code offers to add to that request, with and without JavaScript; the advocate sees repeats together', async ({
	browser,
	page
}) => {
	const stamp = Date.now() % 1_000_000;
	const callMe = `Ash${stamp}`;
	// Every test sends from one address, allowed 10 requests an hour without signing in; this one
	// sends three, so it starts that hour afresh instead of depending on what ran before it.
	await adminQuery(`delete from private.advocacy_rate_events where kind = 'request-ip'`);
	const withScript = await browser.newContext(PHONE);
	const js = await withScript.newPage();
	const withoutScript = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
	const noJs = await withoutScript.newPage();

	// The form offers the field only to someone not signed in; it is optional.
	const first = `My foster carer is moving away ${stamp}`;
	await ask(js, callMe, first);
	await expect(js.getByRole('heading', { name: 'Your message has been sent' })).toBeVisible();
	const reference = await js.getByLabel('Your private code').inputValue();

	// With JavaScript, the code typed in small letters and spaced: offered adding, nothing lost.
	const second = `Where will I live then ${stamp}`;
	await askWithReference(js, callMe, second, reference.toLowerCase().replaceAll('-', ' '));
	await expect(offer(js)).toBeVisible();
	await expect(offer(js)).toContainText(first);
	await expect(js.getByLabel('What is it about?')).toHaveValue(second);
	await expectNoAxeViolations(js);
	await expectNoHorizontalScroll(js);
	await js.getByRole('button', { name: 'Add to my earlier request' }).click();
	await expectAddedTo(js, second, true);

	// Without JavaScript: a code that is not one, then one that finds nothing (one miss only).
	const third = `Can I stay at my school ${stamp}`;
	await askWithReference(noJs, callMe, third, 'not-a-code');
	await expect(noJs.getByRole('alert')).toContainText('That does not look like a private code');
	await expect(noJs.getByLabel('What is it about?')).toHaveValue(third);
	await noJs
		.getByLabel('Asked us before? The private code we gave you (if you have it)')
		.fill('2222-3333-4444-5555-6666');
	await noJs.getByRole('button', { name: 'Send to an advocate' }).click();
	await expect(noJs.getByRole('alert')).toContainText('We could not find anything with that code');
	await expect(noJs.getByLabel('What is it about?')).toHaveValue(third);
	await expect(offer(noJs)).toHaveCount(0);
	// The right code: offered, and "add" puts it in the thread.
	await noJs
		.getByLabel('Asked us before? The private code we gave you (if you have it)')
		.fill(reference);
	await noJs.getByRole('button', { name: 'Send to an advocate' }).click();
	await expect(offer(noJs)).toBeVisible();
	await expect(offer(noJs)).toContainText(first);
	await expect(noJs.getByLabel('What is it about?')).toHaveValue(third);
	await expectNoHorizontalScroll(noJs);
	await noJs.getByRole('button', { name: 'Add to my earlier request' }).click();
	await expectAddedTo(noJs, third, false);

	// Sent as new, with and without JavaScript: new requests with codes of their own.
	const fourth = `Who pays for my bus ${stamp}`;
	await askWithReference(js, callMe, fourth, reference);
	await expect(offer(js)).toBeVisible();
	await js.getByRole('button', { name: 'Send as a new request' }).click();
	await expect(js.getByRole('heading', { name: 'Your message has been sent' })).toBeVisible();
	expect(await js.getByLabel('Your private code').inputValue()).not.toBe(reference);
	const fifth = `And my phone credit ${stamp}`;
	await askWithReference(noJs, callMe, fifth, reference);
	await expect(offer(noJs)).toBeVisible();
	await noJs.getByRole('button', { name: 'Send as a new request' }).click();
	await expect(noJs.getByRole('heading', { name: 'Your message has been sent' })).toBeVisible();
	await withScript.close();
	await withoutScript.close();

	// The advocate sees one item: the first request, with the two sent as new under it.
	await signInSettled(page, DEMO.advocate.signIn);
	await page.goto('/advocacy/queue');
	const open = page.getByRole('list', { name: 'Open requests' });
	const items = open.locator(':scope > li').filter({ hasText: first });
	await expect(items).toHaveCount(1);
	const repeats = items.getByRole('list', { name: 'Asked again by the same person' });
	await expect(repeats).toContainText(fourth);
	await expect(repeats).toContainText(fifth);
	await expect(items).toContainText('Asked again 2 times the same day');
	await expect(open.locator(':scope > li').filter({ hasText: fourth })).toHaveCount(1);
	await expect(open.locator(':scope > li').filter({ hasText: fifth })).toHaveCount(1);
});
