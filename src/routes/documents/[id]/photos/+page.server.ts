import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { appDb, asUser } from '$lib/server/db';
import { addPhoto, photosOf, removePhoto } from '$lib/server/db/story-photos';
import {
	checkPhoto,
	MAX_PHOTO_BYTES,
	MAX_PHOTO_WORDS,
	PHOTO_ACCEPT,
	PHOTO_MESSAGES
} from '$lib/server/documents/photos';
import { openStory, storyNotFound } from '$lib/server/documents/story';
import { optionalText, parseForm, requiredText } from '$lib/server/forms';
import { BodyTooLargeError, readLimitedForm, UnreadableFormError } from '$lib/server/request-body';
import { requireUser } from '$lib/server/guards';
import { m } from '$lib/paraglide/messages.js';

const PhotoForm = v.object({
	alt: requiredText(() => m.photo_alt_field(), 250),
	caption: optionalText(() => m.photo_caption_field(), 500)
});

const RemoveForm = v.object({
	photo: v.pipe(
		v.optional(v.string(), ''),
		v.uuid(() => m.story_something_wrong())
	)
});

/**
 * Room in a request for the alt text, the caption and the multipart framing around a photo at
 * the limit. A request bigger than this cannot hold an acceptable photo: it is refused from its
 * Content-Length before any of the body is read, or cut off when that much has arrived.
 */
const FORM_OVERHEAD = 64 * 1024;

/** The story's photos (never their bytes: each is served by ./[photoId]). The load is audit-logged. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals);
	const found = await asUser(appDb(), user.claims, async (tx) => {
		const story = await openStory(tx, params.id, user.id, { audit: true });
		if (!story) return null;
		return { story, photos: await photosOf(tx, story.id) };
	});
	if (!found) storyNotFound();
	return {
		story: {
			id: found.story.id,
			youngPersonName: found.story.young_person_name,
			isOwner: found.story.isOwner
		},
		maxPhotoWords: MAX_PHOTO_WORDS,
		accept: PHOTO_ACCEPT,
		photos: found.photos.map((p) => ({
			id: p.id,
			alt: p.alt_text,
			caption: p.caption,
			// The size of the version the page shows (the phone one, where there is one).
			width: p.phone_width ?? p.width,
			height: p.phone_height ?? p.height
		}))
	};
};

const tooBig = (values: Record<string, string> = {}) =>
	fail(413, { errors: { photo: PHOTO_MESSAGES['too-big'] }, values });
const notTheirs = (values: Record<string, string> = {}) =>
	fail(403, { errors: { form: m.photo_not_theirs() }, values });

export const actions: Actions = {
	/**
	 * The young person adds a photo: checked (size, type against bytes, never SVG) and re-encoded
	 * from its pixels by checkPhoto (a phone-sized WebP and a full-size copy, no metadata) before
	 * it reaches the database; the uploaded bytes are never stored. Works without JavaScript (a
	 * multipart form post).
	 */
	upload: async ({ locals, params, request }) => {
		const user = requireUser(locals);
		// Who may add a photo is settled before a byte of the body is read: a stranger's upload
		// to someone else's story costs this server one query, not megabytes.
		const mayAdd = await asUser(appDb(), user.claims, async (tx) => {
			const story = await openStory(tx, params.id, user.id, { audit: false });
			if (!story) storyNotFound();
			return story.isOwner;
		});
		if (!mayAdd) return notTheirs();
		let data: FormData;
		try {
			data = await readLimitedForm(request, MAX_PHOTO_BYTES + FORM_OVERHEAD);
		} catch (e) {
			if (e instanceof BodyTooLargeError) return tooBig();
			if (e instanceof UnreadableFormError) {
				return fail(400, {
					errors: { photo: m.photo_unreadable() },
					values: {}
				});
			}
			throw e;
		}
		const form = parseForm(PhotoForm, data);
		const file = data.get('photo');
		const errors: Record<string, string> = form.ok ? {} : { ...form.errors };
		let checked: Awaited<ReturnType<typeof checkPhoto>> | null = null;
		if (!(file instanceof File) || file.size === 0) {
			errors.photo = PHOTO_MESSAGES.missing;
		} else if (file.size > MAX_PHOTO_BYTES) {
			errors.photo = PHOTO_MESSAGES['too-big'];
		} else {
			checked = await checkPhoto({
				bytes: new Uint8Array(await file.arrayBuffer()),
				declaredType: file.type,
				filename: file.name
			});
			if (!checked.ok) errors.photo = checked.message;
		}
		// The photo's error first: the summary lists errors in this order.
		const ordered = errors.photo ? { photo: errors.photo, ...errors } : errors;
		if (!form.ok || !checked?.ok) {
			return fail(errors.photo === PHOTO_MESSAGES['too-big'] ? 413 : 400, {
				errors: ordered,
				values: form.values
			});
		}
		const clean = checked.photo;
		const added = await asUser(appDb(), user.claims, async (tx) => {
			const story = await openStory(tx, params.id, user.id, { audit: false });
			if (!story) storyNotFound();
			if (!story.isOwner) return false;
			await addPhoto(tx, {
				documentId: story.id,
				uploadedBy: user.id,
				clean,
				altText: form.data.alt,
				caption: form.data.caption
			});
			return true;
		});
		if (!added) return notTheirs(form.values);
		return { message: m.photo_added() };
	},

	/** The young person takes a photo out of their story. */
	remove: async ({ locals, params, request }) => {
		const user = requireUser(locals);
		const form = parseForm(RemoveForm, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: {} });
		const removed = await asUser(appDb(), user.claims, async (tx) => {
			const story = await openStory(tx, params.id, user.id, { audit: false });
			if (!story) storyNotFound();
			return story.isOwner && (await removePhoto(tx, story.id, form.data.photo));
		});
		if (!removed) {
			return fail(400, { errors: { form: m.photo_remove_failed() }, values: {} });
		}
		return { message: m.photo_removed() };
	}
};
