import { describe, expect, it } from 'vitest';
import { isWellFormedReference, referenceAsTyped } from './advocacy-reference';

describe('isWellFormedReference', () => {
	it('takes a new reference in any case, with or without its dashes and spaces', () => {
		expect(isWellFormedReference('7KQM-4R2X-C9HT-WB3N-5PVE')).toBe(true);
		expect(isWellFormedReference('7kqm 4r2x c9ht wb3n 5pve')).toBe(true);
		expect(isWellFormedReference(' 7KQM4R2XC9HTWB3N5PVE ')).toBe(true);
	});

	it('refuses look-alike characters and the wrong length', () => {
		expect(isWellFormedReference('7KQM4R2XC9HTWB3N5PV0')).toBe(false);
		expect(isWellFormedReference('7kqm 4r2x c9ht wb3n 5pvl')).toBe(false);
		expect(isWellFormedReference('7KQM-4R2X-C9HT-WB3N')).toBe(false);
		expect(isWellFormedReference('not-a-reference')).toBe(false);
		expect(isWellFormedReference(null)).toBe(false);
	});

	it('still takes a reference given before, as it was given', () => {
		expect(isWellFormedReference('aB3_x-Yz09aB3_x-Yz09aB3_')).toBe(true);
		expect(referenceAsTyped(' aB3_x-Yz09 aB3_x-Yz09aB3_ ')).toBe('aB3_x-Yz09aB3_x-Yz09aB3_');
	});
});
