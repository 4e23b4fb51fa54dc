/**
 * Canary for the end-to-end gate (see unit.canary.ts): runs in Chromium against the app the e2e
 * runner started, through the same support module as the real tests, then fails.
 */
import { writeFileSync } from 'node:fs';
import { expect, test } from '../e2e/support.ts';

test('fails on purpose after opening the sign-in page (canary)', async ({ page }) => {
	await page.goto('/sign-in');
	await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
	writeFileSync(process.env.TEST_CANARY!, 'e2e canary ran\n');
	expect('the end-to-end gate').toBe('able to fail');
});
