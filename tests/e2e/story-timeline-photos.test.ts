import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from '@playwright/test';
import {
	adminQuery,
	DEMO,
	ensureStory,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signIn,
	test
} from './support';
import { holds, jpegWithGps, LEAKS, pngWithText } from '../support/photo-fixtures.ts';
import sharp from 'sharp';

// Alex (a care leaver) and Dan (his personal adviser, in his circle with edit access to his
// plans): the same relationship as Sam and Priya, but no other test shares Alex's story, so this
// file can run beside story.test.ts without either seeing the other's shares.
const DAN_ID = '00000000-0000-4000-8000-000000000004';
const ALEX_ID = '00000000-0000-4000-8000-000000000008';

/** Audit rows for `reader` reading `documentId`, straight from the database. */
async function readsBy(documentId: string, reader: string): Promise<number> {
	const [row] = await adminQuery<{ n: string }>(
		'select count(*) as n from public.document_reads where document_id = $1 and reader_id = $2',
		[documentId, reader]
	);
	return Number(row?.n ?? 0);
}

async function phone(browser: Browser, javaScriptEnabled = true) {
	return browser.newContext({
		viewport: { width: 360, height: 740 },
		hasTouch: true,
		isMobile: true,
		javaScriptEnabled
	});
}

/**
 * Chooses a file as a person would: from a file on disk. (Handing Playwright the bytes instead
 * sends a 6 MB file base64-encoded through its pipe to the browser, which on a loaded 2-core
 * machine took longer than any reasonable limit.)
 */
async function chooseFile(
	page: Page,
	file: { name: string; buffer: Buffer },
	label = 'Choose a photo'
) {
	const dir = test.info().outputPath('uploads');
	mkdirSync(dir, { recursive: true });
	const onDisk = path.join(dir, file.name);
	writeFileSync(onDisk, file.buffer);
	await page.getByLabel(label).setInputFiles(onDisk);
}

async function upload(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
	await chooseFile(page, file);
	await page.getByLabel('What is in the photo?').fill('Me on the swings');
	await page.getByRole('button', { name: 'Add photo' }).click();
}

test('a young person builds a timeline and adds a photo; bad files are refused; nobody sees them until shared', async ({
	page,
	browser
}) => {
	const place = `Riverside flat ${Date.now() % 100000}`;
	const school = `Hill Academy ${Date.now() % 100000}`;

	// Alex adds a place to their timeline.
	const storyId = await ensureStory(ALEX_ID);
	const storyUrl = `/documents/${storyId}`;
	await signIn(page, DEMO.careLeaver.signIn);
	await page.goto(storyUrl);
	await page.getByRole('link', { name: 'Timeline of places, people and schools' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'My timeline' })).toBeVisible();
	// Nothing filled in: clear messages, nothing added.
	await page.getByRole('button', { name: 'Add to my timeline' }).click();
	await expect(page.getByRole('alert')).toContainText(
		'Please choose a place, a person or a school.'
	);
	await expect(page.getByRole('alert')).toContainText('Please enter a name.');
	await expectNoAxeViolations(page);
	const addForm = page.getByRole('region', { name: 'Add to my timeline' });
	await addForm.getByRole('radio', { name: 'A place' }).check();
	await addForm.getByLabel('Name').fill(place);
	await addForm.getByLabel('When (you can leave this empty)').fill('Year 7');
	await page.getByRole('button', { name: 'Add to my timeline' }).click();
	await expect(page.getByRole('status')).toHaveText(`${place} is on your timeline now.`);
	const timeline = page.getByRole('region', { name: 'On my timeline' });
	await expect(timeline).toContainText(place);
	await expect(timeline).toContainText('Year 7');
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);

	// A photo with a description: it shows, described for screen readers.
	await page.goto(`${storyUrl}/photos`);
	await expect(page.getByRole('heading', { level: 1, name: 'My photos' })).toBeVisible();
	const photosBefore = await page.getByRole('img').count();
	await upload(page, { name: 'swings.png', mimeType: 'image/png', buffer: pngWithText() });
	await expect(page.getByRole('status')).toHaveText('Your photo is in your story now.');
	const photo = page.getByRole('img', { name: 'Me on the swings' });
	await expect(photo).toBeVisible();
	await expect.poll(() => photo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(4);
	const photoUrl = (await photo.getAttribute('src')) ?? '';
	expect(photoUrl).toMatch(new RegExp(`^${storyUrl}/photos/[0-9a-f-]{36}$`));
	const served = await page.request.get(photoUrl);
	expect(served.status()).toBe(200);
	// The phone-sized version by default; the full-size one, in the uploaded format, on request.
	expect(served.headers()['content-type']).toBe('image/webp');
	const fullSize = await page.request.get(`${photoUrl}?size=full`);
	expect(fullSize.headers()['content-type']).toBe('image/png');
	for (const response of [served, fullSize]) {
		expect(response.status()).toBe(200);
		expect(response.headers()['cache-control']).toBe('private, no-store');
		expect(response.headers()['x-content-type-options']).toBe('nosniff');
		expect(response.headers()['content-disposition']).toBe('inline');
		// Hidden details were taken out before it was stored.
		expect((await response.body()).includes(Buffer.from('Riverside Court'))).toBe(false);
	}
	expect((await page.request.get(`${photoUrl}?size=original`)).status()).toBe(404);
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);

	// Too big, not what it says it is, and SVG: each refused with its own clear message.
	const big = Buffer.alloc(6 * 1024 * 1024);
	pngWithText().copy(big);
	await upload(page, { name: 'huge.png', mimeType: 'image/png', buffer: big });
	await expect(page.getByRole('alert')).toContainText(
		'That photo is too big. Photos can be up to 5 MB.'
	);
	await upload(page, {
		name: 'notes.png',
		mimeType: 'image/png',
		buffer: Buffer.from('These are my notes, not a photo.')
	});
	await expect(page.getByRole('alert')).toContainText(
		'That file says it is a photo, but it is not the kind it says it is.'
	);
	await upload(page, {
		name: 'drawing.svg',
		mimeType: 'image/svg+xml',
		buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
	});
	await expect(page.getByRole('alert')).toContainText('SVG pictures cannot be added');
	await expectNoAxeViolations(page);
	await page.goto(`${storyUrl}/photos`);
	await expect(page.getByRole('img')).toHaveCount(photosBefore + 1);

	// Dan, Alex's personal adviser, sees none of it until Alex shares the story.
	const desk = await phone(browser);
	const dan = await desk.newPage();
	await signIn(dan, DEMO.adviser.signIn);
	for (const path of [`${storyUrl}/timeline`, `${storyUrl}/photos`, photoUrl]) {
		expect((await dan.goto(path))?.status(), path).toBe(404);
	}
	expect((await dan.request.get(photoUrl)).status()).toBe(404);

	// Alex shares it with Dan to comment: Dan sees the timeline and the photo, and each look is
	// audit-logged.
	await page.goto(`${storyUrl}/sharing`);
	await page.getByLabel('Who do you want to share it with?').selectOption(DAN_ID);
	await page.getByRole('radio', { name: 'Read it and add comments' }).check();
	await page.getByRole('button', { name: 'Share my story' }).click();
	await expect(page.getByRole('status')).toHaveText('Dan can now see your story.');

	const before = await readsBy(storyId, DAN_ID);
	await dan.goto(`${storyUrl}/timeline`);
	await expect(dan.getByRole('heading', { level: 1, name: "Alex's timeline" })).toBeVisible();
	await expect(dan.getByRole('region', { name: 'On the timeline' })).toContainText(place);
	await expect.poll(() => readsBy(storyId, DAN_ID)).toBe(before + 1);
	expect((await dan.request.get(photoUrl)).status()).toBe(200);
	await expect.poll(() => readsBy(storyId, DAN_ID)).toBe(before + 2);
	await dan.goto(`${storyUrl}/photos`);
	await expect(dan.getByRole('img', { name: 'Me on the swings' })).toBeVisible();
	// Photos are Alex's alone to add.
	await expect(dan.getByRole('button', { name: 'Add photo' })).toHaveCount(0);

	// Dan suggests a school: it is not on the timeline until Alex says yes.
	await dan.goto(`${storyUrl}/timeline`);
	const suggest = dan.getByRole('region', { name: "Suggest something for Alex's timeline" });
	await suggest.getByRole('radio', { name: 'A school' }).check();
	await suggest.getByLabel('Name').fill(school);
	await suggest.getByRole('button', { name: 'Suggest this' }).click();
	await expect(dan.getByRole('status')).toHaveText(
		'Thank you. Alex will see your idea. It is only added if they say yes.'
	);
	await expect(dan.getByRole('region', { name: 'On the timeline' })).not.toContainText(school);
	await expect(dan.getByRole('region', { name: 'Your ideas waiting for Alex' })).toContainText(
		school
	);
	await expectNoAxeViolations(dan);

	await page.goto(`${storyUrl}/timeline`);
	await expect(timeline).not.toContainText(school);
	const ideas = page.getByRole('region', { name: 'Ideas from other people' });
	await expect(ideas).toContainText(school);
	await expect(ideas).toContainText('Idea from Dan');
	await expectNoAxeViolations(page);
	await ideas.getByRole('button', { name: `Yes, add ${school}` }).click();
	await expect(page.getByRole('status')).toHaveText('Added to your timeline.');
	await expect(timeline).toContainText(school);
	await dan.reload();
	await expect(dan.getByRole('region', { name: 'On the timeline' })).toContainText(school);

	// Alex stops sharing: Dan is shut out again.
	await page.goto(`${storyUrl}/sharing`);
	await page.getByRole('button', { name: 'Stop sharing with Dan' }).click();
	await expect(page.getByRole('status')).toHaveText('Dan cannot see your story any more.');
	expect((await dan.goto(`${storyUrl}/timeline`))?.status()).toBe(404);
	expect((await dan.request.get(photoUrl)).status()).toBe(404);
	await desk.close();
});

test('without JavaScript, a young person adds to their timeline and uploads a photo', async ({
	browser
}) => {
	const context = await phone(browser, false);
	const page = await context.newPage();
	const storyUrl = `/documents/${await ensureStory(ALEX_ID)}`;
	await signIn(page, DEMO.careLeaver.signIn);
	const place = `Nan's house ${Date.now() % 100000}`;

	await page.goto(`${storyUrl}/timeline`);
	const addForm = page.getByRole('region', { name: 'Add to my timeline' });
	await addForm.getByRole('radio', { name: 'A place' }).check();
	await addForm.getByLabel('Name').fill(place);
	await addForm.getByRole('button', { name: 'Add to my timeline' }).click();
	await expect(page.getByRole('status')).toHaveText(`${place} is on your timeline now.`);

	// Change it, then remove it, with the forms inside each entry.
	const entry = page.getByRole('listitem').filter({ hasText: place });
	await entry.getByText(`Change or remove ${place}`).click();
	await entry.getByLabel('Name').fill(`${place} (the first one)`);
	await entry.getByRole('button', { name: `Save changes to ${place}` }).click();
	await expect(page.getByRole('status')).toHaveText(`${place} (the first one) is changed.`);
	const changed = page.getByRole('listitem').filter({ hasText: `${place} (the first one)` });
	await changed.getByText(`Change or remove ${place} (the first one)`).click();
	await changed.getByRole('button', { name: `Remove ${place} (the first one)` }).click();
	await expect(page.getByRole('status')).toHaveText('That is off your timeline now.');
	await expect(page.getByRole('region', { name: 'On my timeline' })).not.toContainText(place);

	await page.goto(`${storyUrl}/photos`);
	const photos = page.getByRole('img');
	const count = await photos.count();
	await page.getByLabel('Choose a photo').setInputFiles({
		name: 'nan.png',
		mimeType: 'image/png',
		buffer: pngWithText()
	});
	// No description: a clear message, and the photo is not added.
	await page.getByRole('button', { name: 'Add photo' }).click();
	await expect(page.getByRole('alert')).toContainText('Please enter what is in the photo.');
	await upload(page, { name: 'nan.png', mimeType: 'image/png', buffer: pngWithText() });
	await expect(page.getByRole('status')).toHaveText('Your photo is in your story now.');
	await expect(photos).toHaveCount(count + 1);
	const big = Buffer.alloc(6 * 1024 * 1024);
	await upload(page, { name: 'big.jpg', mimeType: 'image/jpeg', buffer: big });
	await expect(page.getByRole('alert')).toContainText('That photo is too big.');
	await context.close();
});

test('in Welsh, the timeline and the photos speak Welsh, and what the young person writes stays as written', async ({
	browser
}) => {
	const context = await phone(browser);
	const page = await context.newPage();
	const storyUrl = `/documents/${await ensureStory(ALEX_ID)}`;
	await signIn(page, DEMO.careLeaver.signIn);
	// Welsh on this phone only: chosen after signing in (not with the switch), so Alex's recorded
	// language stays as it is for the tests running beside this one.
	await context.addCookies([{ name: 'language', value: 'cy', url: new URL(page.url()).origin }]);
	const place = `Nan's house ${Date.now() % 100000}`;

	await page.goto(`${storyUrl}/timeline`);
	await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
	await expect(page.getByRole('heading', { level: 1, name: 'Fy llinell amser' })).toBeVisible();
	await expect(page).toHaveTitle('Fy llinell amser – In My Words');
	const addForm = page.getByRole('region', { name: 'Ychwanegu at fy llinell amser' });
	await addForm.getByRole('button', { name: 'Ychwanegu at fy llinell amser' }).click();
	await expect(page.getByRole('alert')).toContainText('Dewiswch le, person neu ysgol.');
	await expect(page.getByRole('alert')).toContainText('Rhowch enw.');
	await expectNoAxeViolations(page);
	await addForm.getByRole('radio', { name: 'Lle' }).check();
	await addForm.getByLabel('Enw', { exact: true }).fill(place);
	await addForm.getByRole('button', { name: 'Ychwanegu at fy llinell amser' }).click();
	await expect(page.getByRole('status')).toHaveText(`Mae ${place} ar eich llinell amser nawr.`);
	await expect(page.getByRole('region', { name: 'Ar fy llinell amser' })).toContainText(place);
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);

	await page.goto(`${storyUrl}/photos`);
	await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
	await expect(page.getByRole('heading', { level: 1, name: 'Fy lluniau' })).toBeVisible();
	await chooseFile(page, { name: 'siglenni.png', buffer: pngWithText() }, 'Dewis llun');
	await page.getByRole('button', { name: "Ychwanegu'r llun" }).click();
	await expect(page.getByRole('alert')).toContainText('Rhowch beth sydd yn y llun.');
	await expectNoAxeViolations(page);
	await context.close();
});

test('every photo is made again from its pixels: no GPS, no text chunks, stored or served, and a phone gets at most 1280 px', async ({
	browser
}) => {
	const context = await phone(browser);
	const page = await context.newPage();
	const storyUrl = `/documents/${await ensureStory(ALEX_ID)}`;
	await signIn(page, DEMO.careLeaver.signIn);
	await page.goto(`${storyUrl}/photos`);
	const stamp = Date.now() % 100000;
	const files = [
		{ name: 'IMG_2041.jpg', buffer: await jpegWithGps(2000, 1500), alt: `The park ${stamp}` },
		{ name: 'drawing.png', buffer: pngWithText(1600, 40), alt: `My drawing ${stamp}` }
	];
	for (const file of files) {
		await chooseFile(page, file);
		await page.getByLabel('What is in the photo?').fill(file.alt);
		await page.getByRole('button', { name: 'Add photo' }).click();
		// The message is the same for both photos: wait for this photo itself.
		await expect(page.getByRole('img', { name: file.alt })).toHaveCount(1);
		await expect(page.getByRole('status')).toHaveText('Your photo is in your story now.');
	}

	const rows = await adminQuery<{
		id: string;
		alt_text: string;
		bytes: Buffer;
		phone_bytes: Buffer;
	}>(
		`select id, alt_text, bytes, phone_bytes from public.story_photos
		  where alt_text = any($1) order by alt_text`,
		[files.map((f) => f.alt)]
	);
	expect(rows.map((r) => r.alt_text).sort()).toEqual(files.map((f) => f.alt).sort());

	for (const row of rows) {
		const photoUrl = `${storyUrl}/photos/${row.id}`;
		const byDefault = await page.request.get(photoUrl);
		const full = await page.request.get(`${photoUrl}?size=full`);
		const versions = {
			stored: row.bytes,
			'stored for phones': row.phone_bytes,
			served: await byDefault.body(),
			'served full size': await full.body()
		};
		for (const [which, bytes] of Object.entries(versions)) {
			for (const leak of Object.values(LEAKS)) {
				expect(holds(bytes, leak), `${row.alt_text}, ${which}: ${leak}`).toBe(false);
			}
			const read = await sharp(bytes).metadata();
			expect([read.exif, read.xmp, read.comments], `${row.alt_text}, ${which}`).toEqual([
				undefined,
				undefined,
				undefined
			]);
		}
		// Nothing stored or served is the file that was uploaded.
		for (const file of files) {
			for (const bytes of Object.values(versions)) expect(bytes.equals(file.buffer)).toBe(false);
		}
		// What a phone gets by default: WebP, at most 1280 px on its longer side.
		expect(byDefault.headers()['content-type']).toBe('image/webp');
		const shown = await sharp(versions.served).metadata();
		expect(Math.max(shown.width, shown.height)).toBeLessThanOrEqual(1280);
		const whole = await sharp(versions['served full size']).metadata();
		expect(Math.max(whole.width, whole.height)).toBeGreaterThan(1280);
	}
	// The photo turned the right way up (EXIF orientation 6), 960 × 1280 on the page.
	const park = page.getByRole('img', { name: files[0]!.alt });
	// Loaded lazily: brought into view first, as a person scrolling would.
	await park.scrollIntoViewIfNeeded();
	await expect
		.poll(() =>
			park.evaluate((img) => [
				(img as HTMLImageElement).naturalWidth,
				(img as HTMLImageElement).naturalHeight
			])
		)
		.toEqual([960, 1280]);
	await page.getByRole('link', { name: `See the full-size photo: ${files[0]!.alt}` }).click();
	await expect(page).toHaveURL(/\?size=full$/);
	await context.close();
});
