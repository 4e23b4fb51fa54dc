import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
	holds,
	jpegWithGps,
	LEAKS,
	pngClaiming,
	pngWithText
} from '../../../../tests/support/photo-fixtures';
import {
	checkPhoto,
	looksLikeSvg,
	MAX_PHOTO_BYTES,
	PHONE_PHOTO_SIDE,
	PHOTO_MESSAGES,
	type CleanPhoto
} from './photos';

const enc = new TextEncoder();

async function accepted(file: Parameters<typeof checkPhoto>[0]): Promise<CleanPhoto> {
	const result = await checkPhoto(file);
	if (!result.ok) throw new Error(`refused: ${result.reason}`);
	return result.photo;
}

/** Nothing of the fixtures' metadata, by bytes and as libvips reads the file. */
async function expectNothingHidden(bytes: Uint8Array) {
	for (const leak of Object.values(LEAKS)) expect(holds(bytes, leak), leak).toBe(false);
	const read = await sharp(bytes).metadata();
	expect(read.exif).toBeUndefined();
	expect(read.xmp).toBeUndefined();
	expect(read.icc).toBeUndefined();
	expect(read.iptc).toBeUndefined();
	expect(read.comments).toBeUndefined();
	expect(read.orientation).toBeUndefined();
}

describe('the fixtures', () => {
	it('hold what the tests say is taken out (or the tests would prove nothing)', async () => {
		const jpeg = await jpegWithGps(64, 48);
		const read = await sharp(jpeg).metadata();
		expect(read.orientation).toBe(6);
		expect(read.exif && holds(read.exif, LEAKS.gps)).toBe(true);
		expect(read.xmp && holds(read.xmp, LEAKS.xmp)).toBe(true);
		for (const leak of [LEAKS.camera, LEAKS.comment, LEAKS.trailer]) {
			expect(holds(jpeg, leak), leak).toBe(true);
		}
		const png = pngWithText();
		const comments = (await sharp(png).metadata()).comments ?? [];
		expect(comments.map((c) => c.text).join(' ')).toContain(LEAKS.pngText);
		expect(holds(png, LEAKS.pngInternational)).toBe(true);
	});
});

describe('checkPhoto', () => {
	it('re-encodes a phone JPEG with GPS: a WebP at most 1280 px, a full-size JPEG, no metadata, turned the right way', async () => {
		const jpeg = await jpegWithGps(2000, 1500);
		const photo = await accepted({ bytes: jpeg, declaredType: 'image/jpeg', filename: 'IMG.JPG' });
		// Orientation 6: stored 2000 × 1500, shown 1500 wide and 2000 high.
		expect(photo.phone).toMatchObject({ mediaType: 'image/webp', width: 960, height: 1280 });
		expect(photo.full).toMatchObject({ mediaType: 'image/jpeg', width: 1500, height: 2000 });
		expect(Math.max(photo.phone.width, photo.phone.height)).toBeLessThanOrEqual(PHONE_PHOTO_SIDE);
		const phone = await sharp(photo.phone.bytes).metadata();
		expect([phone.format, phone.width, phone.height]).toEqual(['webp', 960, 1280]);
		const full = await sharp(photo.full.bytes).metadata();
		expect([full.format, full.width, full.height]).toEqual(['jpeg', 1500, 2000]);
		await expectNothingHidden(photo.phone.bytes);
		await expectNothingHidden(photo.full.bytes);
		// Never the uploaded bytes, even in part.
		expect(Buffer.from(photo.full.bytes).equals(jpeg)).toBe(false);
	});

	it('re-encodes a PNG with text chunks and bytes after its end: no text survives', async () => {
		const png = pngWithText(4, 3);
		const photo = await accepted({ bytes: png, declaredType: 'image/png', filename: 'me.png' });
		// Small photos are not made bigger.
		expect(photo.phone).toMatchObject({ mediaType: 'image/webp', width: 4, height: 3 });
		expect(photo.full).toMatchObject({ mediaType: 'image/png', width: 4, height: 3 });
		await expectNothingHidden(photo.phone.bytes);
		await expectNothingHidden(photo.full.bytes);
		// The picture itself is kept: the stripes are still there.
		const { data } = await sharp(photo.full.bytes).raw().toBuffer({ resolveWithObject: true });
		expect([data[0], data[4 * 3]]).toEqual([0xc0, 0x30]);
	});

	it('re-encodes a WebP, dropping its EXIF', async () => {
		const webp = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#123' } })
			.withExif({ IFD0: { Make: LEAKS.camera } })
			.webp()
			.toBuffer();
		expect(holds(webp, LEAKS.camera)).toBe(true);
		const photo = await accepted({ bytes: webp, declaredType: 'image/webp', filename: 'a.webp' });
		expect(photo.full).toMatchObject({ mediaType: 'image/webp', width: 30, height: 20 });
		await expectNothingHidden(photo.phone.bytes);
		await expectNothingHidden(photo.full.bytes);
	});

	it('refuses a photo claiming more pixels than we take, before decoding it', async () => {
		for (const [width, height] of [
			[20_000, 1],
			[8_000, 7_000]
		] as const) {
			const result = await checkPhoto({
				bytes: pngClaiming(width, height),
				declaredType: 'image/png',
				filename: 'wide.png'
			});
			expect(result, `${width} × ${height}`).toMatchObject({
				ok: false,
				reason: 'too-many-pixels'
			});
			if (!result.ok) expect(result.message).toMatch(/too many pixels/);
		}
	});

	it('refuses a damaged photo: a JPEG cut short, a PNG whose pixels do not match its header', async () => {
		const jpeg = await jpegWithGps(64, 48);
		expect(
			await checkPhoto({
				bytes: jpeg.subarray(0, jpeg.length / 2),
				declaredType: 'image/jpeg',
				filename: 'a.jpg'
			})
		).toMatchObject({ ok: false, reason: 'damaged' });
		expect(
			await checkPhoto({
				bytes: pngClaiming(300, 200),
				declaredType: 'image/png',
				filename: 'a.png'
			})
		).toMatchObject({ ok: false, reason: 'damaged' });
	});

	it('refuses a file over the limit, saying the limit', async () => {
		const big = new Uint8Array(MAX_PHOTO_BYTES + 1);
		big.set(pngWithText());
		const result = await checkPhoto({ bytes: big, declaredType: 'image/png', filename: 'big.png' });
		expect(result).toEqual({ ok: false, reason: 'too-big', message: PHOTO_MESSAGES['too-big'] });
		expect(PHOTO_MESSAGES['too-big']).toContain('5 MB');
		// Exactly at the limit is not "too big" (it fails later, as damaged, being mostly zeros).
		const atLimit = await checkPhoto({
			bytes: big.subarray(0, MAX_PHOTO_BYTES),
			declaredType: 'image/png',
			filename: 'big.png'
		});
		expect(atLimit.ok ? 'ok' : atLimit.reason).not.toBe('too-big');
	});

	it('refuses SVG however it arrives, with its own message', async () => {
		const png = pngWithText();
		const svg = enc.encode(
			'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
		);
		const cases = [
			{ bytes: svg, declaredType: 'image/svg+xml', filename: 'a.svg' },
			{ bytes: svg, declaredType: 'image/png', filename: 'a.png' },
			{ bytes: enc.encode('\ufeff  <?xml version="1.0"?><svg/>'), declaredType: '', filename: 'x' },
			{ bytes: png, declaredType: 'image/svg+xml', filename: 'a.png' },
			{ bytes: png, declaredType: 'image/png', filename: 'drawing.svg' }
		];
		for (const c of cases) {
			expect(await checkPhoto(c), `${c.declaredType} ${c.filename}`).toMatchObject({
				ok: false,
				reason: 'svg'
			});
		}
		expect(PHOTO_MESSAGES.svg).toMatch(/SVG/);
		expect(looksLikeSvg(png)).toBe(false);
	});

	it('refuses bytes that do not match the type or name they claim, and formats we do not take', async () => {
		const png = pngWithText();
		const text = enc.encode('just some words, not a picture');
		expect(
			await checkPhoto({ bytes: text, declaredType: 'image/png', filename: 'cat.png' })
		).toEqual({ ok: false, reason: 'mismatch', message: PHOTO_MESSAGES.mismatch });
		// A real JPEG called a PNG, by name or by type.
		const jpeg = await jpegWithGps(64, 48);
		for (const [declaredType, filename, bytes] of [
			['image/png', 'a.png', jpeg],
			['', 'a.png', jpeg],
			['image/jpeg', 'a', png]
		] as const) {
			expect(await checkPhoto({ bytes, declaredType, filename })).toMatchObject({
				reason: 'mismatch'
			});
		}
		// Not claiming to be a photo at all; and a real GIF and TIFF, which libvips could read.
		const gif = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } })
			.gif()
			.toBuffer();
		const tiff = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } })
			.tiff()
			.toBuffer();
		for (const [bytes, declaredType, filename] of [
			[text, 'text/plain', 'notes.txt'],
			[gif, 'image/gif', 'a.gif'],
			[tiff, '', 'scan.tif']
		] as const) {
			expect(await checkPhoto({ bytes, declaredType, filename }), filename).toMatchObject({
				reason: 'not-a-photo'
			});
		}
	});

	it('asks for a photo when the file is empty', async () => {
		expect(
			await checkPhoto({
				bytes: new Uint8Array(),
				declaredType: 'application/octet-stream',
				filename: ''
			})
		).toMatchObject({ ok: false, reason: 'missing' });
	});
});
