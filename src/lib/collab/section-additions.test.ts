import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CONTENT_FIELD } from './protocol.ts';
import { initialContent } from './templates.ts';
import {
	additionLines,
	additionUpdate,
	freshClientId,
	MAX_ADDITION_CHARS,
	sectionIds,
	WHOLE_DOCUMENT
} from './section-additions.ts';

function carePlan(): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, initialContent('care_plan'));
	return doc;
}

/** Each block's text, prompts shown by their id in brackets. */
function blocks(doc: Y.Doc): string[] {
	return doc
		.getXmlFragment(CONTENT_FIELD)
		.toArray()
		.map((b) =>
			b instanceof Y.XmlElement && b.getAttribute('promptId')
				? `[${String(b.getAttribute('promptId'))}]`
				: b instanceof Y.XmlElement
					? b
							.toArray()
							.map((c) => (c instanceof Y.XmlText ? c.toString() : '?'))
							.join('')
					: '?'
		);
}

describe('additionLines', () => {
	it('makes one paragraph per non-empty line, trimmed', () => {
		expect(additionLines('  One \r\n\r\nTwo\tthree\n')).toEqual({ lines: ['One', 'Two three'] });
	});

	it('refuses nothing, too much and control characters', () => {
		expect(additionLines(' \n\t ')).toEqual({ problem: 'empty' });
		expect(additionLines('x'.repeat(MAX_ADDITION_CHARS + 1))).toEqual({ problem: 'too long' });
		// A browser's CRLF line breaks count as one character each, as the text box counted them.
		expect(additionLines('x\r\n'.repeat(MAX_ADDITION_CHARS / 2))).toHaveProperty('lines');
		expect(additionLines('nul\u0000')).toEqual({ problem: 'characters' });
		expect(additionLines('escape\u001b[31m')).toEqual({ problem: 'characters' });
	});
});

describe('additionUpdate', () => {
	it('fills the section’s empty paragraph, then adds paragraphs, under the given client only', () => {
		const doc = carePlan();
		const before = blocks(doc);
		const update = additionUpdate(doc, 'care_plan.wishes_and_feelings', ['One', 'Two'], 4242);
		expect(update).not.toBeNull();
		// The document itself is untouched until the update is applied.
		expect(blocks(doc)).toEqual(before);
		const decoded = Y.decodeUpdate(update!);
		expect(new Set(decoded.structs.map((s) => s.id.client))).toEqual(new Set([4242]));
		expect(decoded.ds.clients.size).toBe(0);
		Y.applyUpdate(doc, update!);
		const after = blocks(doc);
		const at = after.indexOf('[care_plan.wishes_and_feelings]');
		expect(after.slice(at, at + 4)).toEqual([
			'[care_plan.wishes_and_feelings]',
			'One',
			'Two',
			'[care_plan.where_i_live]'
		]);
		expect(after).toHaveLength(before.length + 1);
	});

	it('adds after words already there', () => {
		const doc = carePlan();
		Y.applyUpdate(doc, additionUpdate(doc, 'care_plan.health', ['First'], 1)!);
		Y.applyUpdate(doc, additionUpdate(doc, 'care_plan.health', ['Second'], 2)!);
		const after = blocks(doc);
		const at = after.indexOf('[care_plan.health]');
		expect(after.slice(at + 1, at + 3)).toEqual(['First', 'Second']);
	});

	it('adds at the end of a document without sections, and nowhere for an unknown section', () => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, additionUpdate(doc, WHOLE_DOCUMENT, ['Hello'], 7)!);
		expect(blocks(doc)).toEqual(['Hello']);
		expect(additionUpdate(carePlan(), 'care_plan.nope', ['x'], 8)).toBeNull();
		expect(sectionIds(carePlan())).toContain('care_plan.iro');
	});

	it('picks a client id nobody has used', () => {
		const doc = carePlan();
		const taken = new Map([[1, null]]);
		const id = freshClientId(doc, taken);
		expect(doc.store.clients.has(id)).toBe(false);
		expect(taken.has(id)).toBe(false);
	});
});
