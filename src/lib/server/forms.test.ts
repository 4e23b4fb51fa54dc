import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
	checkbox,
	isRealDate,
	optionalText,
	parseForm,
	passphrase,
	requiredText,
	safeNext
} from './forms';

function formData(entries: Record<string, string>): FormData {
	const fd = new FormData();
	for (const [k, val] of Object.entries(entries)) fd.append(k, val);
	return fd;
}

describe('parseForm', () => {
	const Schema = v.object({
		name: requiredText('your name', 5),
		pronouns: optionalText('your pronouns', 10),
		largerText: checkbox,
		secret: passphrase
	});

	it('returns typed data from valid input', () => {
		const result = parseForm(
			Schema,
			formData({ name: ' Sam ', largerText: 'on', secret: 'long enough words' })
		);
		expect(result).toMatchObject({
			ok: true,
			data: { name: 'Sam', pronouns: null, largerText: true, secret: 'long enough words' }
		});
	});

	it('gives one clear message per field and never echoes secrets', () => {
		const result = parseForm(Schema, formData({ name: 'toolongname', secret: 'short' }), [
			'secret'
		]);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors.name).toBe('Please keep your name to 5 characters or fewer.');
		expect(result.errors.secret).toMatch(/at least 10 characters/);
		expect(result.values).toEqual({ name: 'toolongname' });
	});

	it('treats a missing field as empty, not as a crash', () => {
		const result = parseForm(Schema, formData({}));
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors.name).toBe('Please enter your name.');
	});

	it('refuses files where text is expected', () => {
		const fd = new FormData();
		fd.append('name', new Blob(['x']), 'x.txt');
		fd.append('secret', 'long enough words');
		const result = parseForm(Schema, fd);
		expect(result.ok).toBe(false);
	});
});

describe('safeNext', () => {
	it('allows paths inside the app only', () => {
		expect(safeNext('/circle')).toBe('/circle');
		expect(safeNext('//evil.example/x')).toBe('/home');
		expect(safeNext('https://evil.example')).toBe('/home');
		expect(safeNext('/\\evil.example')).toBe('/home');
		expect(safeNext(null)).toBe('/home');
		expect(safeNext('/\t/evil.example')).toBe('/home');
		expect(safeNext('/\n/evil.example')).toBe('/home');
		expect(safeNext('/a\\b')).toBe('/home');
	});

	it('refuses what cannot go into a Location header (a 500 before), keeping encoded paths', () => {
		expect(safeNext('/。evil')).toBe('/home');
		expect(safeNext('/caf\u00e9')).toBe('/home');
		expect(safeNext('/%E3%80%82evil')).toBe('/%E3%80%82evil');
	});
});

describe('isRealDate', () => {
	it('takes real calendar dates only', () => {
		expect(isRealDate('2026-12-03')).toBe(true);
		expect(isRealDate('2028-02-29')).toBe(true);
		expect(isRealDate('2026-13-45')).toBe(false);
		expect(isRealDate('2026-02-30')).toBe(false);
		expect(isRealDate('2026-2-3')).toBe(false);
		expect(isRealDate('')).toBe(false);
	});
});
