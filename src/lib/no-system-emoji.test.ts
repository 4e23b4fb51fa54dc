import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Faces and icons are drawn by the app (inline SVG: Face.svelte, Icon.svelte), never left to the
 * phone's emoji font, which draws them differently on every phone and as empty boxes on some
 * (issue 16, item 7). So no emoji may appear in what the app shows: its components, its modules
 * and its words in every language.
 */
const root = path.resolve(import.meta.dirname, '../..');

function filesUnder(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'paraglide' ? [] : filesUnder(full);
		return /\.(svelte|ts|css|html)$/.test(entry.name) && !entry.name.endsWith('.test.ts')
			? [full]
			: [];
	});
}

// Pictographs and emoji presentation; plain typography (arrows, dashes, ©) is allowed.
const EMOJI = /\p{Extended_Pictographic}|\u{FE0F}|\p{Regional_Indicator}/u;
const ALLOWED = new Set(['©', '®', '™', '↔', '↕', '↩', '↪']);

function emojiIn(text: string): string[] {
	return [...text].filter((ch) => EMOJI.test(ch) && !ALLOWED.has(ch));
}

describe('no system emoji', () => {
	const files = [
		...filesUnder(path.join(root, 'src')),
		...readdirSync(path.join(root, 'messages')).map((f) => path.join(root, 'messages', f))
	];

	it('looks at the components and the catalogues', () => {
		expect(files.some((f) => f.endsWith('QuestionField.svelte'))).toBe(true);
		expect(files.some((f) => f.endsWith('cy.json'))).toBe(true);
	});

	it('finds none in what the app shows', () => {
		const found = files.flatMap((file) =>
			emojiIn(readFileSync(file, 'utf8')).map((ch) => `${path.relative(root, file)}: ${ch}`)
		);
		expect(found).toEqual([]);
	});

	it('would find the faces the survey used to show', () => {
		expect(emojiIn('😢 🙁 😐 🙂 😄 🔊')).toHaveLength(6);
	});
});
