import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/**
 * Yjs 13.6's undo can restore an item with a right origin its left origin no longer reaches
 * (yjs#794): the editor shows it in one place and every fresh load of the saved log in another,
 * so "saved" would not mean the same words after a reload (seed 15 of the own-words property
 * test). patches/yjs+*.patch applies the fix proposed upstream (yjs#796) on `npm ci`
 * (postinstall: patch-package), to the build browsers get and to the server's copy alike.
 */
describe('the patched Yjs', () => {
	it('checks that an undo’s right origin is reachable, in both builds', () => {
		const require = createRequire(import.meta.url);
		const cjs = require.resolve('yjs');
		for (const file of [cjs, cjs.replace(/yjs\.cjs$/, 'yjs.mjs')]) {
			expect(readFileSync(file, 'utf8'), file).toContain('yjs#794');
		}
	});
});
