/**
 * Checking and cleaning photos before they go into a young person's story. Everything here works
 * on the bytes alone (no native image library): the declared type and file name are only claims,
 * and must agree with what the bytes are.
 *
 * What must stay true:
 * - Nothing over MAX_PHOTO_BYTES is accepted.
 * - Only JPEG, PNG and WebP whose bytes start as those formats do; never SVG (it can carry script)
 *   or anything that merely calls itself an image.
 * - Metadata that can identify a child or where they live (EXIF with GPS, XMP, IPTC, comments,
 *   thumbnails, ICC profiles, PNG text and time chunks, private chunks…) is removed before the
 *   photo is stored: only what is needed to show the picture is kept (an allowlist per format).
 *   A JPEG gets back only its EXIF orientation, rewritten from scratch, so phone photos are not
 *   shown sideways.
 * - A photo may not claim more than 16,384 pixels on a side or 50 million in all.
 */

import { m } from '$lib/paraglide/messages.js';

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
 * picture, which would use up the memory of every phone it is shown on.
 */
export const MAX_PHOTO_SIDE = 16_384;
export const MAX_PHOTO_PIXELS = 50_000_000;

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

/** A photo that passed every check, with its metadata already removed. */
export interface CleanPhoto {
	mediaType: PhotoType;
	bytes: Uint8Array;
	width: number | null;
	height: number | null;
}

export type PhotoCheck =
	{ ok: true; photo: CleanPhoto } | { ok: false; reason: PhotoRefusal; message: string };

/** Thrown by the format parsers when the bytes are not a well-formed image. */
export class DamagedPhotoError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DamagedPhotoError';
	}
}

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

/**
 * Checks one uploaded file and returns it cleaned, or the reason it was refused (with the words
 * to show). Order matters: size first (cheapest, and the message people most need), then SVG
 * (its own message, whatever it claims to be), then type against bytes, then parsing.
 */
export function checkPhoto(file: {
	bytes: Uint8Array;
	declaredType: string;
	filename: string;
}): PhotoCheck {
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
		const clean = stripMetadata(actual, bytes);
		const { width, height } = clean;
		if (
			width === null ||
			height === null ||
			width > MAX_PHOTO_SIDE ||
			height > MAX_PHOTO_SIDE ||
			width * height > MAX_PHOTO_PIXELS
		) {
			return refuse(width === null || height === null ? 'damaged' : 'too-many-pixels');
		}
		return { ok: true, photo: { mediaType: actual, ...clean } };
	} catch (e) {
		if (e instanceof DamagedPhotoError) return refuse('damaged');
		throw e;
	}
}

/** The photo without its metadata, and its size in pixels when the format says it cheaply. */
export function stripMetadata(
	type: PhotoType,
	bytes: Uint8Array
): { bytes: Uint8Array; width: number | null; height: number | null } {
	if (type === 'image/jpeg') return stripJpeg(bytes);
	if (type === 'image/png') return stripPng(bytes);
	return stripWebp(bytes);
}

// JPEG -------------------------------------------------------------------------------------------

const SOF_MARKERS = new Set([
	0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf
]);

/** Segments a decoder needs: frame, Huffman and quantisation tables, restart interval, scans. */
const JPEG_IMAGE_MARKERS = new Set([...SOF_MARKERS, 0xc4, 0xcc, 0xdb, 0xdd, 0xda, 0xdc]);

/**
 * Only what is needed to show the picture stays (an allowlist, so metadata in segments nobody
 * thought of goes too): the image segments above, and Adobe's 12-byte APP14 colour-transform
 * note (no personal data; without it some colours come out wrong). Everything else goes: JFIF
 * APP0 (it can hold a thumbnail of the uncropped photo), EXIF, XMP, ICC, IPTC, maker data,
 * comments and reserved segments.
 */
function keepJpegSegment(marker: number, body: Uint8Array): boolean {
	if (JPEG_IMAGE_MARKERS.has(marker)) return true;
	return marker === 0xee && body.length === 12 && ascii(body, 0, 5) === 'Adobe';
}

/**
 * Keeps only the segments needed to show the picture (keepJpegSegment), drops anything after
 * the end marker (some phones append more images or metadata there), and puts back only the
 * EXIF orientation, written from scratch.
 */
export function stripJpeg(bytes: Uint8Array): {
	bytes: Uint8Array;
	width: number | null;
	height: number | null;
} {
	const out: Uint8Array[] = [bytes.subarray(0, 2)];
	let width: number | null = null;
	let height: number | null = null;
	let orientation: number | null = null;
	let i = 2;
	let ended = false;
	while (i < bytes.length) {
		if (bytes[i] !== 0xff) throw new DamagedPhotoError(`JPEG: expected a marker at ${i}`);
		while (bytes[i] === 0xff) i++; // fill bytes before a marker
		if (i >= bytes.length) break;
		const marker = bytes[i++] ?? 0;
		if (marker === 0xd9) {
			out.push(Uint8Array.of(0xff, 0xd9));
			ended = true;
			break;
		}
		if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
			out.push(Uint8Array.of(0xff, marker));
			continue;
		}
		if (i + 2 > bytes.length) throw new DamagedPhotoError('JPEG: segment cut short');
		const length = ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
		if (length < 2 || i + length > bytes.length) {
			throw new DamagedPhotoError('JPEG: segment length out of range');
		}
		const body = bytes.subarray(i + 2, i + length);
		if (marker === 0xe1 && orientation === null) orientation = exifOrientation(body);
		if (keepJpegSegment(marker, body)) {
			out.push(Uint8Array.of(0xff, marker), bytes.subarray(i, i + length));
		}
		if (SOF_MARKERS.has(marker) && body.length >= 5) {
			height = ((body[1] ?? 0) << 8) | (body[2] ?? 0);
			width = ((body[3] ?? 0) << 8) | (body[4] ?? 0);
		}
		i += length;
		if (marker === 0xda) {
			// Entropy-coded data runs until a marker that is not a stuffed 0xFF00 or a restart.
			const start = i;
			while (i < bytes.length) {
				if (bytes[i] === 0xff) {
					const next = bytes[i + 1];
					if (next === 0x00 || (next !== undefined && next >= 0xd0 && next <= 0xd7)) {
						i += 2;
						continue;
					}
					break;
				}
				i++;
			}
			out.push(bytes.subarray(start, i));
		}
	}
	if (!ended) throw new DamagedPhotoError('JPEG: no end of image');
	if (orientation !== null && orientation !== 1) {
		// Right after SOI (JFIF's APP0, which would have to come first, is gone).
		out.splice(1, 0, orientationSegment(orientation));
	}
	return { bytes: concat(out), width: width || null, height: height || null };
}

/** The EXIF orientation (1–8) in an APP1 body, or null if there is none or it is unreadable. */
function exifOrientation(body: Uint8Array): number | null {
	if (body.length < 14 || ascii(body, 0, 6) !== 'Exif\0\0') return null;
	const tiff = body.subarray(6);
	const little = ascii(tiff, 0, 2) === 'II';
	if (!little && ascii(tiff, 0, 2) !== 'MM') return null;
	const u16 = (at: number) =>
		little
			? (tiff[at] ?? 0) | ((tiff[at + 1] ?? 0) << 8)
			: ((tiff[at] ?? 0) << 8) | (tiff[at + 1] ?? 0);
	const u32 = (at: number) =>
		little ? u16(at) + u16(at + 2) * 0x10000 : u16(at) * 0x10000 + u16(at + 2);
	const ifd = u32(4);
	if (ifd + 2 > tiff.length) return null;
	const count = u16(ifd);
	for (let n = 0; n < count; n++) {
		const entry = ifd + 2 + n * 12;
		if (entry + 12 > tiff.length) return null;
		if (u16(entry) === 0x0112) {
			const value = u16(entry + 8);
			return value >= 1 && value <= 8 ? value : null;
		}
	}
	return null;
}

/** A minimal APP1 EXIF segment holding nothing but the orientation. */
function orientationSegment(orientation: number): Uint8Array {
	const tiff = [
		0x4d,
		0x4d,
		0x00,
		0x2a,
		0x00,
		0x00,
		0x00,
		0x08, // big-endian TIFF, IFD0 at offset 8
		0x00,
		0x01, // one entry
		0x01,
		0x12,
		0x00,
		0x03,
		0x00,
		0x00,
		0x00,
		0x01,
		0x00,
		orientation,
		0x00,
		0x00, // Orientation, SHORT, 1
		0x00,
		0x00,
		0x00,
		0x00 // no next IFD
	];
	const body = [...new TextEncoder().encode('Exif\0\0'), ...tiff];
	const length = body.length + 2;
	return Uint8Array.from([0xff, 0xe1, length >> 8, length & 0xff, ...body]);
}

// PNG --------------------------------------------------------------------------------------------

/**
 * The chunks needed to show the picture as it was meant: an allowlist, so text, EXIF, time, ICC
 * profiles, private chunks and anything else that could carry metadata go.
 */
const PNG_IMAGE_CHUNKS = new Set([
	'IHDR',
	'PLTE',
	'IDAT',
	'IEND',
	'tRNS',
	'gAMA',
	'cHRM',
	'sRGB',
	'sBIT',
	'pHYs',
	'bKGD'
]);

/** Keeps only the PNG chunks needed to show the picture; drops anything after IEND. */
export function stripPng(bytes: Uint8Array): {
	bytes: Uint8Array;
	width: number | null;
	height: number | null;
} {
	const out: Uint8Array[] = [bytes.subarray(0, 8)];
	let i = 8;
	let width: number | null = null;
	let height: number | null = null;
	let ended = false;
	while (i + 12 <= bytes.length) {
		const length = readU32BE(bytes, i);
		const type = ascii(bytes, i + 4, 4);
		if (!/^[A-Za-z]{4}$/.test(type)) throw new DamagedPhotoError('PNG: bad chunk type');
		const end = i + 12 + length;
		if (end > bytes.length) throw new DamagedPhotoError('PNG: chunk cut short');
		if (i === 8) {
			if (type !== 'IHDR' || length < 8) throw new DamagedPhotoError('PNG: no IHDR first');
			width = readU32BE(bytes, i + 8);
			height = readU32BE(bytes, i + 12);
		}
		if (PNG_IMAGE_CHUNKS.has(type)) out.push(bytes.subarray(i, end));
		i = end;
		if (type === 'IEND') {
			ended = true;
			break;
		}
	}
	if (!ended) throw new DamagedPhotoError('PNG: no IEND');
	return { bytes: concat(out), width: width || null, height: height || null };
}

// WebP -------------------------------------------------------------------------------------------

/** The WebP chunks needed to show the picture (an allowlist: EXIF, XMP, ICC and the rest go). */
const WEBP_IMAGE_CHUNKS = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF']);

/**
 * Keeps only the WebP chunks needed to show the picture, clearing VP8X's ICC, EXIF and XMP flags
 * so readers do not look for them. Width and height come from VP8X, VP8 or VP8L.
 */
export function stripWebp(bytes: Uint8Array): {
	bytes: Uint8Array;
	width: number | null;
	height: number | null;
} {
	if (bytes.length < 20) throw new DamagedPhotoError('WebP: too short');
	const riffEnd = Math.min(bytes.length, 8 + readU32LE(bytes, 4));
	const chunks: Uint8Array[] = [];
	let width: number | null = null;
	let height: number | null = null;
	let i = 12;
	while (i + 8 <= riffEnd) {
		const type = ascii(bytes, i, 4);
		const length = readU32LE(bytes, i + 4);
		const end = i + 8 + length + (length % 2); // chunks are padded to an even length
		if (end > riffEnd) throw new DamagedPhotoError('WebP: chunk cut short');
		const data = bytes.subarray(i + 8, i + 8 + length);
		if (type === 'VP8X' && data.length >= 10) {
			const copy = bytes.slice(i, end);
			copy[8] = (copy[8] ?? 0) & ~0x2c; // clear the ICC (0x20), EXIF (0x08) and XMP (0x04) flags
			chunks.push(copy);
			width = 1 + ((data[4] ?? 0) | ((data[5] ?? 0) << 8) | ((data[6] ?? 0) << 16));
			height = 1 + ((data[7] ?? 0) | ((data[8] ?? 0) << 8) | ((data[9] ?? 0) << 16));
		} else if (WEBP_IMAGE_CHUNKS.has(type)) {
			chunks.push(bytes.subarray(i, end));
			if (width === null && type === 'VP8 ' && data.length >= 10) {
				width = ((data[6] ?? 0) | ((data[7] ?? 0) << 8)) & 0x3fff;
				height = ((data[8] ?? 0) | ((data[9] ?? 0) << 8)) & 0x3fff;
			} else if (width === null && type === 'VP8L' && data.length >= 5 && data[0] === 0x2f) {
				const bits =
					(data[1] ?? 0) | ((data[2] ?? 0) << 8) | ((data[3] ?? 0) << 16) | ((data[4] ?? 0) << 24);
				width = (bits & 0x3fff) + 1;
				height = ((bits >>> 14) & 0x3fff) + 1;
			}
		}
		i = end;
	}
	if (chunks.length === 0) throw new DamagedPhotoError('WebP: no chunks');
	const body = concat(chunks);
	const header = new Uint8Array(12);
	header.set(bytes.subarray(0, 4), 0);
	new DataView(header.buffer).setUint32(4, body.length + 4, true);
	header.set(bytes.subarray(8, 12), 8);
	return { bytes: concat([header, body]), width: width || null, height: height || null };
}

// Bytes ------------------------------------------------------------------------------------------

function ascii(bytes: Uint8Array, at: number, length: number): string {
	return String.fromCharCode(...bytes.subarray(at, at + length));
}

function readU32BE(bytes: Uint8Array, at: number): number {
	return (
		((bytes[at] ?? 0) * 0x1000000 +
			(((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0))) >>>
		0
	);
}

function readU32LE(bytes: Uint8Array, at: number): number {
	return (
		((bytes[at + 3] ?? 0) * 0x1000000 +
			(((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 1] ?? 0) << 8) | (bytes[at] ?? 0))) >>>
		0
	);
}

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}
