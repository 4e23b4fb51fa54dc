import { afterEach, describe, expect, it } from 'vitest';
import { baseLocale, overwriteGetLocale } from '$lib/paraglide/runtime.js';
import { parseForm } from '$lib/server/forms';
import { RequestForm } from './request-form';

function formData(fields: Record<string, string>) {
	const f = new FormData();
	for (const [k, v] of Object.entries(fields)) f.set(k, v);
	return f;
}

const good = {
	service: '00000000-0000-4000-8000-0000000000a2',
	callMe: 'Kai',
	about: 'My flat',
	urgency: 'today',
	careStatus: 'care_leaver',
	socialWorkerMayKnow: 'no'
};

describe('the request form', () => {
	it('accepts the least the standards need; optional answers become null', () => {
		const result = parseForm(RequestForm, formData(good));
		expect(result.ok).toBe(true);
		if (result.ok) expect(result.data.contactHow).toBeNull();
	});

	it('says clearly what is missing, in plain words', () => {
		const result = parseForm(RequestForm, formData({}));
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.errors).toMatchObject({
				callMe: 'Please enter what we should call you.',
				about: 'Please enter what it is about.',
				urgency: 'Please choose how soon you need help.',
				careStatus: 'Please choose the answer closest to you.'
			});
		}
	});

	describe('in Welsh', () => {
		// As the hooks do for a request in Welsh: every message asks for the current language.
		afterEach(() => overwriteGetLocale(() => baseLocale));

		it('says what is missing in the language of the request', () => {
			overwriteGetLocale(() => 'cy');
			const result = parseForm(RequestForm, formData({}));
			expect(result.ok).toBe(false);
			if (!result.ok) {
				expect(result.errors).toMatchObject({
					callMe: 'Rhowch yr enw rydych chi eisiau i ni ei ddefnyddio.',
					urgency: 'Dewiswch pa mor fuan mae angen help arnoch chi.'
				});
			}
		});
	});

	it('refuses oversize text and keeps what was typed', () => {
		const about = 'a'.repeat(4001);
		const result = parseForm(RequestForm, formData({ ...good, about }));
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.errors.about).toBe('Please keep what it is about to 4000 characters or fewer.');
			expect(result.values.about).toBe(about);
		}
	});

	it('refuses a choice that is not on the form', () => {
		const result = parseForm(RequestForm, formData({ ...good, urgency: 'yesterday' }));
		expect(result.ok).toBe(false);
	});
});
