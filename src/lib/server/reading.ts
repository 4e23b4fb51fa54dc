import type { Cookies, RequestEvent } from '@sveltejs/kit';
import {
	decodeReadingCookie,
	encodeReadingCookie,
	READING_COOKIE,
	type ReadingSettings
} from '$lib/reading-settings';
import { appDb, asUser, type Tx } from '$lib/server/db';
import { myMemberships } from '$lib/server/db/memberships';
import { getReadingSettings } from '$lib/server/db/reading-settings';

/** A year, as the language cookie: HttpOnly (no script needs them, the server applies them). */
const READING_COOKIE_OPTIONS = {
	path: '/',
	httpOnly: true,
	secure: true,
	sameSite: 'lax',
	maxAge: 365 * 24 * 60 * 60
} as const;

/**
 * Keeps the settings on this phone, so signed-out pages (help, asking for an advocate, signing
 * in) use them too. Settings that are all the defaults leave no cookie at all.
 */
export function rememberReading(cookies: Cookies, settings: ReadingSettings): void {
	const value = encodeReadingCookie(settings);
	if (value) cookies.set(READING_COOKIE, value, READING_COOKIE_OPTIONS);
	else cookies.delete(READING_COOKIE, READING_COOKIE_OPTIONS);
}

/**
 * The settings this request's page is shown with: a signed-in person's own (from their profile,
 * under RLS), else this phone's cookie. A signed-in person who has not chosen yet gets the
 * cookie's, which the first-time screen then offers to keep.
 */
export async function readingFor(event: RequestEvent): Promise<ReadingSettings> {
	const user = event.locals.user;
	if (user) {
		const stored = await asUser(appDb(), user.claims, (tx) => getReadingSettings(tx, user.id));
		if (stored) return stored;
	}
	// Else the settings kept on this phone (the defaults if there are none).
	return decodeReadingCookie(event.cookies.get(READING_COOKIE));
}

/** The one-screen choice a young person meets the first time they sign in, then home. */
export const FIRST_READING_CHOICE = `/reading-settings?first=1&next=${encodeURIComponent('/home?welcome=1')}`;

/**
 * Should this person see the first-time reading choice? A young person who has not chosen yet
 * (no row: keeping the defaults on that screen is a choice too, so it is shown once).
 */
export async function firstReadingChoice(tx: Tx, personId: string): Promise<boolean> {
	const memberships = await myMemberships(tx, personId);
	if (!memberships.some((membership) => membership.role === 'young_person')) return false;
	return (await getReadingSettings(tx, personId)) === null;
}
