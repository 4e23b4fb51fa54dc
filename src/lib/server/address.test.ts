import { describe, expect, it } from 'vitest';
import { addressKey } from './address';

describe('addressKey', () => {
	it('is stable for one address, differs between addresses, and never contains the address', () => {
		const a = addressKey('203.0.113.7');
		expect(addressKey('203.0.113.7')).toBe(a);
		expect(addressKey('203.0.113.8')).not.toBe(a);
		expect(a).not.toContain('203.0.113.7');
		expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
	});
});
