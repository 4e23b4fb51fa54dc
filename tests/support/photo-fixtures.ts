/**
 * Photos with something to leak, as phones and editors make them, for the tests that prove an
 * upload keeps none of it: a JPEG with EXIF (camera, GPS position), XMP, a comment and bytes
 * after its end; a PNG with text chunks (tEXt, iTXt) and bytes after its end. Each holds
 * marker words (LEAKS) that must never be found in anything stored or served.
 */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** Words hidden in the fixtures' metadata; none may survive an upload. */
export const LEAKS = {
	camera: 'PhoneCo',
	gps: 'Acacia Road',
	xmp: 'Northbridge',
	comment: 'Taken at Flat 3',
	trailer: 'after the end',
	pngText: 'Riverside Court',
	pngInternational: 'Sam at school'
} as const;

/** Does `bytes` hold `text` anywhere? */
export function holds(bytes: Uint8Array, text: string): boolean {
	return Buffer.from(bytes).includes(Buffer.from(text, 'latin1'));
}

/**
 * A phone-style JPEG, `width` × `height` as stored, with EXIF orientation 6 (so it shows turned a
 * quarter: `height` wide), camera make, a GPS position, XMP, a comment segment and a trailer.
 */
export async function jpegWithGps(width = 2000, height = 1500): Promise<Buffer> {
	const jpeg = await sharp({
		create: { width, height, channels: 3, background: '#3a7f5c' }
	})
		.withExif({
			IFD0: { Make: LEAKS.camera, Model: 'Nine' },
			// IFD3 is the GPS directory: latitude 51° 30' 12.34" N, and a place name.
			IFD3: {
				GPSLatitudeRef: 'N',
				GPSLatitude: '51/1 30/1 1234/100',
				GPSMapDatum: `WGS-84 ${LEAKS.gps}`
			}
		})
		.withMetadata({ orientation: 6 })
		.withXmp(
			`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>${LEAKS.xmp}</rdf:Description></rdf:RDF></x:xmpmeta>`
		)
		.jpeg()
		.toBuffer();
	// A comment segment (FF FE) straight after the start marker, and words after the end marker.
	const text = Buffer.from(LEAKS.comment, 'latin1');
	const comment = Buffer.concat([
		Buffer.from([0xff, 0xfe, (text.length + 2) >> 8, (text.length + 2) & 0xff]),
		text
	]);
	return Buffer.concat([
		jpeg.subarray(0, 2),
		comment,
		jpeg.subarray(2),
		Buffer.from(LEAKS.trailer, 'latin1')
	]);
}

function pngChunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/**
 * A real RGB PNG (zlib data, CRCs) of `width` × `height`, with text chunks before and after
 * the picture (tEXt, iTXt) and words appended after its end. A picture of stripes, so it is not blank.
 */
export function pngWithText(width = 4, height = 3): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
	const stride = 1 + width * 3;
	const rows = Buffer.alloc(height * stride);
	for (let y = 0; y < height; y++) {
		rows[y * stride] = 0;
		rows.fill(y % 2 ? 0x30 : 0xc0, y * stride + 1, (y + 1) * stride);
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('tEXt', Buffer.from(`Location\0Flat 3, ${LEAKS.pngText}`, 'latin1')),
		pngChunk('IDAT', deflateSync(rows)),
		pngChunk('iTXt', Buffer.from(`Comment\0\0\0\0\0${LEAKS.pngInternational}`, 'latin1')),
		pngChunk('IEND', Buffer.alloc(0)),
		Buffer.from(LEAKS.trailer, 'latin1')
	]);
}

/** A PNG whose header claims `width` × `height` (its pixel data is a single row: never decoded). */
export function pngClaiming(width: number, height: number): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit grey
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(Buffer.alloc(1 + width))),
		pngChunk('IEND', Buffer.alloc(0))
	]);
}
