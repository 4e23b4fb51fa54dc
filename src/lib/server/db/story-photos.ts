import type { Tx } from './index';
import type { CleanPhoto } from '$lib/server/documents/photos';

/**
 * A story's photos the caller may see (RLS: everyone the story is shared with, and the young
 * person), oldest first. Never the bytes: those are fetched one at a time by photoBytes.
 */
export async function photosOf(tx: Tx, documentId: string) {
	return tx
		.selectFrom('story_photos')
		.select([
			'id',
			'alt_text',
			'caption',
			'width',
			'height',
			'phone_width',
			'phone_height',
			'created_at'
		])
		.where('document_id', '=', documentId)
		.orderBy('created_at')
		.orderBy('id')
		.execute();
}

/**
 * One photo's bytes and type, if the caller may see it and it belongs to this story: the phone
 * version (WebP, at most 1280 px) unless `size` is 'full'. A photo stored before there were
 * phone versions has only its full-size one, which is what it gets either way. Only the bytes
 * served are read: the full-size file (up to 5 MiB) is not fetched to show the phone one.
 */
export async function photoBytes(
	tx: Tx,
	documentId: string,
	photoId: string,
	size: 'phone' | 'full' = 'phone'
): Promise<{ media_type: string; bytes: Uint8Array } | undefined> {
	return tx
		.selectFrom('story_photos')
		.select((eb) =>
			size === 'full'
				? ['media_type', 'bytes']
				: [
						eb
							.case()
							.when('phone_bytes', 'is', null)
							.then(eb.ref('media_type'))
							.else(eb.val('image/webp'))
							.end()
							.as('media_type'),
						eb.fn.coalesce('phone_bytes', 'bytes').as('bytes')
					]
		)
		.where('id', '=', photoId)
		.where('document_id', '=', documentId)
		.executeTakeFirst();
}

/**
 * Adds a photo that has already passed checkPhoto (size, type, re-encoded from its pixels):
 * take a CleanPhoto, never raw upload bytes. RLS lets only the young person add to their own
 * story.
 */
export async function addPhoto(
	tx: Tx,
	photo: {
		documentId: string;
		uploadedBy: string;
		clean: CleanPhoto;
		altText: string;
		caption: string | null;
	}
): Promise<string> {
	const row = await tx
		.insertInto('story_photos')
		.values({
			document_id: photo.documentId,
			uploaded_by: photo.uploadedBy,
			media_type: photo.clean.full.mediaType,
			bytes: photo.clean.full.bytes,
			width: photo.clean.full.width,
			height: photo.clean.full.height,
			phone_bytes: photo.clean.phone.bytes,
			phone_width: photo.clean.phone.width,
			phone_height: photo.clean.phone.height,
			alt_text: photo.altText,
			caption: photo.caption
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** Removes a photo. False when nothing was removed (not found, or RLS: not the owner). */
export async function removePhoto(tx: Tx, documentId: string, photoId: string): Promise<boolean> {
	const result = await tx
		.deleteFrom('story_photos')
		.where('id', '=', photoId)
		.where('document_id', '=', documentId)
		.executeTakeFirst();
	return result.numDeletedRows > 0n;
}
