import { DEMO, expect, signIn, test } from './support';

test('settings save and stay in the form', async ({ page }) => {
	await signIn(page, DEMO.advocate.signIn);
	await page.goto('/profile');
	const pronouns = page.getByLabel('My pronouns (optional)');
	await pronouns.fill('she/her');
	await page.getByLabel('Dyslexia-friendly text').check();
	await page.getByRole('button', { name: 'Save my settings' }).click();
	await expect(page.getByRole('status')).toHaveText('Saved.');
	await expect(pronouns).toHaveValue('she/her');
	await expect(page.getByLabel('Dyslexia-friendly text')).toBeChecked();
	await expect(page.locator('.app.dyslexia-font')).toHaveCount(1);
	await page.reload();
	await expect(pronouns).toHaveValue('she/her');
});
