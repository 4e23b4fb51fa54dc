import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
	checkPhoto,
	looksLikeSvg,
	MAX_PHOTO_BYTES,
	PHOTO_MESSAGES,
	sniffPhotoType,
	stripJpeg,
	stripPng,
	stripWebp
} from './photos';

const enc = new TextEncoder();

function bytesOf(...parts: (number[] | Uint8Array | string)[]): Uint8Array {
	const arrays = parts.map((p) =>
		typeof p === 'string' ? enc.encode(p) : p instanceof Uint8Array ? p : Uint8Array.from(p)
	);
	const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
	let at = 0;
	for (const a of arrays) {
		out.set(a, at);
		at += a.length;
	}
	return out;
}

function contains(haystack: Uint8Array, needle: Uint8Array | string): boolean {
	const n = typeof needle === 'string' ? enc.encode(needle) : needle;
	outer: for (let i = 0; i + n.length <= haystack.length; i++) {
		for (let j = 0; j < n.length; j++) if (haystack[i + j] !== n[j]) continue outer;
		return true;
	}
	return false;
}

/** One JPEG segment: marker and a body, with its length written as JPEG does. */
function segment(marker: number, body: Uint8Array | number[] | string): Uint8Array {
	const b = bytesOf(body);
	return bytesOf([0xff, marker, (b.length + 2) >> 8, (b.length + 2) & 0xff], b);
}

/**
 * An EXIF APP1 body (little-endian TIFF, as phones write it) with an orientation in IFD0 and a
 * GPS IFD holding latitude "51 deg N" and a camera make, so there is something to leak.
 */
function exifBody(orientation: number): Uint8Array {
	const le16 = (n: number) => [n & 0xff, n >> 8];
	const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
	// IFD0 at 8: 3 entries (Make -> offset 50, Orientation, GPS IFD pointer -> 60), next 0.
	const ifd0 = [
		...le16(3),
		...[...le16(0x010f), ...le16(2), ...le32(10), ...le32(50)],
		...[...le16(0x0112), ...le16(3), ...le32(1), ...le16(orientation), 0, 0],
		...[...le16(0x8825), ...le16(4), ...le32(1), ...le32(60)],
		...le32(0)
	];
	const make = [...enc.encode('PhoneCo\0\0\0')]; // at 50
	// GPS IFD at 60: GPSLatitudeRef 'N', GPSLatitude -> 86.
	const gps = [
		...le16(2),
		...[...le16(0x0001), ...le16(2), ...le32(2), 0x4e, 0, 0, 0],
		...[...le16(0x0002), ...le16(5), ...le32(3), ...le32(86)],
		...le32(0)
	];
	const latitude = [...le32(51), ...le32(1), ...le32(30), ...le32(1), ...le32(1234), ...le32(100)];
	const tiff = [0x49, 0x49, 0x2a, 0x00, ...le32(8), ...ifd0, ...make, ...gps, ...latitude];
	return bytesOf('Exif\0\0', tiff);
}

/** A structurally real baseline JPEG: JFIF, EXIF+GPS, XMP, comment, tables, frame, scan, EOI. */
function phoneJpeg(orientation = 6) {
	const scanData = bytesOf([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0x78, 0x9a]);
	const jpeg = bytesOf(
		[0xff, 0xd8],
		// JFIF with a 1x1 thumbnail (a thumbnail can show the uncropped photo).
		segment(0xe0, bytesOf('JFIF\0', [1, 1, 0, 0, 1, 0, 1, 1, 1], 'THUMB')),
		segment(0xe1, exifBody(orientation)),
		segment(0xe2, 'ICC_PROFILE\0desc: taken at Northbridge'),
		segment(0xee, bytesOf('Adobe', [0, 100, 0, 0, 0, 0, 1])),
		segment(0xf0, 'JPG0 reserved: GPS 51.5'),
		segment(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPSLatitude 51.5</x:xmpmeta>'),
		segment(0xed, 'Photoshop 3.0\0IPTC City: Northbridge'),
		segment(0xfe, 'Taken at 12 Acacia Road'),
		segment(0xdb, bytesOf([0], new Uint8Array(64).fill(1))),
		// SOF0: 8-bit, 480 high, 640 wide, 1 component.
		segment(0xc0, [8, 0x01, 0xe0, 0x02, 0x80, 1, 1, 0x11, 0]),
		segment(0xc4, bytesOf([0], new Uint8Array(16), [])),
		segment(0xda, [1, 1, 0, 0, 0x3f, 0]),
		scanData,
		[0xff, 0xd9],
		'trailer: more metadata after the end'
	);
	return { jpeg, scanData };
}

/** A real PNG (decodable: zlib data, CRCs) with a tEXt location, a tIME and an eXIf chunk. */
function pngWithMetadata(width = 2, height = 2): Uint8Array {
	const chunk = (type: string, data: Uint8Array) => {
		const body = bytesOf(type, data);
		const len = new Uint8Array(4);
		new DataView(len.buffer).setUint32(0, data.length);
		const crc = new Uint8Array(4);
		new DataView(crc.buffer).setUint32(0, crc32(body));
		return bytesOf(len, body, crc);
	};
	const ihdr = new Uint8Array(13);
	const view = new DataView(ihdr.buffer);
	view.setUint32(0, width);
	view.setUint32(4, height);
	ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
	const rows = new Uint8Array(height * (1 + width * 3)).fill(200);
	for (let y = 0; y < height; y++) rows[y * (1 + width * 3)] = 0;
	return bytesOf(
		[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
		chunk('IHDR', ihdr),
		chunk('tEXt', enc.encode('Location\0Northbridge Children Home')),
		chunk('tIME', Uint8Array.from([7, 234, 3, 12, 10, 0, 0])),
		chunk('eXIf', exifBody(1)),
		chunk('iCCP', enc.encode('Northbridge profile\0\0')),
		chunk('prIv', enc.encode('GPS 51.5')),
		chunk('IDAT', deflateSync(rows)),
		chunk('iTXt', enc.encode('Comment\0\0\0\0\0Sam at school')),
		chunk('IEND', new Uint8Array()),
		'junk after IEND'
	);
}

describe('stripJpeg', () => {
	it('keeps only what shows the picture: EXIF, XMP, IPTC, ICC, JFIF thumbnail, comments, reserved and trailing data go', () => {
		const { jpeg, scanData } = phoneJpeg();
		// The test only proves something if the metadata was there to begin with.
		expect(contains(jpeg, 'PhoneCo')).toBe(true);
		expect(contains(jpeg, Uint8Array.from([51, 0, 0, 0, 1, 0, 0, 0, 30]))).toBe(true);

		const out = stripJpeg(jpeg);
		for (const leak of [
			'PhoneCo',
			'GPSLatitude',
			'Northbridge',
			'Acacia',
			'trailer',
			'xmpmeta',
			'THUMB',
			'JFIF',
			'ICC_PROFILE',
			'GPS 51.5'
		]) {
			expect(contains(out.bytes, leak), leak).toBe(false);
		}
		// The GPS latitude rational (51/1, 30/1) is gone.
		expect(contains(out.bytes, Uint8Array.from([51, 0, 0, 0, 1, 0, 0, 0, 30]))).toBe(false);
		// Adobe's colour-transform note (12 bytes, nothing personal) stays; so does the image.
		expect(contains(out.bytes, 'Adobe')).toBe(true);
		expect(contains(out.bytes, scanData)).toBe(true);
		expect([...out.bytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
		expect([...out.bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
		expect({ width: out.width, height: out.height }).toEqual({ width: 640, height: 480 });
	});

	it('keeps only the orientation, in a fresh EXIF segment first', () => {
		const out = stripJpeg(phoneJpeg(6).jpeg);
		expect([...out.bytes.subarray(0, 4)]).toEqual([0xff, 0xd8, 0xff, 0xe1]);
		expect(contains(out.bytes, 'Exif\0\0MM')).toBe(true);
		// Orientation tag 0x0112, SHORT, count 1, value 6.
		expect(contains(out.bytes, Uint8Array.from([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6]))).toBe(true);
		// Upright photos need no EXIF at all.
		expect(contains(stripJpeg(phoneJpeg(1).jpeg).bytes, 'Exif')).toBe(false);
	});

	it('refuses a JPEG that is cut short', () => {
		const { jpeg } = phoneJpeg();
		expect(() => stripJpeg(jpeg.subarray(0, 40))).toThrow(/JPEG/);
		expect(
			checkPhoto({ bytes: jpeg.subarray(0, 40), declaredType: 'image/jpeg', filename: 'a.jpg' })
		).toMatchObject({ ok: false, reason: 'damaged' });
	});
});

describe('stripPng', () => {
	it('keeps only the chunks that show the picture: text, time, EXIF, ICC and private chunks go', () => {
		const png = pngWithMetadata(3, 2);
		expect(contains(png, 'Northbridge')).toBe(true);
		const out = stripPng(png);
		for (const gone of [
			'tEXt',
			'tIME',
			'eXIf',
			'iTXt',
			'iCCP',
			'prIv',
			'GPS 51.5',
			'Northbridge',
			'Sam at school',
			'junk'
		]) {
			expect(contains(out.bytes, gone), gone).toBe(false);
		}
		expect(contains(out.bytes, 'IHDR')).toBe(true);
		expect(contains(out.bytes, 'IDAT')).toBe(true);
		expect(contains(out.bytes, 'IEND')).toBe(true);
		expect({ width: out.width, height: out.height }).toEqual({ width: 3, height: 2 });
	});
});

describe('stripWebp', () => {
	it('keeps only the image chunks, clears the ICC, EXIF and XMP flags and fixes the RIFF size', () => {
		const chunk = (type: string, data: Uint8Array) => {
			const len = new Uint8Array(4);
			new DataView(len.buffer).setUint32(0, data.length, true);
			return bytesOf(type, len, data, data.length % 2 ? [0] : []);
		};
		// VP8X: flags ICC|EXIF|XMP, canvas 100 x 50 (stored minus one, 24-bit little-endian).
		const vp8x = Uint8Array.from([0x2c, 0, 0, 0, 99, 0, 0, 49, 0, 0]);
		const body = bytesOf(
			'WEBP',
			chunk('VP8X', vp8x),
			chunk('ICCP', enc.encode('profile from Northbridge')),
			chunk('exif', enc.encode('GPS 51.5')),
			chunk('VP8L', Uint8Array.from([0x2f, 0, 0, 0, 0])),
			chunk('EXIF', exifBody(1)),
			chunk('XMP ', enc.encode('<x:xmpmeta>GPS</x:xmpmeta>'))
		);
		const size = new Uint8Array(4);
		new DataView(size.buffer).setUint32(0, body.length, true);
		const webp = bytesOf('RIFF', size, body);
		expect(sniffPhotoType(webp)).toBe('image/webp');
		const out = stripWebp(webp);
		expect(contains(out.bytes, 'PhoneCo')).toBe(false);
		expect(contains(out.bytes, 'xmpmeta')).toBe(false);
		expect(contains(out.bytes, 'Northbridge')).toBe(false);
		expect(contains(out.bytes, 'GPS 51.5')).toBe(false);
		expect(contains(out.bytes, 'VP8L')).toBe(true);
		expect(out.bytes[20]).toBe(0); // VP8X flags
		expect(new DataView(out.bytes.buffer).getUint32(4, true)).toBe(out.bytes.length - 8);
		expect({ width: out.width, height: out.height }).toEqual({ width: 100, height: 50 });
	});
});

describe('checkPhoto', () => {
	const png = pngWithMetadata();

	it('accepts a PNG, cleaned', () => {
		const result = checkPhoto({ bytes: png, declaredType: 'image/png', filename: 'me.png' });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.photo.mediaType).toBe('image/png');
		expect(contains(result.photo.bytes, 'Northbridge')).toBe(false);
	});

	it('accepts a JPEG named .jpeg sent as image/jpg, cleaned', () => {
		const result = checkPhoto({
			bytes: phoneJpeg().jpeg,
			declaredType: 'image/jpg',
			filename: 'IMG_0001.JPEG'
		});
		expect(result).toMatchObject({ ok: true, photo: { mediaType: 'image/jpeg', width: 640 } });
		if (result.ok) expect(contains(result.photo.bytes, 'PhoneCo')).toBe(false);
	});

	it('refuses a photo claiming more pixels than a phone can show', () => {
		const result = checkPhoto({
			bytes: pngWithMetadata(20_000, 1),
			declaredType: 'image/png',
			filename: 'wide.png'
		});
		expect(result).toMatchObject({ ok: false, reason: 'too-many-pixels' });
		if (!result.ok) expect(result.message).toMatch(/too many pixels/);
	});

	it('refuses a file over the limit, saying the limit', () => {
		const big = new Uint8Array(MAX_PHOTO_BYTES + 1);
		big.set(png);
		const result = checkPhoto({ bytes: big, declaredType: 'image/png', filename: 'big.png' });
		expect(result).toEqual({ ok: false, reason: 'too-big', message: PHOTO_MESSAGES['too-big'] });
		expect(PHOTO_MESSAGES['too-big']).toContain('5 MB');
		// Exactly at the limit is not "too big" (it fails later, as damaged, being mostly zeros).
		const atLimit = checkPhoto({
			bytes: big.subarray(0, MAX_PHOTO_BYTES),
			declaredType: 'image/png',
			filename: 'big.png'
		});
		expect(atLimit.ok ? 'ok' : atLimit.reason).not.toBe('too-big');
	});

	it('refuses SVG however it arrives, with its own message', () => {
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
			expect(checkPhoto(c), `${c.declaredType} ${c.filename}`).toMatchObject({
				ok: false,
				reason: 'svg'
			});
		}
		expect(PHOTO_MESSAGES.svg).toMatch(/SVG/);
		expect(looksLikeSvg(png)).toBe(false);
	});

	it('refuses bytes that do not match the type or name they claim', () => {
		const text = enc.encode('just some words, not a picture');
		expect(checkPhoto({ bytes: text, declaredType: 'image/png', filename: 'cat.png' })).toEqual({
			ok: false,
			reason: 'mismatch',
			message: PHOTO_MESSAGES.mismatch
		});
		// A real JPEG called a PNG, by name or by type.
		const jpeg = phoneJpeg().jpeg;
		expect(checkPhoto({ bytes: jpeg, declaredType: 'image/png', filename: 'a.png' })).toMatchObject(
			{ reason: 'mismatch' }
		);
		expect(checkPhoto({ bytes: jpeg, declaredType: '', filename: 'a.png' })).toMatchObject({
			reason: 'mismatch'
		});
		expect(checkPhoto({ bytes: png, declaredType: 'image/jpeg', filename: 'a' })).toMatchObject({
			reason: 'mismatch'
		});
		// Not claiming to be a photo at all.
		expect(
			checkPhoto({ bytes: text, declaredType: 'text/plain', filename: 'notes.txt' })
		).toMatchObject({ reason: 'not-a-photo' });
		expect(
			checkPhoto({ bytes: enc.encode('GIF89a...'), declaredType: 'image/gif', filename: 'a.gif' })
		).toMatchObject({ reason: 'not-a-photo' });
	});

	it('asks for a photo when the file is empty', () => {
		expect(
			checkPhoto({
				bytes: new Uint8Array(),
				declaredType: 'application/octet-stream',
				filename: ''
			})
		).toMatchObject({ ok: false, reason: 'missing' });
	});
});
