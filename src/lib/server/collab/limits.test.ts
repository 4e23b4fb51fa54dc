import { describe, expect, it } from 'vitest';
import { tokenBucket } from './limits.ts';

describe('tokenBucket', () => {
	it('allows a burst, refuses beyond it, and refills at the rate', () => {
		let now = 0;
		const bucket = tokenBucket(10, 3, () => now);
		expect([bucket.take(1), bucket.take(1), bucket.take(1), bucket.take(1)]).toEqual([
			true,
			true,
			true,
			false
		]);
		now = 100; // 0.1 s at 10/s: one more
		expect(bucket.take(1)).toBe(true);
		expect(bucket.take(1)).toBe(false);
		now = 10_000; // never more than the burst
		expect([bucket.take(3), bucket.take(1)]).toEqual([true, false]);
	});
});
