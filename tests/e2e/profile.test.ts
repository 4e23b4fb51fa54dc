import { DEMO, expect, signIn, test } from './support';

test('settings save and stay in the form', async ({ page }) => {
	await signIn(page, DEMO.advocate.signIn);
	await page.goto('/profile');
	const pronouns = page.getByLabel('My pronouns (optional)');
	await pronouns.fill('she/her');
	await page.getByRole('button', { name: 'Save my settings' }).click();
	await expect(page.getByRole('status')).toHaveText('Saved.');
	await expect(pronouns).toHaveValue('she/her');
	await page.reload();
	await expect(pronouns).toHaveValue('she/her');
});
