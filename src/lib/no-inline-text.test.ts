import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanProject } from '../../scripts/i18n/inline-text-svelte.ts';
import type { Finding } from '../../scripts/i18n/inline-text.ts';

/**
 * Every word the app says comes from the catalogues (messages/*.json), so that it can be said
 * in Welsh too: this reads every Svelte and TypeScript file under src/ (with svelte/compiler and
 * the TypeScript AST) and fails on words written inline. The rules (what counts as words for
 * people, what is a code, a log line or SQL) are in scripts/i18n/inline-text.ts; their own tests
 * are in no-inline-text-rules.test.ts.
 *
 * Exceptions are listed in inline-text-allowed.json, each with why: names that are the same in
 * every language, protocol text no person reads. An entry that no longer matches anything fails
 * too, so the list stays true.
 */
interface Allowed {
	file: string;
	text: string;
	why: string;
}

const root = path.resolve(import.meta.dirname, '../..');
const allowed: Allowed[] = JSON.parse(
	readFileSync(path.join(import.meta.dirname, 'inline-text-allowed.json'), 'utf8')
);
const findings = scanProject(root);

/**
 * An entry names one text in one file, or (text "*") everything in a file or a folder: only for
 * code that by its nature speaks to programs, not people (the collab service's protocol).
 */
const matches = (entry: Allowed, finding: Finding) =>
	entry.text === '*'
		? finding.file === entry.file || finding.file.startsWith(`${entry.file}/`)
		: entry.file === finding.file && entry.text === finding.text;
const shown = (text: string) => (text.length > 120 ? `${text.slice(0, 119)}…` : text);

const HOW_TO_FIX = `Words people see must come from the catalogues: add a message to messages/en.json and
messages/cy.json (and docs/welsh-review.md if unsure of the Welsh) and use m.key() from
$lib/paraglide/messages.js. A string that is not words for people (a code, a name the same in every
language) goes in src/lib/inline-text-allowed.json with why. Found inline`;

describe('words people see come from the catalogues', () => {
	it('scans the source', () => {
		// A scan that silently found no files would pass whatever the code says.
		expect(new Set(findings.map((f) => f.file)).size).toBeGreaterThan(0);
		expect(findings.some((f) => f.file === 'src/lib/i18n.ts')).toBe(true);
	});

	it('has no words written inline in src/', () => {
		const inline = findings
			.filter((f) => !allowed.some((entry) => matches(entry, f)))
			.map((f) => `${f.file}:${f.line}  ${JSON.stringify(shown(f.text))}`);
		expect(inline, `${HOW_TO_FIX} (${inline.length})`).toEqual([]);
	});

	it('allows only what is still there, each with a reason', () => {
		const stale = allowed
			.filter((entry) => !findings.some((f) => matches(entry, f)))
			.map((entry) => `${entry.file}  ${JSON.stringify(entry.text)}`);
		expect(stale, 'Allow-list entries that match nothing any more: remove them').toEqual([]);
		for (const entry of allowed) expect(entry.why.trim(), entry.text).not.toBe('');
	});
});
