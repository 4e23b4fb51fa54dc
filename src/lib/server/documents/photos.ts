/**
 * Checking and cleaning photos before they go into a young person's story. The declared type
 * and file name are only claims, and must agree with what the bytes are; then libvips (through
 * `sharp`) decodes the picture and writes it out again from its pixels alone.
 *
 * What must stay true:
 * - Nothing over MAX_PHOTO_BYTES is accepted, nor more than MAX_PHOTO_SIDE pixels on a side or
 *   MAX_PHOTO_PIXELS in all (a small file can claim an enormous picture).
 * - Only JPEG, PNG and WebP whose bytes start as those formats do, and which libvips reads as
 *   that format; never SVG (it can carry script) or anything that merely calls itself an image.
 * - The uploaded bytes are never stored or served: only new files encoded from the decoded
 *   pixels. Metadata that can identify a child or where they live (EXIF with GPS, XMP, IPTC,
 *   comments, thumbnails, ICC profiles, PNG text chunks, anything after the image's end) is not
 *   carried over, because nothing is carried over; a file that is a picture and something else
 *   at once comes out as just the picture. The EXIF orientation is applied to the pixels first,
 *   so phone photos are not shown sideways.
 * - Two versions are kept: one at most PHONE_PHOTO_SIDE pixels on its longer side, in WebP,
 *   served by default (what a cheap phone on patchy data downloads), and one at full size in
 *   the uploaded format, served on request.
 */

import sharp, { type Sharp } from 'sharp';
import { m } from '$lib/paraglide/messages.js';

// libvips keeps recent operations and their pixels in memory to reuse them; a child's photo has
// no business staying in this process once it is stored.
sharp.cache(false);

/** 5 MiB: big enough for a phone photo, small enough for a cheap phone on patchy data. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** The same limit as people read it, for messages ("MB" in every language we speak). */
export const MAX_PHOTO_WORDS = '5 MB';

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

/** What an input of type=file may accept (a hint for the picker; the server decides). */
export const PHOTO_ACCEPT = 'image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp';

export type PhotoRefusal =
	'missing' | 'too-big' | 'too-many-pixels' | 'svg' | 'mismatch' | 'not-a-photo' | 'damaged';

/**
 * The most pixels a photo may have, on a side and in all: a small file can claim an enormous
 * picture, which would use up the memory of this server and of every phone it is shown on.
 */
export const MAX_PHOTO_SIDE = 16_384;
export const MAX_PHOTO_PIXELS = 50_000_000;

/** The longer side of the version served by default: sharp on a phone, small to download. */
export const PHONE_PHOTO_SIDE = 1280;
/**
 * The words a young person sees for each refusal (plain words, says what to do next), in the
 * language of the request: each is a getter, read when used (never copy the object).
 */
export const PHOTO_MESSAGES: Readonly<Record<PhotoRefusal, string>> = {
	get missing() {
		return m.photo_missing();
	},
	get 'too-big'() {
		return m.photo_too_big({ max: MAX_PHOTO_WORDS });
	},
	get 'too-many-pixels'() {
		return m.photo_too_many_pixels();
	},
	get svg() {
		return m.photo_svg();
	},
	get mismatch() {
		return m.photo_mismatch();
	},
	get 'not-a-photo'() {
		return m.photo_not_a_photo();
	},
	get damaged() {
		return m.photo_damaged();
	}
};

/** One encoded version of a photo. */
export interface PhotoVersion {
	mediaType: PhotoType;
	bytes: Uint8Array;
	width: number;
	height: number;
}

/**
 * A photo that passed every check, re-encoded from its pixels: the version served by default
 * (WebP, at most PHONE_PHOTO_SIDE on its longer side) and the full-size one.
 */
export interface CleanPhoto {
	phone: PhotoVersion & { mediaType: 'image/webp' };
	full: PhotoVersion;
}

export type PhotoCheck =
	{ ok: true; photo: CleanPhoto } | { ok: false; reason: PhotoRefusal; message: string };

const EXTENSION_TYPES: Record<string, PhotoType> = {
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	jpe: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp'
};

/** The image type a declared media type names, if it names one we take ('image/jpg' too). */
function typeFromDeclared(declared: string): PhotoType | 'svg' | null {
	const type = declared.split(';')[0]?.trim().toLowerCase() ?? '';
	if (type === 'image/svg+xml' || type === 'image/svg') return 'svg';
	if (type === 'image/jpeg' || type === 'image/jpg' || type === 'image/pjpeg') return 'image/jpeg';
	if (type === 'image/png') return 'image/png';
	if (type === 'image/webp') return 'image/webp';
	return null;
}

function extensionOf(filename: string): string {
	const dot = filename.lastIndexOf('.');
	return dot < 0 ? '' : filename.slice(dot + 1).toLowerCase();
}

/** What the bytes are, from their first bytes (magic numbers), or null. */
export function sniffPhotoType(bytes: Uint8Array): PhotoType | null {
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
		return 'image/jpeg';
	}
	const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
	if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'image/png';
	if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
		return 'image/webp';
	}
	return null;
}

/**
 * Does this look like SVG (or any XML/HTML) whatever it is called? Text that starts with `<`
 * after an optional byte-order mark and white space is never a photo.
 */
export function looksLikeSvg(bytes: Uint8Array): boolean {
	let i = 0;
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
	while (i < bytes.length && i < 1024 && [0x09, 0x0a, 0x0d, 0x20].includes(bytes[i] ?? -1)) i++;
	if (bytes[i] === 0x3c) return true;
	// UTF-16 text ("<" as 3C 00 or 00 3C after a BOM) is no photo either.
	if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
		return bytes[2] === 0x3c || bytes[3] === 0x3c;
	}
	return false;
}

/** libvips's name for each format we take. */
const VIPS_FORMAT: Record<PhotoType, string> = {
	'image/jpeg': 'jpeg',
	'image/png': 'png',
	'image/webp': 'webp'
};

/** Thrown by sharp for input it cannot decode: the file is damaged (or is not what it says). */
function isDecodeError(e: unknown): boolean {
	return e instanceof Error && !(e instanceof TypeError) && !(e instanceof RangeError);
}

/** The pipeline every version starts from: orientation applied, pixel limits on, strict decoding. */
function decode(bytes: Uint8Array) {
	return sharp(bytes, {
		autoOrient: true,
		// Refuses before decoding anything that claims more pixels than we take.
		limitInputPixels: MAX_PHOTO_PIXELS,
		// A file cut short or with broken pixel data is refused, not shown half grey; the
		// harmless warnings some phone cameras' files raise ('warning' would refuse those).
		failOn: 'error',
		// Only the first frame of an animated WebP or PNG: a photo is one picture.
		pages: 1
	});
}

/**
 * The full-size version, in the uploaded format where it fits under MAX_PHOTO_BYTES (the table's
 * limit too). Re-encoding can make a file bigger than it came (a PNG squeezed harder than libvips
 * squeezes, a JPEG saved at low quality); then WebP, then a plainer JPEG, at the same size in
 * pixels. Null when nothing fits.
 */
async function fullVersion(bytes: Uint8Array, type: PhotoType): Promise<PhotoVersion | null> {
	const attempts: { mediaType: PhotoType; encode: (s: Sharp) => Sharp }[] = [
		type === 'image/jpeg'
			? { mediaType: 'image/jpeg', encode: (s) => s.jpeg({ quality: 90, mozjpeg: true }) }
			: type === 'image/png'
				? { mediaType: 'image/png', encode: (s) => s.png({ compressionLevel: 9 }) }
				: { mediaType: 'image/webp', encode: (s) => s.webp({ quality: 90 }) },
		{ mediaType: 'image/webp', encode: (s) => s.webp({ quality: 80 }) },
		{
			mediaType: 'image/jpeg',
			encode: (s) => s.flatten({ background: '#ffffff' }).jpeg({ quality: 75, mozjpeg: true })
		}
	];
	for (const attempt of attempts) {
		const { data, info } = await attempt
			.encode(decode(bytes))
			.toBuffer({ resolveWithObject: true });
		if (data.length <= MAX_PHOTO_BYTES) {
			return {
				mediaType: attempt.mediaType,
				bytes: new Uint8Array(data),
				width: info.width,
				height: info.height
			};
		}
	}
	return null;
}

/** The version served by default: WebP, at most PHONE_PHOTO_SIDE on its longer side. */
async function phoneVersion(bytes: Uint8Array): Promise<CleanPhoto['phone']> {
	const { data, info } = await decode(bytes)
		.resize({
			width: PHONE_PHOTO_SIDE,
			height: PHONE_PHOTO_SIDE,
			fit: 'inside',
			withoutEnlargement: true
		})
		.webp({ quality: 80 })
		.toBuffer({ resolveWithObject: true });
	return {
		mediaType: 'image/webp',
		bytes: new Uint8Array(data),
		width: info.width,
		height: info.height
	};
}

/**
 * Checks one uploaded file and returns it re-encoded, or the reason it was refused (with the
 * words to show). Order matters: size first (cheapest, and the message people most need), then
 * SVG (its own message, whatever it claims to be), then type against bytes, then the picture's
 * size in pixels from its header, and only then decoding.
 */
export async function checkPhoto(file: {
	bytes: Uint8Array;
	declaredType: string;
	filename: string;
}): Promise<PhotoCheck> {
	const refuse = (reason: PhotoRefusal): PhotoCheck => ({
		ok: false,
		reason,
		message: PHOTO_MESSAGES[reason]
	});
	const { bytes } = file;
	if (bytes.length === 0) return refuse('missing');
	if (bytes.length > MAX_PHOTO_BYTES) return refuse('too-big');
	const declared = typeFromDeclared(file.declaredType);
	const extension = extensionOf(file.filename);
	if (declared === 'svg' || extension === 'svg' || extension === 'svgz' || looksLikeSvg(bytes)) {
		return refuse('svg');
	}
	const claimed = [declared, EXTENSION_TYPES[extension] ?? null].filter(
		(t): t is PhotoType => t !== null
	);
	const actual = sniffPhotoType(bytes);
	if (actual === null) return refuse(claimed.length > 0 ? 'mismatch' : 'not-a-photo');
	if (claimed.some((t) => t !== actual)) return refuse('mismatch');
	try {
		const header = await sharp(bytes).metadata();
		if (header.format !== VIPS_FORMAT[actual]) return refuse('damaged');
		const { width, height } = header;
		if (width > MAX_PHOTO_SIDE || height > MAX_PHOTO_SIDE || width * height > MAX_PHOTO_PIXELS) {
			return refuse('too-many-pixels');
		}
		// One after the other: a 50-megapixel photo decoded twice at once would hold twice the
		// memory (the phone version of a JPEG or WebP decodes at a fraction of its size).
		const phone = await phoneVersion(bytes);
		const full = await fullVersion(bytes, actual);
		if (!full) return refuse('too-big');
		return { ok: true, photo: { phone, full } };
	} catch (e) {
		if (isDecodeError(e)) return refuse('damaged');
		throw e;
	}
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
	return String.fromCharCode(...bytes.subarray(at, at + length));
}
