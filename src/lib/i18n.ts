import { baseLocale, isLocale, locales, type Locale } from '$lib/paraglide/runtime.js';

/**
 * The languages In My Words speaks, shared by the server (which decides each request's language)
 * and the pages (which show the switch). Messages themselves come from `$lib/paraglide/messages`
 * (catalogues in messages/{locale}.json; see README "Languages").
 */
export { baseLocale, locales, isLocale, type Locale };

/** The cookie that keeps a language choice (before sign-in, and between sign-ins on a phone). */
export const LANGUAGE_COOKIE = 'language';

/**
 * Each language's name in itself, so people find their own language whatever the page is in
 * (never translated: "Cymraeg" stays "Cymraeg" on an English page).
 */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', cy: 'Cymraeg' };

/** What `<html lang>` says for each language (British English, as before Welsh was added). */
export const HTML_LANG: Record<Locale, string> = { en: 'en-GB', cy: 'cy' };

/** The language a `lang` attribute (from HTML_LANG) stands for; unknown ones read as English. */
export function localeFromHtmlLang(lang: string | null | undefined): Locale {
	const base = (lang ?? '').toLowerCase().split('-')[0];
	return isLocale(base) ? base : baseLocale;
}
