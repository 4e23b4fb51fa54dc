import type { Page } from '@playwright/test';
import { expect, test } from './support';
import { spokenOn, stubSpeech, type FakeVoice } from './speech-stub';

/**
 * Read-aloud stays on the phone (issue 16, item 2): only voices with `localService`, one for the
 * page's language where there is one, waiting for the voice list; the page is read block by
 * block, in order. The phone's speech synthesis is a stand-in (speech-stub.ts): Chromium here has
 * no voices.
 */
const CLOUD_ENGLISH: FakeVoice = {
	name: 'Cloud English',
	lang: 'en-GB',
	localService: false,
	default: true
};
const PHONE_ENGLISH: FakeVoice = { name: 'Phone English', lang: 'en-GB', localService: true };
const CLOUD_WELSH: FakeVoice = { name: 'Cloud Welsh', lang: 'cy-GB', localService: false };
const PHONE_WELSH: FakeVoice = { name: 'Phone Welsh', lang: 'cy-GB', localService: true };

test.beforeEach(async ({ context, baseURL }) => {
	// Read-aloud turned on before signing in (the reading settings cookie).
	await context.addCookies([{ name: 'reading', value: 'aloud=1', url: baseURL! }]);
});

async function readPage(page: Page, button: string) {
	await page.getByRole('button', { name: button }).click();
	await expect.poll(async () => (await spokenOn(page)).length).toBeGreaterThan(2);
	return spokenOn(page);
}

test('a voice on the phone is used, never a network one, block by block in order', async ({
	page
}) => {
	await stubSpeech(page, [CLOUD_ENGLISH, PHONE_ENGLISH]);
	await page.goto('/ask-for-an-advocate');
	const heading = await page.getByRole('heading', { level: 1 }).innerText();
	const spoken = await readPage(page, 'Read this page aloud');
	expect(spoken[0]!.text).toBe(heading);
	expect(new Set(spoken.map((s) => s.voice))).toEqual(new Set(['Phone English']));
	// Each block on its own, never the whole page in one breath, and never the button itself.
	expect(spoken.every((s) => !s.text.includes('\n'))).toBe(true);
	expect(spoken.some((s) => s.text.includes('Read this page aloud'))).toBe(false);
});

test('a Welsh page is read with a Welsh voice on the phone', async ({ page }) => {
	await stubSpeech(page, [CLOUD_ENGLISH, PHONE_ENGLISH, CLOUD_WELSH, PHONE_WELSH]);
	await page.goto('/ask-for-an-advocate?lang=cy');
	await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
	const spoken = await readPage(page, 'Darllen y dudalen hon yn uchel');
	expect(new Set(spoken.map((s) => s.voice))).toEqual(new Set(['Phone Welsh']));
});

test('with only a network voice, the button says this phone cannot read aloud', async ({
	page
}) => {
	await stubSpeech(page, [CLOUD_ENGLISH, CLOUD_WELSH]);
	await page.goto('/ask-for-an-advocate');
	const button = page.getByRole('button', { name: 'This phone cannot read aloud' });
	await expect(button).toBeVisible();
	await expect(button).toBeDisabled();
	await expect(page.getByRole('button', { name: 'Read this page aloud' })).toHaveCount(0);
	expect(await spokenOn(page)).toEqual([]);
});

test('it waits for the phone to list its voices', async ({ page }) => {
	await stubSpeech(page, [CLOUD_ENGLISH, PHONE_ENGLISH], { later: true });
	await page.goto('/ask-for-an-advocate');
	// No voices yet: nothing to read with, so no working button (it says it is looking, or, on a
	// slow run, that it found none so far).
	await expect(
		page.getByRole('button', { name: /Finding a voice on this phone|This phone cannot read aloud/ })
	).toBeDisabled();
	await expect(page.getByRole('button', { name: 'Read this page aloud' })).toHaveCount(0);
	await page.evaluate(() => (window as unknown as { announceVoices: () => void }).announceVoices());
	const spoken = await readPage(page, 'Read this page aloud');
	expect(new Set(spoken.map((s) => s.voice))).toEqual(new Set(['Phone English']));
});
