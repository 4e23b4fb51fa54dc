import type { HandleClientError } from '@sveltejs/kit';
import { localeFromHtmlLang } from '$lib/i18n';
import { m } from '$lib/paraglide/messages.js';
import { overwriteGetLocale } from '$lib/paraglide/runtime.js';

/**
 * In the browser, the page speaks the language the server chose for it: `<html lang>` says which
 * (the choice itself is in an HttpOnly cookie the page cannot read). Changing language always
 * loads a whole new page (src/routes/language), so this is read once.
 */
const locale = localeFromHtmlLang(document.documentElement.lang);
overwriteGetLocale(() => locale);

/** As on the server (src/hooks.server.ts): an error page's words from the catalogue. */
export const handleError: HandleClientError = ({ status }) => ({
	message: status === 404 ? m.error_not_found_message() : m.error_unexpected_message()
});
