import { AsyncLocalStorage } from 'node:async_hooks';
import type { Cookies } from '@sveltejs/kit';
import { baseLocale, isLocale, LANGUAGE_COOKIE, type Locale } from '$lib/i18n';
import { extractLocaleFromHeader } from '$lib/paraglide/runtime.js';

/**
 * Each request's language, for every message function called while it is handled (pages, form
 * actions, `fail()` and `error()` messages). Paraglide's own middleware would do this too, but it
 * clones every request (teeing its body); our hooks read bodies themselves (the streamed photo
 * upload, the readable-form check), so the language is kept here and handed to Paraglide through
 * `overwriteGetLocale` (src/hooks.server.ts).
 */
const requestLocale = new AsyncLocalStorage<Locale>();

/** Runs `fn` (and everything it awaits) in `locale`. */
export function withLocale<T>(locale: Locale, fn: () => T): T {
	return requestLocale.run(locale, fn);
}

/** The language of the request being handled, or the base language outside one. */
export function currentLocale(): Locale {
	return requestLocale.getStore() ?? baseLocale;
}

/** The query parameter that sets the language from a link: `?lang=cy`, `?lang=en`. */
export const LANGUAGE_PARAMETER = 'lang';

/**
 * The language a shared link asks for (`?lang=cy`), if it names one we speak; anything else
 * (`?lang=fr`, `?lang=`, no parameter) is ignored, never an error.
 */
export function localeFromLink(url: URL): Locale | null {
	const asked = url.searchParams.get(LANGUAGE_PARAMETER);
	return asked && isLocale(asked) ? asked : null;
}

/**
 * The same address without its language parameter, other query parameters kept, as a path inside
 * the app: where a shared link lands once its language is remembered. Leading slashes are
 * collapsed, so `//evil.example/?lang=cy` cannot become a redirect to another site.
 */
export function withoutLanguageParameter(url: URL): string {
	const search = new URLSearchParams(url.search);
	search.delete(LANGUAGE_PARAMETER);
	const query = search.toString();
	return `/${url.pathname.replace(/^\/+/, '')}${query ? `?${query}` : ''}`;
}

/**
 * The language a request is in: the one a link asks for (`?lang=cy`), else the one chosen (kept
 * in the cookie, which sign-in fills from the person's profile), else the browser's preferred
 * language if we speak it, else English.
 */
export function chooseLocale(request: Request, cookies: Pick<Cookies, 'get'>): Locale {
	const linked = localeFromLink(new URL(request.url));
	if (linked) return linked;
	const chosen = cookies.get(LANGUAGE_COOKIE);
	if (chosen && isLocale(chosen)) return chosen;
	return extractLocaleFromHeader(request) ?? baseLocale;
}

/** A year: a language choice is not personal data to expire quickly, and re-choosing is a chore. */
const LANGUAGE_COOKIE_SECONDS = 365 * 24 * 60 * 60;

/**
 * Keeps a language choice in the browser: HttpOnly, Secure and SameSite like every cookie we set
 * (the pages learn the language from `<html lang>`, never from the cookie).
 */
export function rememberLanguage(cookies: Cookies, locale: Locale): void {
	cookies.set(LANGUAGE_COOKIE, locale, {
		path: '/',
		httpOnly: true,
		secure: true,
		sameSite: 'lax',
		maxAge: LANGUAGE_COOKIE_SECONDS
	});
}
