import { describe, expect, it } from 'vitest';
import { makeUsername, signInEmailFor, signInNameFor } from './username';

describe('usernames for people without email', () => {
	it('keeps a username under the no-mail domain and gives it back for signing in', () => {
		const email = signInEmailFor('  Sam-4821 ');
		expect(email).toBe('sam-4821@people.inmywords.invalid');
		expect(signInNameFor(email)).toBe('sam-4821');
	});

	it('leaves a real email address as it is (lower-cased)', () => {
		expect(signInEmailFor('Jo.Parent@Example.org')).toBe('jo.parent@example.org');
		expect(signInNameFor('jo.parent@example.org')).toBe('jo.parent@example.org');
	});

	it('makes a readable username from any preferred name', () => {
		expect(makeUsername('Zoë Ann', () => 42)).toBe('zoe-ann-0042');
		expect(makeUsername('   ', () => 7)).toBe('me-0007');
		expect(makeUsername('李', () => 1234)).toBe('me-1234');
	});
});
