/**
 * Working days in England and Wales, and the words for clocks. Clocks themselves (when something
 * is due) are computed by the database's one working calendar (private.add_working_time and
 * private.working_days_deadline, migration 20261205100000), per organisation; this module only
 * keeps the calendar dates that review planning needs (reviews.ts) and says clocks in words. The
 * bank holiday table here and the database's are checked to agree (tests/db/working-calendar).
 */

import { formatDate } from '$lib/dates';
import type { Locale } from '$lib/i18n';
import { m } from '$lib/paraglide/messages.js';

/** Bank holidays in England and Wales, 2025–2028, as published by GOV.UK. */
export const BANK_HOLIDAYS_ENGLAND_AND_WALES: ReadonlySet<string> = new Set([
	'2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26',
	'2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28',
	'2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28',
	'2028-01-03', '2028-04-14', '2028-04-17', '2028-05-01', '2028-05-29', '2028-08-28', '2028-12-25', '2028-12-26'
]); // prettier-ignore

/** First and last years the table above covers; other years use the rules below. */
const TABLE_YEARS = { first: 2025, last: 2028 };

/** A calendar date with no time zone. */
export interface CivilDate {
	year: number;
	month: number;
	day: number;
}

function iso(d: CivilDate): string {
	return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** `d` plus (or minus) whole calendar days. */
function addDays(d: CivilDate, days: number): CivilDate {
	const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
	return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(d: CivilDate): number {
	return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

/** Easter Sunday (Gregorian; anonymous algorithm, as in Meeus). */
export function easterSunday(year: number): CivilDate {
	const a = year % 19;
	const b = Math.floor(year / 100);
	const c = year % 100;
	const d = Math.floor(b / 4);
	const e = b % 4;
	const f = Math.floor((b + 8) / 25);
	const g = Math.floor((b - f + 1) / 3);
	const h = (19 * a + b - d - g + 15) % 30;
	const i = Math.floor(c / 4);
	const k = c % 4;
	const l = (32 + 2 * e + 2 * i - h - k) % 7;
	const m = Math.floor((a + 11 * h + 22 * l) / 451);
	const month = Math.floor((h + l - 7 * m + 114) / 31);
	const day = ((h + l - 7 * m + 114) % 31) + 1;
	return { year, month, day };
}

function firstMonday(year: number, month: number): CivilDate {
	const first = { year, month, day: 1 };
	return addDays(first, (8 - weekday(first)) % 7);
}

function lastMonday(year: number, month: number): CivilDate {
	const last = addDays({ year, month: month + 1, day: 1 }, -1);
	return addDays(last, -((weekday(last) + 6) % 7));
}

/**
 * The usual rules: New Year's Day, Good Friday, Easter Monday, early May, spring and summer bank
 * holidays, Christmas and Boxing Day, with substitute days when those fall at a weekend. One-off
 * changes (a coronation, a jubilee) are not rules: add them to the table.
 */
export function ruleBankHolidays(year: number): string[] {
	const easter = easterSunday(year);
	const days: CivilDate[] = [
		addDays(easter, -2),
		addDays(easter, 1),
		firstMonday(year, 5),
		lastMonday(year, 5),
		lastMonday(year, 8)
	];
	const newYear = { year, month: 1, day: 1 };
	days.push(
		weekday(newYear) === 6
			? addDays(newYear, 2)
			: weekday(newYear) === 0
				? addDays(newYear, 1)
				: newYear
	);
	const christmas = { year, month: 12, day: 25 };
	const cw = weekday(christmas);
	// Christmas on Saturday: Mon 27 and Tue 28. On Sunday: Boxing Day Mon 26, Christmas Tue 27.
	// On Friday: Boxing Day (Saturday) moves to Mon 28.
	if (cw === 6) days.push(addDays(christmas, 2), addDays(christmas, 3));
	else if (cw === 0) days.push(addDays(christmas, 1), addDays(christmas, 2));
	else if (cw === 5) days.push(christmas, addDays(christmas, 3));
	else days.push(christmas, addDays(christmas, 1));
	return days.map(iso).sort();
}

/** Is this date a bank holiday in England and Wales? The table wins where it covers the year. */
export function isBankHoliday(d: CivilDate): boolean {
	if (d.year >= TABLE_YEARS.first && d.year <= TABLE_YEARS.last) {
		return BANK_HOLIDAYS_ENGLAND_AND_WALES.has(iso(d));
	}
	return ruleBankHolidays(d.year).includes(iso(d));
}

export function isWorkingDay(d: CivilDate): boolean {
	const w = weekday(d);
	return w !== 0 && w !== 6 && !isBankHoliday(d);
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Europe/London',
	year: 'numeric',
	month: 'numeric',
	day: 'numeric',
	hour: 'numeric',
	minute: 'numeric',
	hourCycle: 'h23'
});

/** The UK calendar date (and the UTC offset in minutes) at an instant. */
function inLondon(at: Date): { date: CivilDate; offsetMinutes: number } {
	const p = Object.fromEntries(londonParts.formatToParts(at).map((x) => [x.type, x.value]));
	const date = { year: Number(p.year), month: Number(p.month), day: Number(p.day) };
	const asUtc = Date.UTC(date.year, date.month - 1, date.day, Number(p.hour), Number(p.minute));
	const offsetMinutes = Math.round((asUtc - Math.floor(at.getTime() / 60000) * 60000) / 60000);
	return { date, offsetMinutes };
}

/** The UK calendar date at an instant. */
export function ukDate(at: Date): CivilDate {
	return inLondon(at).date;
}

/** The Nth working day after `d` (England and Wales bank holidays). */
export function addWorkingDays(d: CivilDate, workingDays: number): CivilDate {
	let day = d;
	let counted = 0;
	while (counted < workingDays) {
		day = addDays(day, 1);
		if (isWorkingDay(day)) counted += 1;
	}
	return day;
}

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
