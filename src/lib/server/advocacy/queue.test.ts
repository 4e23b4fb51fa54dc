import { describe, expect, it } from 'vitest';
import type { Urgency } from '$lib/server/db/schema-advocacy';
import { queueOrder, requestClocks } from './queue';

const now = new Date('2026-11-30T12:00:00Z'); // Monday noon

function row(name: string, urgency: Urgency, created: string, status = 'new', responded?: string) {
	const r = {
		name,
		status,
		urgency,
		created_at: new Date(created),
		responded_at: responded ? new Date(responded) : null,
		allocated_at: null
	};
	return { ...r, clocks: requestClocks(r, now) };
}

describe('the advocacy queue', () => {
	it('sorts by open first, then urgency, then the clock that runs out soonest', () => {
		const rows = [
			row('calm, old', 'not_urgent', '2026-11-20T09:00:00Z'),
			row('this week, Friday', 'this_week', '2026-11-27T15:00:00Z'),
			row('closed urgent', 'today', '2026-11-30T08:00:00Z', 'closed'),
			row('this week, Thursday (overdue)', 'this_week', '2026-11-26T10:00:00Z'),
			row('urgent today', 'today', '2026-11-30T09:00:00Z')
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
		const friday = row('f', 'this_week', '2026-11-27T15:00:00Z');
		expect(friday.clocks.respond.text).toBe('12 hours left · by the end of Mon 30 Nov');
		expect(friday.clocks.allocate.text).toBe('36 hours left · by the end of Tue 1 Dec');
		const answered = row('a', 'this_week', '2026-11-27T15:00:00Z', 'new', '2026-11-30T09:00:00Z');
		expect(answered.clocks.respond.text).toBe('Done in time');
	});

	it('describes the clocks in Welsh', () => {
		const r = {
			created_at: new Date('2026-11-27T15:00:00Z'),
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
