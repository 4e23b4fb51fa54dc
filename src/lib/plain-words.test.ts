import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue, texts } from '../../tests/support/catalogues';

/**
 * Jargon stays out of the app's words (issue 16, item 8): docs/plain-words.md lists words we used
 * to say and what we say instead, in English and in Welsh; no message in either catalogue may
 * use a listed word again.
 */
const root = path.resolve(import.meta.dirname, '../..');
const table = readFileSync(path.join(root, 'docs/plain-words.md'), 'utf8');
const rows = [...table.matchAll(/^\| `([^`]+)` +\|[^|]+\| `([^`]+)` +\|/gm)].map((m) => ({
	en: m[1]!,
	cy: m[2]!
}));

/** Every piece of text in a catalogue, by key (variants of a plural message included). */
const keyedTexts = (locale: string): [string, string][] =>
	Object.entries(catalogue(locale)).flatMap(([key, message]) =>
		texts(message).map((text): [string, string] => [key, text])
	);

const uses = (text: string, word: string) =>
	new RegExp(`(^|[^\\p{L}])${word}`, 'iu').test(text.replace(/\s+/g, ' '));

describe('plain words', () => {
	it('has a word list', () => {
		expect(rows.map((r) => r.en)).toEqual(expect.arrayContaining(['passphrase', 'reference']));
	});

	for (const locale of ['en', 'cy'] as const) {
		it(`keeps the jargon out of the ${locale} catalogue`, () => {
			const found = keyedTexts(locale).flatMap(([key, text]) =>
				rows.filter((row) => uses(text, row[locale])).map((row) => `${key}: ${row[locale]}`)
			);
			expect(found).toEqual([]);
		});
	}

	it('would catch a word from the list', () => {
		expect(uses('Choose a passphrase', 'passphrase')).toBe(true);
		expect(uses('Eich cyfeirnod preifat', 'cyfeirnod')).toBe(true);
		expect(uses('Your private code', 'reference')).toBe(false);
	});
});
