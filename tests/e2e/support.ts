import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const DEMO_PASSPHRASE = 'in-my-words-demo';
export const DEMO = {
	youngPerson: { signIn: 'sam', name: 'Sam', id: '00000000-0000-4000-8000-000000000001' },
	careLeaver: { signIn: 'alex', name: 'Alex' },
	parent: { signIn: 'jo.parent@example.org', name: 'Jo' },
	socialWorker: { signIn: 'priya.socialworker@example.org', name: 'Priya' },
	adviser: { signIn: 'dan.adviser@example.org', name: 'Dan' },
	advocate: { signIn: 'amara.advocate@example.org', name: 'Amara' },
	designer: { signIn: 'lee.designer@example.org', name: 'Lee' },
	admin: { signIn: 'morgan.admin@example.org', name: 'Morgan' }
} as const;

/** Signs in through the real form, as a person would. */
export async function signIn(page: Page, identifier: string, passphrase = DEMO_PASSPHRASE) {
	await page.goto('/sign-in');
	await page.getByLabel('Username or email').fill(identifier);
	await page.getByLabel('Passphrase').fill(passphrase);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { level: 1, name: /^Hello, / })).toBeVisible();
}

/** No WCAG 2.2 A/AA violations on the current page. */
export async function expectNoAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	const summary = results.violations.map(
		(v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`
	);
	expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/** Nothing wider than the viewport: a 360 px phone never scrolls sideways. */
export async function expectNoHorizontalScroll(page: Page) {
	const { scrollWidth, clientWidth } = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		clientWidth: document.documentElement.clientWidth
	}));
	expect(scrollWidth, `page ${page.url()} scrolls sideways`).toBeLessThanOrEqual(clientWidth);
}
