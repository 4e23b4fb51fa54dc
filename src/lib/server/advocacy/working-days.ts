/**
 * The words for clocks. Clocks themselves (when something is due) are computed by the database's
 * one working calendar (private.add_working_time, private.working_days_deadline and
 * private.statutory_working_days_after, migration 20261205100000), per organisation, with its
 * England and Wales bank holidays: no working day is counted here.
 */

import { formatDate } from '$lib/dates';
import type { Locale } from '$lib/i18n';
import { m } from '$lib/paraglide/messages.js';

export interface Clock {
	/** When it runs out. */
	due: Date;
	/** When it was met (the first reply, or allocation), or null while it is still running. */
	metAt: Date | null;
	state: 'met' | 'met late' | 'running' | 'overdue';
	/** Milliseconds left (negative when overdue); null once met. */
	msLeft: number | null;
}

/** The state at `now` of a clock due at `due` (as the database computed it). */
export function clockState(due: Date, metAt: Date | null, now: Date): Clock {
	if (metAt) {
		return { due, metAt, state: metAt <= due ? 'met' : 'met late', msLeft: null };
	}
	const msLeft = due.getTime() - now.getTime();
	return { due, metAt: null, state: msLeft >= 0 ? 'running' : 'overdue', msLeft };
}

/** Chooses a language other than the request's (tests, a print in a chosen language). */
export interface InLocale {
	locale?: Locale;
}

/**
 * Plain words for how long is left: "3 hours left", "overdue by 2 days" (Welsh: "3 awr ar ôl",
 * "2 diwrnod yn hwyr"), in the request's language. Whole messages per unit, never glued from
 * parts, so each language orders its own words and chooses its own plurals.
 */
export function describeTimeLeft(msLeft: number, { locale }: InLocale = {}): string {
	const o = locale ? { locale } : {};
	const abs = Math.abs(msLeft);
	const hours = Math.floor(abs / 3600_000);
	const left = msLeft >= 0;
	if (hours >= 48) {
		const count = Math.floor(hours / 24);
		return left
			? m.advocacy_clock_days_left({ count }, o)
			: m.advocacy_clock_overdue_days({ count }, o);
	}
	if (hours >= 1) {
		return left
			? m.advocacy_clock_hours_left({ count: hours }, o)
			: m.advocacy_clock_overdue_hours({ count: hours }, o);
	}
	const count = Math.max(1, Math.floor(abs / 60_000));
	return left
		? m.advocacy_clock_minutes_left({ count }, o)
		: m.advocacy_clock_overdue_minutes({ count }, o);
}

/**
 * "by the end of Mon 24 Nov" ("erbyn diwedd Llun, 24 Tach"): deadlines are always the end of a
 * UK day, so the day shown is the one the last millisecond falls in.
 */
export function describeDue(due: Date, { locale }: InLocale = {}): string {
	const o = locale ? { locale } : {};
	const day = formatDate(new Date(due.getTime() - 1), 'dayMonth', o);
	return m.advocacy_clock_due({ day }, o);
}

/**
 * "by 14:00, Mon 30 Nov" ("erbyn 14:00, Llun, 30 Tach"): for clocks counted in working hours,
 * which end at a time of day rather than at the end of one.
 */
export function describeDueAt(due: Date, { locale }: InLocale = {}): string {
	const o = locale ? { locale } : {};
	return m.help_clock_due_at(
		{ time: formatDate(due, 'time', o), day: formatDate(due, 'dayMonth', o) },
		o
	);
}
