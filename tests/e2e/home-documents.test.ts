import { DEMO, ensureStory, expect, expectNoAxeViolations, signIn, test } from './support';

/**
 * Home shows each document with what it is, when it last changed and where it stands (issue 16,
 * item 8), so two plans with the same title can be told apart.
 */
/** Alex, the demo care leaver: other tests use Alex's story too. Sam must keep none (story.test starts his). */
const ALEX_ID = '00000000-0000-4000-8000-000000000008';

test('a young person’s documents show their kind, date and status', async ({ page }) => {
	await signIn(page, DEMO.youngPerson.signIn);
	const mine = page.getByRole('region', { name: 'My documents' }).getByRole('listitem');
	await expect(mine.first()).toBeVisible();
	const count = await mine.count();
	expect(count).toBeGreaterThanOrEqual(1);
	for (let i = 0; i < count; i++) {
		const item = mine.nth(i);
		await expect(item.locator('.kind')).toHaveText(/^(Care plan|Pathway plan|My story)$/);
		await expect(item).toContainText(/Changed \d{1,2} [A-Z][a-z]+ \d{4}/);
		await expect(item.locator('.status')).not.toBeEmpty();
	}
	const plan = mine.filter({ has: page.locator('.kind', { hasText: 'Care plan' }) }).first();
	await expect(plan.locator('.status')).toHaveText(
		/^(Next review by .+\.|The next review should have happened by .+|Waiting for you to say if you agree)$/
	);
	await expectNoAxeViolations(page);

	// And in Welsh.
	await page.goto('/home?lang=cy');
	const fy = page.getByRole('region', { name: 'Fy nogfennau' }).getByRole('listitem');
	await expect(fy.first()).toContainText(/Newidiwyd \d{1,2} /);
});

test('a story on home says who can see it', async ({ page }) => {
	await ensureStory(ALEX_ID);
	await signIn(page, DEMO.careLeaver.signIn);
	const mine = page.getByRole('region', { name: 'My documents' }).getByRole('listitem');
	const story = mine.filter({ has: page.locator('.kind', { hasText: 'My story' }) });
	await expect(story.locator('.status')).toHaveText(
		/^(Only you can see it|You shared it with .+)$/
	);
});

test('a social worker sees the same facts for the documents they help with', async ({ page }) => {
	await signIn(page, DEMO.socialWorker.signIn);
	const helping = page
		.getByRole('region', { name: 'Documents I help write' })
		.getByRole('listitem');
	await expect(helping.first()).toBeVisible();
	await expect(helping.first().locator('.kind')).toHaveText(/^(Care plan|Pathway plan|My story)$/);
	await expect(helping.first()).toContainText(/Changed \d{1,2} [A-Z][a-z]+ \d{4}/);
	await expect(helping.first().locator('.status')).not.toBeEmpty();
});
