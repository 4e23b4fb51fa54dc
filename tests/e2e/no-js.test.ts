import { DEMO, DEMO_PASSPHRASE, expect, test } from './support';

test.use({ javaScriptEnabled: false });

test('signing in and saving settings work without JavaScript', async ({ page }) => {
	await page.goto('/sign-in');
	await page.getByLabel('Username or email').fill(DEMO.careLeaver.signIn);
	await page.getByLabel('Password').fill('wrong passphrase');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toContainText('That username or password is not right');
	// The form keeps what was typed (but never the passphrase).
	await expect(page.getByLabel('Username or email')).toHaveValue(DEMO.careLeaver.signIn);
	await expect(page.getByLabel('Password')).toHaveValue('');

	await page.getByLabel('Password').fill(DEMO_PASSPHRASE);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { name: `Hello, ${DEMO.careLeaver.name}` })).toBeVisible();

	await page.goto('/profile');
	await page.getByLabel('My pronouns (optional)').fill('x'.repeat(41));
	await page.getByRole('button', { name: 'Save my settings' }).click();
	await expect(page.getByRole('alert')).toContainText('40 characters or fewer');
	await page.getByLabel('My pronouns (optional)').fill('he/him');
	await page.getByRole('button', { name: 'Save my settings' }).click();
	await expect(page.getByRole('status')).toHaveText('Saved.');
	await page.reload();
	await expect(page.getByLabel('My pronouns (optional)')).toHaveValue('he/him');
});

test('a social worker invites a family member and they accept, all without JavaScript', async ({
	page,
	browser
}) => {
	const name = `Kim${Date.now() % 100000}`;
	await page.goto('/sign-in');
	await page.getByLabel('Username or email').fill(DEMO.socialWorker.signIn);
	await page.getByLabel('Password').fill(DEMO_PASSPHRASE);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.goto(`/young-people/${DEMO.youngPerson.id}`);
	await page.getByLabel('Name they like to be called').fill(name);
	await page.getByRole('button', { name: 'Make an invite' }).click();
	await expect(page.getByRole('alert')).toContainText('how they are related');
	await expect(page.getByLabel('Name they like to be called')).toHaveValue(name);
	await page.getByLabel(`How they are related to ${DEMO.youngPerson.name}`).fill('Aunt');
	await page.getByRole('button', { name: 'Make an invite' }).click();
	const ready = page.getByRole('region', { name: `Invite ready for ${name}` });
	const inviteUrl = await ready.getByRole('link', { name: /\/invite\// }).getAttribute('href');
	const signInName = await ready.locator('strong').textContent();

	const family = await browser.newContext({ javaScriptEnabled: false });
	const aunt = await family.newPage();
	await aunt.goto(inviteUrl!);
	await aunt.getByLabel('Choose a password').fill('green kite tuesday');
	await aunt.getByLabel('Type it again').fill('green kite tuesdays');
	await aunt.getByRole('button', { name: 'Set up my account' }).click();
	await expect(aunt.getByRole('alert')).toContainText('not the same');
	await aunt.getByLabel('Choose a password').fill('green kite tuesday');
	await aunt.getByLabel('Type it again').fill('green kite tuesday');
	await aunt.getByRole('button', { name: 'Set up my account' }).click();
	await expect(aunt.getByRole('heading', { name: `Hello, ${name}` })).toBeVisible();
	await expect(aunt.getByRole('status')).toContainText(signInName!);
	await expect(aunt.getByRole('region', { name: 'Young people I support' })).toContainText(
		DEMO.youngPerson.name
	);
	await family.close();

	await page.reload();
	await expect(
		page.getByRole('region', { name: `${DEMO.youngPerson.name}'s circle` })
	).toContainText(`${name} – Aunt`);
});
