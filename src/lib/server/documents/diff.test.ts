import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { blocksOf, diffBlocks, diffSummary, type Block } from './diff';
import { CONTENT_FIELD } from './render-html';
import { promptElement } from '../../collab/prompts';
import { Ownership } from '../../collab/own-words';

function p(text: string): Block {
	return { kind: 'paragraph', text, ownWords: false };
}

function docWith(build: (fragment: Y.XmlFragment) => void): Y.Doc {
	const doc = new Y.Doc();
	build(doc.getXmlFragment(CONTENT_FIELD));
	return doc;
}

function element(name: string, children: (Y.XmlElement | Y.XmlText)[], attrs = {}): Y.XmlElement {
	const el = new Y.XmlElement(name);
	for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as string);
	el.insert(0, children);
	return el;
}

function text(s: string): Y.XmlText {
	const t = new Y.XmlText();
	t.insert(0, s);
	return t;
}

describe('blocksOf', () => {
	it('reads headings, paragraphs, list items and quotes in order, leaving out empty ones', () => {
		const doc = docWith((f) =>
			f.insert(0, [
				element('heading', [text('About me')], { level: '2' }),
				element('paragraph', [text('I like '), text('football')]),
				element('paragraph', []),
				element('bulletList', [
					element('listItem', [element('paragraph', [text('Gran')])]),
					element('listItem', [element('paragraph', [text('My brother')])])
				]),
				element('blockquote', [element('paragraph', [text('Be kind')])])
			])
		);
		expect(blocksOf(doc)).toEqual([
			{ kind: 'heading', text: 'About me', ownWords: false },
			{ kind: 'paragraph', text: 'I like football', ownWords: false },
			{ kind: 'list item', text: 'Gran', ownWords: false },
			{ kind: 'list item', text: 'My brother', ownWords: false },
			{ kind: 'quote', text: 'Be kind', ownWords: false }
		]);
	});
});

describe('blocksOf with template prompts', () => {
	it('reads a prompt as its heading and its prompt, never as the young person’s words', () => {
		const doc = docWith((f) =>
			f.insert(0, [
				promptElement('care_plan.wishes_and_feelings'),
				element('paragraph', [text('I want to live with my nan')])
			])
		);
		// Even when the client that made the prompt counts as theirs (a story they started).
		const own = new Ownership([doc.clientID]);
		expect(blocksOf(doc, own)).toEqual([
			{ kind: 'heading', text: 'My wishes and feelings', ownWords: false },
			{
				kind: 'prompt',
				text: 'What do you want to happen? How do you feel about things right now?',
				ownWords: false
			},
			{
				kind: 'paragraph',
				text: 'I want to live with my nan',
				ownWords: true,
				// Marked per run of their characters since provenance (here, all of them).
				ownRuns: [{ from: 0, to: 26 }]
			}
		]);
	});
});

describe('diffBlocks', () => {
	it('finds nothing changed between equal versions', () => {
		const blocks = [p('a'), p('b')];
		const entries = diffBlocks(blocks, blocks);
		expect(entries.every((e) => e.change === 'same')).toBe(true);
		expect(diffSummary(entries)).toEqual({ added: 0, removed: 0 });
	});

	it('shows a changed block as the old one removed, then the new one added, in place', () => {
		const entries = diffBlocks([p('a'), p('b'), p('c')], [p('a'), p('B'), p('c'), p('d')]);
		expect(entries).toEqual([
			{ change: 'same', block: p('a') },
			{ change: 'removed', block: p('b') },
			{ change: 'added', block: p('B') },
			{ change: 'same', block: p('c') },
			{ change: 'added', block: p('d') }
		]);
		expect(diffSummary(entries)).toEqual({ added: 2, removed: 1 });
	});

	it('keeps the longest run of unchanged blocks when blocks move', () => {
		const entries = diffBlocks([p('x'), p('a'), p('b'), p('c')], [p('a'), p('b'), p('c'), p('x')]);
		expect(entries.map((e) => `${e.change} ${e.block.text}`)).toEqual([
			'removed x',
			'same a',
			'same b',
			'same c',
			'added x'
		]);
	});

	it('treats a heading and a paragraph with the same words as different blocks', () => {
		const entries = diffBlocks(
			[{ kind: 'heading', text: 'Health', ownWords: false }],
			[p('Health')]
		);
		expect(diffSummary(entries)).toEqual({ added: 1, removed: 1 });
	});

	it('handles an empty side', () => {
		expect(diffBlocks([], [p('a')])).toEqual([{ change: 'added', block: p('a') }]);
		expect(diffBlocks([p('a')], [])).toEqual([{ change: 'removed', block: p('a') }]);
	});

	it('still answers, coarsely, for very large documents', () => {
		const from = Array.from({ length: 3000 }, (_, i) => p(`old ${i}`));
		const to = Array.from({ length: 3000 }, (_, i) => p(`new ${i}`));
		expect(diffSummary(diffBlocks(from, to))).toEqual({ added: 3000, removed: 3000 });
	});
});

describe('blocksOf with the young person’s clients', () => {
	it('says which blocks hold their own words', () => {
		const worker = docWith((f) =>
			f.insert(0, [element('heading', [text('About me')]), element('paragraph', [text('')])])
		);
		const young = new Y.Doc();
		Y.applyUpdate(young, Y.encodeStateAsUpdate(worker));
		const paragraph = young.getXmlFragment(CONTENT_FIELD).get(1) as Y.XmlElement;
		(paragraph.get(0) as Y.XmlText).insert(0, 'I like football');
		expect(blocksOf(young, new Ownership([young.clientID]))).toEqual([
			{ kind: 'heading', text: 'About me', ownWords: false },
			{ kind: 'paragraph', text: 'I like football', ownWords: true, ownRuns: [{ from: 0, to: 15 }] }
		]);
	});

	it('says where their words are, run by run, wherever they have moved', () => {
		const worker = docWith((f) => f.insert(0, [element('paragraph', [text('Dentist booked')])]));
		const young = new Y.Doc();
		Y.applyUpdate(young, Y.encodeStateAsUpdate(worker));
		const words = (young.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
		words.insert(7, ' I hate the');
		// "booked" moved by someone else's editor but still written by the young person.
		const first = words._start?.id.clock ?? 0;
		const own = new Ownership(
			[young.clientID],
			[{ client: worker.clientID, clock: first + 8, len: 6, own: true }]
		);
		expect(blocksOf(young, own)).toEqual([
			{
				kind: 'paragraph',
				text: 'Dentist I hate the booked',
				ownWords: true,
				ownRuns: [
					{ from: 7, to: 18 },
					{ from: 19, to: 25 }
				]
			}
		]);
	});
});

describe('blocksOf a stored document', () => {
	it('reads a document rebuilt from its encoded state', () => {
		const original = docWith((f) =>
			f.insert(0, [
				element('heading', [text('About me')], { level: '2' }),
				element('paragraph', [text('Hi')])
			])
		);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(original));
		expect(blocksOf(copy)).toEqual([
			{ kind: 'heading', text: 'About me', ownWords: false },
			{ kind: 'paragraph', text: 'Hi', ownWords: false }
		]);
	});
});
