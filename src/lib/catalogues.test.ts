import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue, texts } from '../../tests/support/catalogues';

/**
 * The catalogues (messages/{locale}.json) are complete: every language has every message English
 * has and nothing else, uses the same {inputs} and {#markup}, is not left empty, and is not just
 * English again (a message that is the same in every language is allow-listed here, with why).
 * Words a Welsh speaker should check are listed in docs/welsh-review.md, by key.
 */
const root = path.resolve(import.meta.dirname, '../..');
const settings = JSON.parse(readFileSync(path.join(root, 'project.inlang/settings.json'), 'utf8'));
const locales: string[] = settings.locales;
const base: string = settings.baseLocale;

/** The same in every language: names. */
const SAME_IN_EVERY_LANGUAGE = new Set([
	'app_name', // the service's name
	'page_title', // "{page} – In My Words": only the name around the page's own title
	'timeline_kind_person' // "Person" is the Welsh word too
]);

/** The {inputs} and {#markup} a message uses. */
function placeholders(message: unknown): string[] {
	const found = new Set<string>();
	for (const text of texts(message)) {
		for (const [, name] of text.matchAll(/\{([#/]?[A-Za-z_][\w]*)\/?\}/g)) found.add(name!);
	}
	return [...found].sort();
}

const english = catalogue(base);

describe('message catalogues', () => {
	it('has English and Welsh', () => {
		expect(base).toBe('en');
		expect(locales).toEqual(expect.arrayContaining(['en', 'cy']));
		expect(readdirSync(path.join(root, 'messages')).sort()).toEqual(
			locales.map((l) => `${l}.json`).sort()
		);
	});

	for (const locale of locales.filter((l) => l !== base)) {
		describe(locale, () => {
			const translated = catalogue(locale);

			it(`has every ${base} message and no other`, () => {
				expect(Object.keys(translated).sort()).toEqual(Object.keys(english).sort());
			});

			it('uses the same inputs and markup in each message', () => {
				for (const key of Object.keys(english)) {
					expect(placeholders(translated[key]), key).toEqual(placeholders(english[key]));
				}
			});

			it('leaves no message empty or in English (apart from names)', () => {
				for (const key of Object.keys(english)) {
					const words = texts(translated[key]);
					expect(
						words.every((w) => w.trim() !== ''),
						key
					).toBe(true);
					if (SAME_IN_EVERY_LANGUAGE.has(key)) continue;
					const same = texts(english[key]).some((w) => words.includes(w));
					expect(same, `${key} is the same in ${locale} as in ${base}`).toBe(false);
				}
			});
		});
	}
});

describe('docs/welsh-review.md', () => {
	const file = path.join(root, 'docs/welsh-review.md');

	it('exists', () => {
		expect(existsSync(file)).toBe(true);
	});

	it('names only messages that exist', () => {
		const keys = [...readFileSync(file, 'utf8').matchAll(/^\| `([a-z0-9_]+)` +\|/gm)].map(
			(m) => m[1]!
		);
		const rows = readFileSync(file, 'utf8').match(/^\| `/gm) ?? [];
		expect(keys.length).toBeGreaterThan(0);
		expect(keys.length, 'every row starts with a message key').toBe(rows.length);
		for (const key of keys) expect(Object.keys(english), key).toContain(key);
		expect(new Set(keys).size, 'each message is listed once').toBe(keys.length);
	});

	// A merge that went wrong once left conflict markers here, which Markdown then showed as quotes.
	it('has no merge leftovers', () => {
		const text = readFileSync(file, 'utf8');
		expect(text).not.toMatch(/^(> )+|^\| =+ +\||^(<{7}|={7}|>{7})/m);
	});
});
