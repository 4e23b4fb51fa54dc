import { describe, expect, it } from 'vitest';
import { addressKey } from './address';

describe('addressKey', () => {
	it('is stable for one address, differs between addresses, and never contains the address', () => {
		const a = addressKey('203.0.113.7', 'advocacy');
		expect(addressKey('203.0.113.7', 'advocacy')).toBe(a);
		expect(addressKey('203.0.113.8', 'advocacy')).not.toBe(a);
		expect(a).not.toContain('203.0.113.7');
		expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
	});

	it('gives one address a different key for each purpose, so their rows cannot be matched', () => {
		expect(addressKey('203.0.113.7', 'sign-in')).not.toBe(addressKey('203.0.113.7', 'advocacy'));
	});
});
