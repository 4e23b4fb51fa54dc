import { describe, expect, it } from 'vitest';
import { groupLooks, type LookRow } from './group';

const row = (over: Partial<LookRow>): LookRow => ({
	reader_id: 'priya',
	reader_name: 'Priya',
	mine: false,
	day: '2026-12-04',
	title: 'Care plan',
	purpose: 'view',
	times: 1,
	last_at: new Date('2026-12-04T10:00:00Z'),
	...over
});

describe('groupLooks', () => {
	it('puts one person’s looks on one day together, keeping the order given', () => {
		const groups = groupLooks([
			row({ purpose: 'edit', times: 3 }),
			row({ reader_id: 'jo', reader_name: 'Jo' }),
			row({ title: 'My story' }),
			row({ day: '2026-12-03' })
		]);
		expect(groups.map((g) => [g.readerName, g.items.length])).toEqual([
			['Priya', 2],
			['Jo', 1],
			['Priya', 1]
		]);
		expect(groups[0]!.items[0]).toEqual({ title: 'Care plan', purpose: 'edit', times: 3 });
	});
});
