import { formatDate } from '$lib/dates';
import { m } from '$lib/paraglide/messages.js';

/**
 * The statutory review rhythm for a looked-after child's plan (Care Planning, Placement and Case
 * Review (England) Regulations 2010, reg 33): the first review within 20 working days of the
 * start, the second within 3 months of the first, then every 6 months after the one before.
 * "Start" here is when the care plan was created; a review is a version saved as the agreed
 * version of a review. Dates are UK calendar dates: a review is due by the end of that day.
 */
export const REVIEW_RHYTHM = { firstWorkingDays: 20, secondMonths: 3, thenMonths: 6 } as const;

/** A calendar date with no time zone. */
export interface CivilDate {
	year: number;
	month: number;
	day: number;
}

const londonDate = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Europe/London',
	year: 'numeric',
	month: 'numeric',
	day: 'numeric'
});

/** The UK calendar date at an instant. */
export function ukDate(at: Date): CivilDate {
	const p = Object.fromEntries(londonDate.formatToParts(at).map((x) => [x.type, x.value]));
	return { year: Number(p.year), month: Number(p.month), day: Number(p.day) };
}

/** "2026-12-21" (a date as the database writes it) as a calendar date. */
export function civilDate(iso: string): CivilDate {
	const [year, month, day] = iso.split('-').map(Number);
	return { year: year!, month: month!, day: day! };
}

export interface NextReview {
	/** Which review is next: 1 for the first, 2 for the second, and so on. */
	number: number;
	/** The last UK day on which it is still on time. */
	dueBy: CivilDate;
	/** Is that day already over at `now`? */
	overdue: boolean;
}

/** `d` plus whole months; a day the month does not have becomes its last day (31 Aug + 6 → 28/29 Feb). */
export function addMonths(d: CivilDate, months: number): CivilDate {
	const index = d.year * 12 + (d.month - 1) + months;
	const year = Math.floor(index / 12);
	const month = (index % 12) + 1;
	const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
	return { year, month, day: Math.min(d.day, lastDay) };
}

function compare(a: CivilDate, b: CivilDate): number {
	return a.year - b.year || a.month - b.month || a.day - b.day;
}

/**
 * When the next review is due, given when the first was due (REVIEW_RHYTHM.firstWorkingDays
 * after the plan started, counted by the database's working calendar:
 * private.statutory_working_days_after) and when each review so far took place (in any order).
 * Each later due date counts from the review before it, as it actually happened, not from when
 * it was due: a late review moves the next one later too.
 */
export function nextReview(
	firstDueBy: CivilDate,
	reviewsSoFar: readonly Date[],
	now: Date
): NextReview {
	const done = reviewsSoFar.map(ukDate).sort(compare);
	const number = done.length + 1;
	const last = done.at(-1);
	const dueBy =
		last === undefined
			? firstDueBy
			: addMonths(last, done.length === 1 ? REVIEW_RHYTHM.secondMonths : REVIEW_RHYTHM.thenMonths);
	return { number, dueBy, overdue: compare(ukDate(now), dueBy) > 0 };
}

/** "Monday, 21 December 2026": plain words for a date, in the request's language. */
export function describeDate(d: CivilDate): string {
	return formatDate(Date.UTC(d.year, d.month - 1, d.day), 'fullDate', { timeZone: 'UTC' });
}

/** "Next review by Monday, 21 December 2026." (and a plain warning when it is late). */
export function describeNextReview(next: NextReview): string {
	const date = describeDate(next.dueBy);
	return next.overdue ? m.record_next_review_late({ date }) : m.record_next_review({ date });
}
