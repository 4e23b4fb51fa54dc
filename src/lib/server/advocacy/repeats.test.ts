import { describe, expect, it } from 'vitest';
import { groupRepeats } from './repeats';

describe('groupRepeats', () => {
	it('puts repeats under the first request of the day, in the order given', () => {
		const grouped = groupRepeats([
			{ id: 'b', repeat_of: 'a' },
			{ id: 'a', repeat_of: null },
			{ id: 'x', repeat_of: null },
			{ id: 'c', repeat_of: 'a' }
		]);
		expect(grouped.map((g) => [g.id, g.repeats.map((r) => r.id)])).toEqual([
			['a', ['b', 'c']],
			['x', []]
		]);
	});

	it('keeps a repeat on its own when its first request is not listed', () => {
		expect(groupRepeats([{ id: 'b', repeat_of: 'gone' }]).map((g) => g.id)).toEqual(['b']);
	});
});
