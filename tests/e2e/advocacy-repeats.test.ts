import type { Page } from '@playwright/test';
import {
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
