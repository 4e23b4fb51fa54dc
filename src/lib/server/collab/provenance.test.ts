import { getSchema } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Transform } from '@tiptap/pm/transform';
import StarterKit from '@tiptap/starter-kit';
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Ownership, refusalFor } from '../../collab/own-words.ts';
import { Provenance } from './provenance.ts';
import type { Writer } from './store.ts';

/**
 * Provenance as the server decides it, fed with the very updates y-tiptap makes from ProseMirror
 * changes (Enter, Backspace at a block's start, heading changes, undo). Priya writes only n–z
 * (and spaces), Sam (the young person) only a–m, so each character says who wrote it.
 */
const FIELD = 'default';
const schema = getSchema([StarterKit]);
const SAM = 'sam';
const PRIYA = 'priya';

function setUp() {
	const server = new Y.Doc();
	const writers = new Map<number, Writer>();
	const provenance = new Provenance(SAM, writers, []);
	const editors = new Map<string, Y.Doc>([
		[SAM, new Y.Doc()],
		[PRIYA, new Y.Doc()]
	]);
	/** Sends what `who` changed to the server, as the collab server would judge and apply it. */
	const send = (who: string, update: Uint8Array) => {
		const decoded = Y.decodeUpdate(update);
		if (who !== SAM) {
			const refusal = refusalFor(server, decoded, provenance.ownership);
			if (refusal) return refusal;
		}
		const editor = editors.get(who) as Y.Doc;
		const fresh = writers.has(editor.clientID) ? [] : [editor.clientID];
		if (fresh.length > 0 && who === SAM) provenance.ownership.clients.add(editor.clientID);
		provenance.judge(server, decoded, who, fresh);
		Y.applyUpdate(server, update);
		for (const client of fresh) provenance.bind(client, who);
		for (const other of editors.values()) Y.applyUpdate(other, update);
		return null;
	};
	/** `who` changes the document as ProseMirror would, through y-tiptap's own diffing. */
	const edit = (who: string, change: (doc: PMNode) => PMNode) => {
		const editor = editors.get(who) as Y.Doc;
		const fragment = editor.getXmlFragment(FIELD);
		const before = Y.encodeStateVector(editor);
		const next = change(yXmlFragmentToProseMirrorRootNode(fragment, schema));
		editor.transact(() => {
			updateYFragment(editor, fragment, next, { mapping: new Map(), isOMark: new Map() });
		}, 'local');
		return send(who, Y.encodeStateAsUpdate(editor, before));
	};
	/** Each visible character of the server's document and who it says wrote it. */
	const whoWrote = () => {
		const out: Array<[string, string | null]> = [];
		const walk = (type: { _start: Y.Item | null }) => {
			for (let item = type._start; item !== null; item = item.right) {
				if (item.deleted) continue;
				if (item.content instanceof Y.ContentType) walk(item.content.type);
				else if (item.content instanceof Y.ContentString) {
					for (let i = 0; i < item.length; i++) {
						const { writer } = provenance.writerAt(item.id.client, item.id.clock + i);
						out.push([item.content.str[i] as string, writer]);
					}
				}
			}
		};
		walk(server.getXmlFragment(FIELD));
		return out;
	};
	/** Characters whose recorded writer is not the one the character set names. */
	const misattributed = () =>
		whoWrote().filter(([ch, writer]) => {
			if (ch === ' ') return false;
			return writer !== (ch >= 'a' && ch <= 'm' ? SAM : PRIYA);
		});
	/** Sam's characters as browsers are told them (the Ownership the server sends). */
	const ownText = () => {
		const own = new Ownership(provenance.ownership.clients, provenance.ownership.runs());
		let text = '';
		const walk = (type: { _start: Y.Item | null }) => {
			for (let item = type._start; item !== null; item = item.right) {
				if (item.deleted) continue;
				if (item.content instanceof Y.ContentType) walk(item.content.type);
				else if (item.content instanceof Y.ContentString) {
					for (const [from, to] of own.spans(item.id.client, item.id.clock, item.length)) {
						text += item.content.str.slice(from, to);
					}
				}
			}
		};
		walk(server.getXmlFragment(FIELD));
		return text;
	};
	return { server, editors, provenance, edit, misattributed, ownText, send };
}

const paragraph = (text: string) => schema.node('paragraph', null, text ? schema.text(text) : []);
const docOf = (...texts: string[]) => schema.node('doc', null, texts.map(paragraph));
/** Types `text` at `pos`, as ProseMirror would. */
const ins = (d: PMNode, pos: number, text: string) =>
	new Transform(d).insert(pos, schema.text(text)).doc;
/** The document position just inside paragraph `index`, plus `offset` characters. */
function at(doc: PMNode, index: number, offset: number): number {
	let pos = 0;
	for (let i = 0; i < index; i++) pos += doc.child(i).nodeSize;
	return pos + 1 + offset;
}

describe('provenance that follows the words', () => {
	it('keeps Priya’s words hers when Sam presses Enter in the middle of them', () => {
		const { edit, misattributed, ownText } = setUp();
		expect(edit(PRIYA, () => docOf('pony rots to vow'))).toBeNull();
		expect(edit(SAM, (d) => new Transform(d).split(at(d, 0, 9)).doc)).toBeNull();
		expect(misattributed()).toEqual([]);
		expect(ownText()).toBe('');
	});

	it('refuses Priya pressing Enter where her words end and Sam’s start', () => {
		const { edit, misattributed, ownText } = setUp();
		edit(PRIYA, () => docOf('pony'));
		edit(SAM, (d) => ins(d, at(d, 0, 4), ' a bad cake'));
		expect(ownText()).toBe(' a bad cake');
		// y-tiptap re-inserts the paragraph's tail, his words with it, under her client: that
		// deletes his words, so it is refused (her editor offers a suggestion instead).
		expect(edit(PRIYA, (d) => new Transform(d).split(at(d, 0, 4)).doc)).toBe('deletes-own-words');
		expect(misattributed()).toEqual([]);
		expect(ownText()).toBe(' a bad cake');
	});

	it('keeps each writer’s words through a join (Backspace at a paragraph’s start)', () => {
		const { edit, misattributed, ownText } = setUp();
		edit(PRIYA, () => docOf('potty', 'snow'));
		edit(SAM, (d) => ins(d, at(d, 1, 0), 'bead '));
		expect(edit(SAM, (d) => new Transform(d).join(d.child(0).nodeSize).doc)).toBeNull();
		expect(misattributed()).toEqual([]);
		expect(ownText()).toBe('bead ');
	});

	it('keeps writers through a heading change and back', () => {
		const { edit, misattributed, ownText } = setUp();
		edit(PRIYA, () => docOf('torn'));
		edit(SAM, (d) => ins(d, at(d, 0, 4), ' jade'));
		const heading = schema.nodes.heading;
		const para = schema.nodes.paragraph;
		expect(heading && para).toBeTruthy();
		edit(SAM, (d) => new Transform(d).setBlockType(1, 2, heading!, { level: 2 }).doc);
		edit(SAM, (d) => new Transform(d).setBlockType(1, 2, para!).doc);
		expect(misattributed()).toEqual([]);
		expect(ownText()).toBe(' jade');
	});

	it('gives Priya’s words back to her when Sam undoes deleting them', () => {
		const { editors, send, edit, misattributed, ownText } = setUp();
		edit(PRIYA, () => docOf('stop now', 'run'));
		const samDoc = editors.get(SAM) as Y.Doc;
		const undo = new Y.UndoManager(samDoc.getXmlFragment(FIELD), {
			trackedOrigins: new Set(['local'])
		});
		// Sam deletes a word inside her paragraph, then her whole second paragraph.
		edit(SAM, (d) => new Transform(d).delete(at(d, 0, 4), at(d, 0, 8)).doc);
		undo.stopCapturing();
		edit(SAM, (d) => new Transform(d).delete(d.child(0).nodeSize, d.content.size).doc);
		for (let i = 0; i < 2; i++) {
			const before = Y.encodeStateVector(samDoc);
			undo.undo();
			expect(send(SAM, Y.encodeStateAsUpdate(samDoc, before))).toBeNull();
		}
		expect(misattributed()).toEqual([]);
		expect(ownText()).toBe('');
	});

	it('gives Priya’s letters back to her when Sam’s undo restores them into a block it restores later', () => {
		// Property seed 32: Sam deletes a letter of hers, then turns her paragraph into a heading
		// (which deletes the paragraph); undoing the heading restores the paragraph as a new block,
		// and undoing the deletion then puts her letter into that new block, after the restored
		// copy of the letter before it: placed against nothing deleted, as typing would be.
		const { editors, send, edit, misattributed, ownText } = setUp();
		edit(PRIYA, () => docOf('pozy'));
		const samDoc = editors.get(SAM) as Y.Doc;
		const undo = new Y.UndoManager(samDoc.getXmlFragment(FIELD), {
			trackedOrigins: new Set(['local'])
		});
		edit(SAM, (d) => new Transform(d).delete(at(d, 0, 3), at(d, 0, 4)).doc);
		undo.stopCapturing();
		const heading = schema.nodes.heading!;
		edit(SAM, (d) => new Transform(d).setBlockType(1, 2, heading, { level: 2 }).doc);
		undo.stopCapturing();
		for (let i = 0; i < 2; i++) {
			const before = Y.encodeStateVector(samDoc);
			undo.undo();
			expect(send(SAM, Y.encodeStateAsUpdate(samDoc, before))).toBeNull();
		}
		expect(samDoc.getXmlFragment(FIELD).toString()).toBe('<paragraph>pozy</paragraph>');
		expect(misattributed()).toEqual([]);
		expect(ownText()).toBe('');
	});

	it('gives Priya’s letters back to her when one undo restores them with the block they were in', () => {
		// Property seed 34: Sam presses Enter in her paragraph (its tail is deleted and re-inserted
		// as a new paragraph) and then turns the first half into a heading; Priya deletes the new
		// paragraph. One undo then restores her paragraph as a new block, with the letters his Enter
		// had deleted from it: nothing this undo deletes holds them any more.
		const { editors, send, edit, misattributed, ownText } = setUp();
		edit(PRIYA, () => docOf('nrrp', 'ox'));
		const samDoc = editors.get(SAM) as Y.Doc;
		const undo = new Y.UndoManager(samDoc.getXmlFragment(FIELD), {
			trackedOrigins: new Set(['local']),
			captureTimeout: Infinity
		});
		edit(SAM, (d) => new Transform(d).split(at(d, 0, 2)).doc);
		const heading = schema.nodes.heading!;
		edit(SAM, (d) => new Transform(d).setBlockType(1, 2, heading, { level: 2 }).doc);
		expect(
			edit(
				PRIYA,
				(d) =>
					new Transform(d).delete(d.child(0).nodeSize, d.child(0).nodeSize + d.child(1).nodeSize)
						.doc
			)
		).toBeNull();
		const before = Y.encodeStateVector(samDoc);
		undo.undo();
		expect(send(SAM, Y.encodeStateAsUpdate(samDoc, before))).toBeNull();
		expect(samDoc.getXmlFragment(FIELD).toString()).toBe(
			'<paragraph>nrrp</paragraph><paragraph>ox</paragraph>'
		);
		expect(misattributed()).toEqual([]);
		expect(ownText()).toBe('');
	});

	it('makes words Sam types again after deleting Priya’s his, not hers', () => {
		const { edit, ownText } = setUp();
		edit(PRIYA, () => docOf('stop now', 'or not'));
		// He deletes "now" and types it again: in one go, and (in her second paragraph) letter by
		// letter, as a phone sends it. (The oracle's letters cannot show this: he uses hers.)
		edit(SAM, (d) => new Transform(d).delete(at(d, 0, 5), at(d, 0, 8)).doc);
		expect(edit(SAM, (d) => ins(d, at(d, 0, 5), 'now'))).toBeNull();
		expect(ownText()).toBe('now');
		edit(SAM, (d) => new Transform(d).delete(at(d, 1, 3), at(d, 1, 6)).doc);
		for (const [i, letter] of [...'not'].entries()) {
			expect(edit(SAM, (d) => ins(d, at(d, 1, 3 + i), letter))).toBeNull();
		}
		expect(ownText()).toBe('nownot');
	});

	it('makes letters Sam types where he deleted Priya’s, in a block restored since, his', () => {
		const { editors, send, edit, ownText } = setUp();
		edit(PRIYA, () => docOf('stop now'));
		const samDoc = editors.get(SAM) as Y.Doc;
		const undo = new Y.UndoManager(samDoc.getXmlFragment(FIELD), {
			trackedOrigins: new Set(['local'])
		});
		edit(SAM, (d) => new Transform(d).delete(at(d, 0, 5), at(d, 0, 8)).doc);
		undo.stopCapturing();
		const heading = schema.nodes.heading!;
		edit(SAM, (d) => new Transform(d).setBlockType(1, 2, heading, { level: 2 }).doc);
		undo.stopCapturing();
		const before = Y.encodeStateVector(samDoc);
		undo.undo();
		expect(send(SAM, Y.encodeStateAsUpdate(samDoc, before))).toBeNull();
		// Typed after the restored copy of what stood before her word, as his undo would put it
		// back; but one letter at a time, and an undo restores a deletion whole.
		for (const [i, letter] of [...'now'].entries()) {
			expect(edit(SAM, (d) => ins(d, at(d, 0, 5 + i), letter))).toBeNull();
		}
		expect(ownText()).toBe('now');
	});

	it('keeps template prompts nobody’s when Sam presses Enter inside one', () => {
		const { edit, editors, provenance, send, ownText } = setUp();
		// The template, written by a client bound as the template (nobody's own words).
		const template = new Y.Doc();
		provenance.writers.set(template.clientID, { writerId: PRIYA, template: true });
		const fragment = template.getXmlFragment(FIELD);
		fragment.insert(0, [new Y.XmlElement('paragraph')]);
		(fragment.get(0) as Y.XmlElement).insert(0, [new Y.XmlText('How do you feel?')]);
		const update = Y.encodeStateAsUpdate(template);
		Y.applyUpdate(editors.get(PRIYA) as Y.Doc, update);
		expect(send(PRIYA, update)).toBeNull();
		expect(edit(SAM, (d) => new Transform(d).split(at(d, 0, 7)).doc)).toBeNull();
		expect(edit(SAM, (d) => ins(d, at(d, 1, 0), 'i am '))).toBeNull();
		// Only what Sam typed is his: the prompt's tail, moved by his Enter, is still nobody's.
		expect(ownText()).toBe('i am ');
	});

	it('refuses Priya pressing Enter in the middle of Sam’s words (it would re-insert them)', () => {
		const { edit, ownText } = setUp();
		edit(SAM, () => docOf('a bad cake'));
		expect(edit(PRIYA, (d) => new Transform(d).split(at(d, 0, 5)).doc)).toBe('deletes-own-words');
		expect(ownText()).toBe('a bad cake');
	});

	it('lets Priya write right before and right after Sam’s words, not inside', () => {
		const { edit, misattributed, ownText } = setUp();
		edit(SAM, () => docOf('bad'));
		expect(edit(PRIYA, (d) => ins(d, at(d, 0, 0), 'no '))).toBeNull();
		expect(edit(PRIYA, (d) => ins(d, at(d, 0, 6), ' yup'))).toBeNull();
		expect(edit(PRIYA, (d) => ins(d, at(d, 0, 4), 'x'))).toBe('changes-own-words');
		expect(misattributed()).toEqual([]);
		expect(ownText()).toBe('bad');
	});

	it('works out a deletion of 200 000 characters at once (select all, delete)', () => {
		const { send, editors, ownText } = setUp();
		const sam = editors.get(SAM) as Y.Doc;
		const fragment = sam.getXmlFragment(FIELD);
		let before = Y.encodeStateVector(sam);
		fragment.insert(0, [new Y.XmlElement('paragraph')]);
		(fragment.get(0) as Y.XmlElement).insert(0, [new Y.XmlText('abc'.repeat(66_667))]);
		expect(send(SAM, Y.encodeStateAsUpdate(sam, before))).toBeNull();
		before = Y.encodeStateVector(sam);
		((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 200_001);
		expect(send(SAM, Y.encodeStateAsUpdate(sam, before))).toBeNull();
		expect(ownText()).toBe('');
	});

	it('works out a deletion of 10 000 separate items at once in linear time', () => {
		const { send, editors, ownText } = setUp();
		const priya = editors.get(PRIYA) as Y.Doc;
		const fragment = priya.getXmlFragment(FIELD);
		let before = Y.encodeStateVector(priya);
		fragment.insert(0, [new Y.XmlElement('paragraph')]);
		const text = new Y.XmlText();
		(fragment.get(0) as Y.XmlElement).insert(0, [text]);
		// Each letter typed before the last: 10 000 items, none merged with its neighbour. Where
		// each deleted part stood is looked for once per item, not once per part and item (that
		// took some 20 s here).
		for (let i = 0; i < 10_000; i++) text.insert(0, 'o');
		expect(send(PRIYA, Y.encodeStateAsUpdate(priya, before))).toBeNull();
		before = Y.encodeStateVector(priya);
		text.delete(0, text.length);
		const started = performance.now();
		expect(send(PRIYA, Y.encodeStateAsUpdate(priya, before))).toBeNull();
		expect(performance.now() - started).toBeLessThan(4_000);
		expect(ownText()).toBe('');
	}, 60_000);
});
