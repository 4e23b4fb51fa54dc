import { describe, expect, it } from 'vitest';
import { formatDate } from './dates';

describe('formatDate', () => {
	const afternoon = new Date('2026-07-04T13:05:00Z'); // 14:05 in London (summer time)

	it('speaks each language, in UK time', () => {
		expect(formatDate(afternoon, 'longDateTime', { locale: 'en' })).toBe('4 July 2026 at 14:05');
		expect(formatDate(afternoon, 'longDateTime', { locale: 'cy' })).toBe(
			'4 Gorffennaf 2026 am 14:05'
		);
		expect(formatDate(afternoon, 'dayMonth', { locale: 'en' })).toBe('Sat 4 Jul');
		expect(formatDate(afternoon, 'date', { locale: 'cy' })).toBe('4 Gorff 2026');
	});

	it('keeps a calendar date on its day when asked for UTC', () => {
		expect(formatDate('2027-03-12', 'longDate', { locale: 'en', timeZone: 'UTC' })).toBe(
			'12 March 2027'
		);
	});
});
