import { describe, expect, it } from 'vitest';
import type { Urgency } from '$lib/server/db/schema-advocacy';
import { queueOrder, requestClocks } from './queue';

const now = new Date('2026-11-30T12:00:00Z'); // Monday noon

/**
 * A request and its clocks. The due times are what the database's calendar gives for the
 * request's start (private.advocacy_clock_due, tested in tests/db/working-calendar.test.ts).
 */
function row(
	name: string,
	urgency: Urgency,
	created: string,
	due: { respond: string; allocate: string },
	status = 'new',
	responded?: string
) {
	const r = {
		name,
		status,
		urgency,
		created_at: new Date(created),
		respond_due: new Date(due.respond),
		allocate_due: new Date(due.allocate),
		responded_at: responded ? new Date(responded) : null,
		allocated_at: null
	};
	return { ...r, clocks: requestClocks(r, now) };
}

/** Friday 27 November 2026, 15:00: respond by the end of Monday, allocate by the end of Tuesday. */
const FRIDAY = { respond: '2026-12-01T00:00:00Z', allocate: '2026-12-02T00:00:00Z' };
/** Monday 30 November, 09:00, "Urgent: today": respond within 4 working hours, by 13:00. */
const URGENT_MONDAY = { respond: '2026-11-30T13:00:00Z', allocate: '2026-12-03T00:00:00Z' };

describe('the advocacy queue', () => {
	it('sorts by open first, then urgency, then the clock that runs out soonest', () => {
		const rows = [
			row('calm, old', 'not_urgent', '2026-11-20T09:00:00Z', {
				respond: '2026-11-24T00:00:00Z',
				allocate: '2026-11-25T00:00:00Z'
			}),
			row('this week, Friday', 'this_week', '2026-11-27T15:00:00Z', FRIDAY),
			row('closed urgent', 'today', '2026-11-30T08:00:00Z', URGENT_MONDAY, 'closed'),
			row('this week, Thursday (overdue)', 'this_week', '2026-11-26T10:00:00Z', {
				respond: '2026-11-28T00:00:00Z',
				allocate: '2026-12-01T00:00:00Z'
			}),
			row('urgent today', 'today', '2026-11-30T09:00:00Z', URGENT_MONDAY)
		];
		expect(queueOrder(rows).map((r) => r.name)).toEqual([
			'urgent today',
			'this week, Thursday (overdue)',
			'this week, Friday',
			'calm, old',
			'closed urgent'
		]);
	});

	it('describes the clocks across the weekend', () => {
		const friday = row('f', 'this_week', '2026-11-27T15:00:00Z', FRIDAY);
		expect(friday.clocks.respond.text).toBe('12 hours left · by the end of Mon 30 Nov');
		expect(friday.clocks.allocate.text).toBe('36 hours left · by the end of Tue 1 Dec');
		const answered = row(
			'a',
			'this_week',
			'2026-11-27T15:00:00Z',
			FRIDAY,
			'new',
			'2026-11-30T09:00:00Z'
		);
		expect(answered.clocks.respond.text).toBe('Done in time');
	});

	it('gives "Urgent: today" a clock of 4 working hours, ending at a time of day', () => {
		const urgent = row('u', 'today', '2026-11-30T09:00:00Z', URGENT_MONDAY);
		expect(urgent.clocks.respond.label).toBe('Respond (within 4 working hours)');
		expect(urgent.clocks.respond.text).toBe('1 hour left · by 13:00, Mon 30 Nov');
		expect(urgent.clocks.allocate.text).toBe('2 days left · by the end of Wed 2 Dec');
	});

	it('describes the clocks in Welsh', () => {
		const r = {
			urgency: 'this_week' as const,
			respond_due: new Date(FRIDAY.respond),
			allocate_due: new Date(FRIDAY.allocate),
			responded_at: new Date('2026-11-30T09:00:00Z'),
			allocated_at: null
		};
		const clocks = requestClocks(r, now, { locale: 'cy' });
		expect(clocks.respond).toMatchObject({ label: 'Ymateb', text: "Wedi'i wneud mewn pryd" });
		expect(clocks.allocate).toMatchObject({
			label: 'Dyrannu',
			text: '36 awr ar ôl · erbyn diwedd Maw, 1 Rhag'
		});
	});
});
