import type { RequestHandler } from './$types';
import { appDb, asUser } from '$lib/server/db';
import { recordRead } from '$lib/server/db/documents';
import { photoBytes } from '$lib/server/db/story-photos';
import { openStory, parseId, storyNotFound } from '$lib/server/documents/story';
import { requireUser } from '$lib/server/guards';

/**
 * One photo from a story, to the young person and the people they shared the story with (RLS
 * decides, asked as the signed-in person), each read audit-logged in the same transaction: the
 * phone-sized WebP by default (what a cheap phone on patchy data should download), the
 * full-size one with `?size=full`; any other size is not found.
 * Never public, never cached: `private, no-store`; the type is the one checked from the bytes
 * at upload, with `nosniff` so no browser second-guesses it, and `inline` so it only ever shows
 * as a picture.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const user = requireUser(locals);
	const photoId = parseId(params.photoId);
	if (!photoId) storyNotFound();
	const asked = url.searchParams.get('size');
	if (asked !== null && asked !== 'full') storyNotFound();
	const size = asked === 'full' ? 'full' : 'phone';
	const photo = await asUser(appDb(), user.claims, async (tx) => {
		const story = await openStory(tx, params.id, user.id, { audit: false });
		if (!story) return null;
		const found = await photoBytes(tx, story.id, photoId, size);
		if (!found) return null;
		// Recorded only when a photo is really shown, in the same transaction as reading it.
		await recordRead(tx, story, user.id, 'view');
		return found;
	});
	if (!photo) storyNotFound();
	return new Response(new Uint8Array(photo.bytes), {
		headers: {
			'content-type': photo.media_type,
			'content-length': String(photo.bytes.length),
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff',
			'content-disposition': 'inline',
			// A photo is never a page: nothing in it may run or load anything.
			'content-security-policy': "default-src 'none'; sandbox"
		}
	});
};
