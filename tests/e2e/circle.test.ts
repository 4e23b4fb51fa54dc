import { DEMO, expect, expectNoAxeViolations, signIn, test } from './support';

test('a young person adds an advocate to their circle and removes them again', async ({ page }) => {
	await signIn(page, DEMO.careLeaver.signIn);
	await page.getByRole('link', { name: 'Choose an advocate' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'My circle' })).toBeVisible();
	const circle = page.getByRole('list', { name: 'People in my circle' });
	await expect(circle.getByRole('listitem')).toHaveCount(1);

	// Nothing chosen: a clear message, nothing added.
	await page.getByRole('button', { name: 'Add my advocate' }).click();
	await expect(page.getByRole('alert')).toContainText('Please choose an advocate from the list.');
	await expect(circle.getByRole('listitem')).toHaveCount(1);

	await page
		.getByLabel('Advocate', { exact: true })
		.selectOption({ label: 'Amara (Brightside Advocacy)' });
	await page.getByRole('button', { name: 'Add my advocate' }).click();
	await expect(page.getByRole('status')).toHaveText('Amara is now your advocate.');
	await expect(circle.getByRole('listitem')).toHaveCount(2);
	await expect(circle).toContainText('Amara');
	await expectNoAxeViolations(page);

	// Only the advocate has a remove button: the personal adviser cannot be removed here.
	await expect(circle.getByRole('button', { name: /Remove/ })).toHaveCount(1);
	await circle.getByRole('button', { name: 'Remove Amara as my advocate' }).click();
	await expect(page.getByRole('status')).toHaveText('Removed from your circle.');
	await expect(circle.getByRole('listitem')).toHaveCount(1);
	await expect(circle).not.toContainText('Amara');
});

test('pages for young people refuse people who are not one', async ({ page }) => {
	await signIn(page, DEMO.socialWorker.signIn);
	const response = await page.goto('/circle');
	expect(response?.status()).toBe(403);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('You cannot see this page');
});

test('someone outside a circle cannot open it', async ({ page }) => {
	await signIn(page, DEMO.adviser.signIn);
	const response = await page.goto(`/young-people/${DEMO.youngPerson.id}`);
	expect(response?.status()).toBe(404);
});
