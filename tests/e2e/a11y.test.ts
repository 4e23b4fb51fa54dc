import { type Page } from '@playwright/test';
import {
	DEMO,
	ensureStory,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signIn,
	test
} from './support';

async function check(page: Page, path: string, heading: RegExp | string) {
	await page.goto(path);
	await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);
}

test.describe('every page is accessible and fits the screen', () => {
	test('public pages', async ({ page }) => {
		await check(page, '/', 'In My Words');
		await check(page, '/sign-in', 'Sign in');
		await check(page, '/privacy', 'How we look after your information');
		await check(page, '/invite/not-a-real-token', 'Welcome to In My Words');
		await check(page, '/no-such-page', 'We could not find that page');
	});

	test('forms with errors', async ({ page }) => {
		await page.goto('/sign-in');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert')).toContainText('Please enter your username or email');
		await expectNoAxeViolations(page);
	});

	test('young person pages', async ({ page }) => {
		await signIn(page, DEMO.youngPerson.signIn);
		await check(page, '/home', `Hello, ${DEMO.youngPerson.name}`);
		await check(page, '/circle', 'My circle');
		await check(page, '/profile', 'My settings');
		await check(page, '/who-looked', 'Who has looked at my documents');
		await check(page, '/documents/00000000-0000-4000-8000-0000000000d1', "Sam's care plan");
	});

	test('story timeline and photos pages', async ({ page }) => {
		// Alex's story (a care leaver): no other test starts it from the home page.
		const story = `/documents/${await ensureStory('00000000-0000-4000-8000-000000000008')}`;
		await signIn(page, DEMO.careLeaver.signIn);
		await check(page, `${story}/timeline`, 'My timeline');
		await check(page, `${story}/photos`, 'My photos');
	});

	test('social worker pages', async ({ page }) => {
		await signIn(page, DEMO.socialWorker.signIn);
		await check(page, '/home', `Hello, ${DEMO.socialWorker.name}`);
		await check(page, '/young-people/new', 'Invite a young person');
		await check(page, `/young-people/${DEMO.youngPerson.id}`, DEMO.youngPerson.name);
	});

	test('admin, parent, advocate, adviser and designer homes', async ({ page, context }) => {
		for (const who of [DEMO.admin, DEMO.parent, DEMO.advocate, DEMO.adviser, DEMO.designer]) {
			await context.clearCookies();
			await signIn(page, who.signIn);
			await check(page, '/home', `Hello, ${who.name}`);
		}
		await context.clearCookies();
		await signIn(page, DEMO.admin.signIn);
		await check(page, '/admin', 'People and invites');
	});
});
