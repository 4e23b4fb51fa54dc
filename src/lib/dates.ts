import { getLocale } from '$lib/paraglide/runtime.js';
import { HTML_LANG, type Locale } from '$lib/i18n';

/**
 * Dates and times as people read them, in the language of the page (or of the request, on the
 * server) and always in UK time: a care plan's "14:05" means 14:05 in England and Wales, whichever
 * server or phone shows it. Shared by pages and server code (no server imports), so the screen, the
 * print and the export say the same thing.
 */
export type DateStyle =
	/** "4 Dec 2026" / "4 Rhag 2026" */
	| 'date'
	/** "4 December 2026" / "4 Rhagfyr 2026" */
	| 'longDate'
	/** "4 Dec 2026, 14:05" */
	| 'dateTime'
	/** "4 December 2026 at 14:05" / "4 Rhagfyr 2026 am 14:05" */
	| 'longDateTime'
	/** "Friday, 4 December 2026" / "Dydd Gwener, 4 Rhagfyr 2026" */
	| 'fullDate'
	/** "Fri 4 Dec" / "Gwen, 4 Rhag" */
	| 'dayMonth'
	/** "14:05" */
	| 'time';

const OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
	date: { dateStyle: 'medium' },
	longDate: { dateStyle: 'long' },
	dateTime: { dateStyle: 'medium', timeStyle: 'short' },
	longDateTime: { dateStyle: 'long', timeStyle: 'short' },
	fullDate: { dateStyle: 'full' },
	dayMonth: { weekday: 'short', day: 'numeric', month: 'short' },
	time: { timeStyle: 'short' }
};

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(style: DateStyle, locale: Locale, timeZone: string): Intl.DateTimeFormat {
	const key = `${style}|${locale}|${timeZone}`;
	let format = formats.get(key);
	if (!format) {
		format = new Intl.DateTimeFormat(HTML_LANG[locale], { ...OPTIONS[style], timeZone });
		formats.set(key, format);
	}
	return format;
}

/**
 * `when` in `style`, in the current language (or `options.locale`). A calendar date with no time
 * of day (a review date, "2027-03-12") is given with `timeZone: 'UTC'` so it never shifts a day.
 */
export function formatDate(
	when: Date | string | number,
	style: DateStyle,
	options: { locale?: Locale; timeZone?: 'Europe/London' | 'UTC' } = {}
): string {
	const locale = options.locale ?? (getLocale() as Locale);
	return formatFor(style, locale, options.timeZone ?? 'Europe/London').format(new Date(when));
}
