import { describe, expect, it } from 'vitest';
import {
	BANK_HOLIDAYS_ENGLAND_AND_WALES,
	clockState,
	describeDue,
	describeTimeLeft,
	easterSunday,
	isWorkingDay,
	ruleBankHolidays,
	workingDayDeadline
} from './working-days';

describe('bank holidays', () => {
	it('the rules give exactly the published table for 2025 to 2028', () => {
		for (const year of [2025, 2026, 2027, 2028]) {
			const table = [...BANK_HOLIDAYS_ENGLAND_AND_WALES].filter((d) => d.startsWith(`${year}-`));
			expect(ruleBankHolidays(year), String(year)).toEqual(table.sort());
		}
	});

	it('finds Easter', () => {
		expect(easterSunday(2026)).toEqual({ year: 2026, month: 4, day: 5 });
		expect(easterSunday(2027)).toEqual({ year: 2027, month: 3, day: 28 });
	});

	it('uses the rules outside the table, with substitute days', () => {
		// 2029: New Year on Monday; Christmas Tuesday, Boxing Day Wednesday.
		expect(ruleBankHolidays(2029)).toContain('2029-01-01');
		expect(ruleBankHolidays(2029)).toContain('2029-12-26');
		expect(isWorkingDay({ year: 2029, month: 1, day: 1 })).toBe(false);
	});
});

describe('working-day clocks (UK time)', () => {
	it('a request on a Tuesday morning: respond by end of Wednesday, allocate by end of Thursday', () => {
		const start = new Date('2026-11-24T09:30:00Z');
		expect(workingDayDeadline(start, 1).toISOString()).toBe('2026-11-26T00:00:00.000Z');
		expect(workingDayDeadline(start, 2).toISOString()).toBe('2026-11-27T00:00:00.000Z');
	});

	it('across a weekend: Friday afternoon runs to the end of Monday and Tuesday', () => {
		const friday = new Date('2026-11-27T15:00:00Z');
		expect(workingDayDeadline(friday, 1).toISOString()).toBe('2026-12-01T00:00:00.000Z');
		expect(workingDayDeadline(friday, 2).toISOString()).toBe('2026-12-02T00:00:00.000Z');
		const saturday = new Date('2026-11-28T11:00:00Z');
		expect(workingDayDeadline(saturday, 1).toISOString()).toBe('2026-12-01T00:00:00.000Z');
	});

	it('across a bank holiday: Christmas Eve 2026 skips Christmas, the weekend and the 28th', () => {
		const christmasEve = new Date('2026-12-24T12:00:00Z');
		// 25 (bank holiday), 26–27 (weekend), 28 (Boxing Day substitute): first working day 29th.
		expect(workingDayDeadline(christmasEve, 1).toISOString()).toBe('2026-12-30T00:00:00.000Z');
		expect(workingDayDeadline(christmasEve, 2).toISOString()).toBe('2026-12-31T00:00:00.000Z');
	});

	it('across Easter, in British Summer Time: deadlines are UK midnight (23:00 UTC)', () => {
		// Thursday 2 April 2026; Good Friday 3rd and Easter Monday 6th are bank holidays.
		const thursday = new Date('2026-04-02T10:00:00Z');
		expect(workingDayDeadline(thursday, 1).toISOString()).toBe('2026-04-07T23:00:00.000Z');
		expect(describeDue(workingDayDeadline(thursday, 1))).toBe('by the end of Tue 7 Apr');
		expect(describeDue(workingDayDeadline(thursday, 1), { locale: 'cy' })).toBe(
			'erbyn diwedd Maw, 7 Ebr'
		);
	});

	it('a request just after midnight UK time counts from that UK day, not the UTC one', () => {
		// 00:30 BST on Saturday 4 April is still Friday 23:30 UTC.
		const justAfterMidnight = new Date('2026-04-03T23:30:00Z');
		expect(workingDayDeadline(justAfterMidnight, 1).toISOString()).toBe('2026-04-07T23:00:00.000Z');
	});

	it('says whether a clock is running, overdue or met, and how long is left', () => {
		const start = new Date('2026-11-27T15:00:00Z');
		const monday = new Date('2026-11-30T20:00:00Z');
		const running = clockState(start, 1, null, monday);
		expect(running.state).toBe('running');
		expect(describeTimeLeft(running.msLeft!)).toBe('4 hours left');
		const overdue = clockState(start, 1, null, new Date('2026-12-03T00:00:00Z'));
		expect(overdue.state).toBe('overdue');
		expect(describeTimeLeft(overdue.msLeft!)).toBe('overdue by 2 days');
		expect(clockState(start, 1, monday, monday).state).toBe('met');
		expect(clockState(start, 1, new Date('2026-12-01T09:00:00Z'), monday).state).toBe('met late');
	});

	it('says how long is left in the language asked for, one unit or many', () => {
		const hour = 3600_000;
		expect(describeTimeLeft(1 * hour)).toBe('1 hour left');
		expect(describeTimeLeft(90_000)).toBe('1 minute left');
		expect(describeTimeLeft(-5 * 60_000)).toBe('overdue by 5 minutes');
		expect(describeTimeLeft(-1 * hour)).toBe('overdue by 1 hour');
		expect(describeTimeLeft(3 * 24 * hour)).toBe('3 days left');
		// Welsh: the noun stays singular after a number.
		const cy = { locale: 'cy' } as const;
		expect(describeTimeLeft(4 * hour, cy)).toBe('4 awr ar ôl');
		expect(describeTimeLeft(90_000, cy)).toBe('1 munud ar ôl');
		expect(describeTimeLeft(3 * 24 * hour, cy)).toBe('3 diwrnod ar ôl');
		expect(describeTimeLeft(-2 * 24 * hour, cy)).toBe('2 diwrnod yn hwyr');
		expect(describeTimeLeft(-5 * 60_000, cy)).toBe('5 munud yn hwyr');
	});
});
