import { describe, expect, it } from 'vitest';
import {
	addMonths,
	civilDate,
	describeDate,
	describeNextReview,
	nextReview,
	ukDate
} from './reviews';
import { overwriteGetLocale } from '$lib/paraglide/runtime.js';
import { currentLocale, withLocale } from '$lib/server/i18n';

const NOW = new Date('2026-11-23T12:00:00Z');

// When the first review is due (20 working days after the start, skipping weekends and bank
// holidays, counted from the UK date) is the database's working calendar:
// tests/db/working-calendar.test.ts. Here it is given.
const FIRST_DUE = { year: 2026, month: 12, day: 21 };

describe('nextReview', () => {
	it('puts the first review when the first is due', () => {
		const next = nextReview(FIRST_DUE, [], NOW);
		expect(next).toEqual({ number: 1, dueBy: { year: 2026, month: 12, day: 21 }, overdue: false });
	});

	it('reads instants as UK dates, not UTC ones', () => {
		// 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
		expect(ukDate(new Date('2026-06-30T23:30:00Z'))).toEqual({ year: 2026, month: 7, day: 1 });
		expect(civilDate('2027-01-14')).toEqual({ year: 2027, month: 1, day: 14 });
	});

	it('puts the second review 3 months after the first, as it happened', () => {
		const next = nextReview(FIRST_DUE, [new Date('2026-12-18T15:00:00Z')], NOW);
		expect(next).toEqual({ number: 2, dueBy: { year: 2027, month: 3, day: 18 }, overdue: false });
	});

	it('then every 6 months after the review before, whatever order the dates come in', () => {
		const reviews = [new Date('2027-03-10T10:00:00Z'), new Date('2026-12-18T10:00:00Z')];
		const next = nextReview(FIRST_DUE, reviews, NOW);
		expect(next).toMatchObject({ number: 3, dueBy: { year: 2027, month: 9, day: 10 } });
		const fourth = nextReview(FIRST_DUE, [...reviews, new Date('2027-09-01T10:00:00Z')], NOW);
		expect(fourth).toMatchObject({ number: 4, dueBy: { year: 2028, month: 3, day: 1 } });
	});

	it('is overdue only once the due day is over', () => {
		expect(nextReview(FIRST_DUE, [], new Date('2026-12-21T23:30:00Z')).overdue).toBe(false);
		expect(nextReview(FIRST_DUE, [], new Date('2026-12-22T00:30:00Z')).overdue).toBe(true);
	});
});

describe('addMonths', () => {
	it('keeps the day, or the last day of a shorter month', () => {
		expect(addMonths({ year: 2026, month: 11, day: 30 }, 3)).toEqual({
			year: 2027,
			month: 2,
			day: 28
		});
		expect(addMonths({ year: 2027, month: 8, day: 31 }, 6)).toEqual({
			year: 2028,
			month: 2,
			day: 29
		});
		expect(addMonths({ year: 2026, month: 3, day: 12 }, 6)).toEqual({
			year: 2026,
			month: 9,
			day: 12
		});
	});
});

describe('describeNextReview', () => {
	it('says when in plain words, and says so when it is late', () => {
		expect(describeDate({ year: 2026, month: 12, day: 21 })).toBe('Monday, 21 December 2026');
		expect(
			describeNextReview({ number: 1, dueBy: { year: 2026, month: 12, day: 21 }, overdue: false })
		).toBe('Next review by Monday, 21 December 2026.');
		expect(
			describeNextReview({ number: 2, dueBy: { year: 2026, month: 12, day: 21 }, overdue: true })
		).toBe('The next review should have happened by Monday, 21 December 2026. It is late.');
	});

	it('says it in the language of the request', () => {
		// As src/hooks.server.ts does: messages speak the language of the request being handled.
		overwriteGetLocale(currentLocale);
		const dueBy = { year: 2026, month: 12, day: 21 };
		expect(withLocale('cy', () => describeNextReview({ number: 1, dueBy, overdue: true }))).toBe(
			"Dylai'r adolygiad nesaf fod wedi digwydd erbyn Dydd Llun, 21 Rhagfyr 2026. Mae'n hwyr."
		);
		expect(describeNextReview({ number: 1, dueBy, overdue: false })).toBe(
			'Next review by Monday, 21 December 2026.'
		);
	});
});
