import { describe, expect, it } from 'vitest';
import {
	decodeReadingCookie,
	DEFAULT_READING,
	encodeReadingCookie,
	readingClasses,
	type ReadingSettings
} from './reading-settings';

const chosen: ReadingSettings = {
	textSize: 'larger',
	readableFont: true,
	wideSpacing: true,
	highContrast: true,
	reducedMotion: true,
	readAloud: true
};

describe('reading settings', () => {
	it('travel in the cookie and come back the same', () => {
		expect(decodeReadingCookie(encodeReadingCookie(chosen))).toEqual(chosen);
		const some = { ...DEFAULT_READING, textSize: 'large' as const, highContrast: true };
		expect(decodeReadingCookie(encodeReadingCookie(some))).toEqual(some);
	});

	it('leave no cookie value for the defaults', () => {
		expect(encodeReadingCookie(DEFAULT_READING)).toBe('');
		expect(decodeReadingCookie(undefined)).toEqual(DEFAULT_READING);
	});

	it('read anything else in a cookie as the defaults, never as an error', () => {
		expect(decodeReadingCookie('size=huge&font=yes')).toEqual(DEFAULT_READING);
		expect(decodeReadingCookie('%%%')).toEqual(DEFAULT_READING);
		expect(decodeReadingCookie(`size=large&${'x'.repeat(300)}`)).toEqual(DEFAULT_READING);
	});

	it('become the classes app.css styles', () => {
		expect(readingClasses(DEFAULT_READING)).toBe('');
		expect(readingClasses(chosen).split(' ').sort()).toEqual(
			['contrast-high', 'font-readable', 'motion-reduced', 'spacing-wide', 'text-larger'].sort()
		);
	});
});
