import { describe, expect, it } from 'vitest';
import { clockState, describeDue, describeTimeLeft } from './working-days';

// When a clock is due, and which days are bank holidays, is the database's working calendar
// (tests/db/working-calendar.test.ts); these are the words for it.
describe('clock words (UK time)', () => {
	it('says the end of a UK day, also in British Summer Time', () => {
		// The end of Tuesday 7 April 2026 is 23:00 UTC (BST).
		const due = new Date('2026-04-07T23:00:00.000Z');
		expect(describeDue(due)).toBe('by the end of Tue 7 Apr');
		expect(describeDue(due, { locale: 'cy' })).toBe('erbyn diwedd Maw, 7 Ebr');
	});

	it('says whether a clock is running, overdue or met, and how long is left', () => {
		// Friday 27 November's request, due by the end of Monday 30th.
		const due = new Date('2026-12-01T00:00:00Z');
		const monday = new Date('2026-11-30T20:00:00Z');
		const running = clockState(due, null, monday);
		expect(running.state).toBe('running');
		expect(describeTimeLeft(running.msLeft!)).toBe('4 hours left');
		const overdue = clockState(due, null, new Date('2026-12-03T00:00:00Z'));
		expect(overdue.state).toBe('overdue');
		expect(describeTimeLeft(overdue.msLeft!)).toBe('overdue by 2 days');
		expect(clockState(due, monday, monday).state).toBe('met');
		expect(clockState(due, new Date('2026-12-01T09:00:00Z'), monday).state).toBe('met late');
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
