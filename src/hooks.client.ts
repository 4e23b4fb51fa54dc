import { localeFromHtmlLang } from '$lib/i18n';
import { overwriteGetLocale } from '$lib/paraglide/runtime.js';

/**
 * In the browser, the page speaks the language the server chose for it: `<html lang>` says which
 * (the choice itself is in an HttpOnly cookie the page cannot read). Changing language always
 * loads a whole new page (src/routes/language), so this is read once.
 */
const locale = localeFromHtmlLang(document.documentElement.lang);
overwriteGetLocale(() => locale);
