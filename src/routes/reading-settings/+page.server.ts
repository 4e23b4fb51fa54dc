import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { TEXT_SIZES, type ReadingSettings } from '$lib/reading-settings';
import { appDb, asUser } from '$lib/server/db';
import { saveReadingSettings } from '$lib/server/db/reading-settings';
import { checkbox, parseForm, safeNext } from '$lib/server/forms';
import { rememberReading } from '$lib/server/reading';

const Choice = v.object({
	textSize: v.picklist(TEXT_SIZES, () => m.reading_text_size_error()),
	readableFont: checkbox,
	wideSpacing: checkbox,
	highContrast: checkbox,
	reducedMotion: checkbox,
	readAloud: checkbox,
	next: v.optional(v.string(), '')
});

/**
 * One screen for how the app looks and reads. `first` is the screen a newly invited young person
 * meets on their first sign-in (see invite/[token]); `next` is where to go back to afterwards.
 */
export const load: PageServerLoad = async ({ url, locals }) => ({
	first: url.searchParams.has('first'),
	next: safeNext(url.searchParams.get('next'), ''),
	savedNotice: url.searchParams.has('saved'),
	settings: await locals.reading()
});

export const actions: Actions = {
	/**
	 * Keeps the choice on this phone (a cookie, so pages before sign-in use it) and, for someone
	 * signed in, on their profile (so it follows them to any phone), then goes back to the page
	 * they came from: a full page load, so the server applies the new settings.
	 */
	default: async ({ request, cookies, locals }) => {
		const form = parseForm(Choice, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const { next, ...chosen } = form.data;
		const settings: ReadingSettings = chosen;
		const user = locals.user;
		if (user) {
			await asUser(appDb(), user.claims, (tx) => saveReadingSettings(tx, user.id, settings));
		}
		rememberReading(cookies, settings);
		const back = safeNext(next, '');
		redirect(303, back || '/reading-settings?saved=1');
	}
};
