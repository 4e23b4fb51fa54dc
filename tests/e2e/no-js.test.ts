import { expect, test } from '@playwright/test';
import { DEMO, DEMO_PASSPHRASE } from './support';

test.use({ javaScriptEnabled: false });

test('signing in and saving settings work without JavaScript', async ({ page }) => {
	await page.goto('/sign-in');
	await page.getByLabel('Username or email').fill(DEMO.careLeaver.signIn);
	await page.getByLabel('Passphrase').fill('wrong passphrase');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toContainText('That username or passphrase is not right');
	// The form keeps what was typed (but never the passphrase).
	await expect(page.getByLabel('Username or email')).toHaveValue(DEMO.careLeaver.signIn);
	await expect(page.getByLabel('Passphrase')).toHaveValue('');

	await page.getByLabel('Passphrase').fill(DEMO_PASSPHRASE);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { name: `Hello, ${DEMO.careLeaver.name}` })).toBeVisible();

	await page.goto('/profile');
	await page.getByLabel('My pronouns (optional)').fill('x'.repeat(41));
	await page.getByRole('button', { name: 'Save my settings' }).click();
	await expect(page.getByRole('alert')).toContainText('40 characters or fewer');
	await page.getByLabel('My pronouns (optional)').fill('he/him');
	await page.getByLabel('Larger text').check();
	await page.getByRole('button', { name: 'Save my settings' }).click();
	await expect(page.getByRole('status')).toHaveText('Saved.');
	await page.reload();
	await expect(page.getByLabel('My pronouns (optional)')).toHaveValue('he/him');
	await expect(page.getByLabel('Larger text')).toBeChecked();
	await expect(page.locator('.app.larger-text')).toHaveCount(1);
});
