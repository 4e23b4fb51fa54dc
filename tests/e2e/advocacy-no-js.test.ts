import { expect, test } from './support';

test.use({ javaScriptEnabled: false });

test('asking for an advocate works without JavaScript, and a bot-filled form is refused', async ({
	page
}) => {
	await page.goto('/ask-for-an-advocate');
	// "Exit this page" is a plain link (to /exit, which goes on to a neutral site).
	await expect(page.getByRole('link', { name: /Exit this page/ })).toHaveAttribute('href', '/exit');

	const callMe = `Sky${Date.now() % 1_000_000}`;
	await page.getByLabel('What should we call you?').fill(callMe);
	await page.getByLabel('What is it about?').fill('x'.repeat(4001));
	await page.getByRole('radio', { name: 'This week' }).check();
	await page.getByRole('radio', { name: 'I am not sure' }).check();
	await page.getByRole('radio', { name: 'Ask me first' }).check();
	await page.getByRole('button', { name: 'Send to an advocate' }).click();
	await expect(page.getByRole('alert')).toContainText(
		'Please keep what it is about to 4000 characters or fewer.'
	);
	// Everything typed is kept.
	await expect(page.getByLabel('What should we call you?')).toHaveValue(callMe);
	await expect(page.getByRole('radio', { name: 'This week' })).toBeChecked();

	// A bot fills the hidden field: refused, with a clear message, and the form kept.
	await page.getByLabel('What is it about?').fill('School is hard.');
	await page.locator('input[name="website"]').fill('http://spam.example', { force: true });
	await page.getByRole('button', { name: 'Send to an advocate' }).click();
	await expect(page.getByRole('alert')).toContainText('Sorry, we could not send this.');
	await expect(page.getByLabel('What is it about?')).toHaveValue('School is hard.');

	await page.locator('input[name="website"]').fill('', { force: true });
	await page.getByRole('button', { name: 'Send to an advocate' }).click();
	await expect(page.getByRole('heading', { name: 'Your message has been sent' })).toBeVisible();
	const reference = await page.getByLabel('Your private code').inputValue();

	// Someone who wrote the reference down types it in.
	await page.goto('/ask-for-an-advocate/reply');
	await page.getByLabel('Your private code').fill('not-a-reference');
	await page.getByRole('button', { name: 'Check for replies' }).click();
	await expect(page.getByRole('alert')).toContainText('That does not look like a private code');
	await page.getByLabel('Your private code').fill(reference);
	await page.getByRole('button', { name: 'Check for replies' }).click();
	await expect(page.getByText('School is hard.')).toBeVisible();
	await page.getByLabel('Write a reply').fill('Also, my phone is new.');
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByRole('status')).toHaveText('Your message has been sent.');
	await expect(page.getByRole('list', { name: 'Messages' })).toContainText('my phone is new');
});
