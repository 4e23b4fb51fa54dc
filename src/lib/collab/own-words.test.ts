import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { clientsCreatedBy, ownRangesInBlock, Ownership, refusalFor } from './own-words';

const FIELD = 'default';

/** A server doc plus two editors (a social worker and the young person), kept in sync. */
function setUp() {
	const server = new Y.Doc();
	const worker = new Y.Doc();
	const young = new Y.Doc();
	// The social worker starts the document: a heading and an empty paragraph.
	const heading = new Y.XmlElement('heading');
	heading.insert(0, [new Y.XmlText('My wishes and feelings')]);
	const paragraph = new Y.XmlElement('paragraph');
	paragraph.insert(0, [new Y.XmlText()]);
	worker.getXmlFragment(FIELD).insert(0, [heading, paragraph]);
	sync(worker, server);
	sync(server, young);
	return { server, worker, young, subject: new Ownership([young.clientID]) };
}

function sync(from: Y.Doc, to: Y.Doc) {
	Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

function addBlock(doc: Y.Doc, text: string): void {
	const paragraph = new Y.XmlElement('paragraph');
	paragraph.insert(0, [new Y.XmlText(text)]);
	const fragment = doc.getXmlFragment(FIELD);
	fragment.insert(fragment.length, [paragraph]);
}

function textOf(doc: Y.Doc, block: number): Y.XmlText {
	const element = doc.getXmlFragment(FIELD).get(block) as Y.XmlElement;
	return element.get(0) as Y.XmlText;
}

/** What `editor` changes in `edit`, as one update, judged against the server's doc. */
function judge(server: Y.Doc, editor: Y.Doc, subject: Ownership, edit: () => void) {
	const before = Y.encodeStateVector(editor);
	edit();
	const update = Y.encodeStateAsUpdate(editor, before);
	return refusalFor(server, Y.decodeUpdate(update), subject);
}

/** An update that only deletes `len` items of `client` from `clock` (as a crafted client might). */
function deleteOnly(client: number, clock: number, len: number): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0); // no structs
	encoding.writeVarUint(encoder, 1); // one client in the delete set
	encoding.writeVarUint(encoder, client);
	encoding.writeVarUint(encoder, 1);
	encoding.writeVarUint(encoder, clock);
	encoding.writeVarUint(encoder, len);
	return encoding.toUint8Array(encoder);
}

describe('own words', () => {
	it('finds the young person’s runs inside a block, skipping others’ words', () => {
		const { server, worker, young, subject } = setUp();
		textOf(young, 1).insert(0, 'I want to live with my nan');
		sync(young, server);
		sync(server, worker);
		textOf(worker, 1).insert(0, 'Sam said: ');
		sync(worker, server);
		const block = server.getXmlFragment(FIELD).get(1) as Y.XmlElement;
		expect(ownRangesInBlock(block, subject)).toEqual([{ from: 10, to: 36 }]);
		expect(ownRangesInBlock(block, new Ownership([worker.clientID]))).toEqual([
			{ from: 0, to: 10 }
		]);
	});

	it('refuses others deleting, inserting into or formatting the young person’s words', () => {
		const { server, worker, young, subject } = setUp();
		textOf(young, 1).insert(0, 'I want to live with my nan');
		sync(young, server);
		sync(server, worker);
		expect(judge(server, worker, subject, () => textOf(worker, 1).delete(0, 2))).toBe(
			'deletes-own-words'
		);
	});

	it('refuses an insertion inside their words and formatting them', () => {
		const { server, worker, young, subject } = setUp();
		textOf(young, 1).insert(0, 'I want to live with my nan');
		sync(young, server);
		const a = new Y.Doc();
		sync(server, a);
		expect(judge(server, a, subject, () => textOf(a, 1).insert(7, 'not '))).toBe(
			'changes-own-words'
		);
		const b = new Y.Doc();
		sync(server, b);
		// Right after their words is not inside them: others may write before and after.
		expect(judge(server, b, subject, () => textOf(b, 1).insert(26, ' sometimes'))).toBeNull();
		const c = new Y.Doc();
		sync(server, c);
		expect(judge(server, c, subject, () => textOf(c, 1).format(0, 6, { strike: true }))).toBe(
			'changes-own-words'
		);
		void worker;
	});

	it('lets an editor write just after or before their words while they add to them there', () => {
		const { server, worker, young, subject } = setUp();
		textOf(young, 1).insert(0, 'abc');
		sync(young, server);
		sync(server, worker);
		const other = new Y.Doc();
		sync(server, other);
		// Concurrently: Sam adds to the end (and start) of his words; Priya, who has not seen that
		// yet, writes just after (and before) them. Sam's edit reaches the server first.
		textOf(young, 1).insert(3, 'de');
		textOf(young, 1).insert(0, 'z');
		sync(young, server);
		expect(judge(server, worker, subject, () => textOf(worker, 1).insert(3, 'xy'))).toBeNull();
		expect(judge(server, other, subject, () => textOf(other, 1).insert(0, 'w'))).toBeNull();
		// Still refused: between two of his characters, as the server now holds them.
		const fresh = new Y.Doc();
		sync(server, fresh);
		expect(judge(server, fresh, subject, () => textOf(fresh, 1).insert(4, 'q'))).toBe(
			'changes-own-words'
		);
	});

	it('refuses deleting the block that holds their words', () => {
		const { server, worker, young, subject } = setUp();
		textOf(young, 1).insert(0, 'I want to live with my nan');
		sync(young, server);
		sync(server, worker);
		expect(judge(server, worker, subject, () => worker.getXmlFragment(FIELD).delete(1, 1))).toBe(
			'deletes-own-words'
		);
	});

	it('lets others add their own blocks and change their own words', () => {
		const { server, worker, young, subject } = setUp();
		textOf(young, 1).insert(0, 'I want to live with my nan');
		sync(young, server);
		sync(server, worker);
		const added = judge(server, worker, subject, () => {
			const paragraph = new Y.XmlElement('paragraph');
			paragraph.insert(0, [new Y.XmlText('Priya will ask Nan about weekends.')]);
			worker.getXmlFragment(FIELD).insert(2, [paragraph]);
		});
		expect(added).toBeNull();
		sync(worker, server);
		expect(
			judge(server, worker, subject, () => {
				textOf(worker, 2).insert(0, 'Next: ');
				textOf(worker, 0).insert(0, '1. ');
			})
		).toBeNull();
	});

	it('judges nothing when the young person has written nothing', () => {
		const { server, worker } = setUp();
		expect(judge(server, worker, new Ownership(), () => textOf(worker, 0).delete(0, 3))).toBeNull();
	});

	it('names the clients an update creates items for, not those it only deletes', () => {
		const { server, worker, young } = setUp();
		textOf(young, 1).insert(0, 'hello');
		sync(young, server);
		sync(server, worker);
		const before = Y.encodeStateVector(worker);
		textOf(worker, 0).insert(0, 'x');
		const update = Y.encodeStateAsUpdate(worker, before);
		expect([...clientsCreatedBy(server, Y.decodeUpdate(update))]).toEqual([worker.clientID]);
	});

	it('refuses deleting only the paragraph or text someone else made that holds their words', () => {
		const { server, young, subject } = setUp();
		// Sam writes in the template's empty paragraph: the paragraph and its text are not Sam's.
		textOf(young, 1).insert(0, 'I want to live with my nan');
		Y.applyUpdate(server, Y.encodeStateAsUpdate(young, Y.encodeStateVector(server)));
		const paragraph = server.getXmlFragment(FIELD).get(1) as Y.XmlElement;
		const text = paragraph.get(0) as Y.XmlText;
		for (const item of [paragraph._item, text._item]) {
			const crafted = deleteOnly(item!.id.client, item!.id.clock, 1);
			expect(refusalFor(server, Y.decodeUpdate(crafted), subject)).toBe('deletes-own-words');
		}
	});

	it('refuses an edit that points at words the server does not have yet', () => {
		const { server, young, subject } = setUp();
		textOf(young, 1).insert(0, 'I want to live');
		sync(young, server);
		// Someone who has seen more of Sam's typing than the server (or guessed it) writes into it.
		const ahead = new Y.Doc();
		sync(young, ahead);
		ahead.clientID = young.clientID;
		textOf(ahead, 1).insert(14, ' with my nan');
		const worker = new Y.Doc();
		sync(ahead, worker);
		expect(judge(server, worker, subject, () => textOf(worker, 1).insert(20, 'NOT '))).toBe(
			'unknown-reference'
		);
		// And deleting what the server has not seen is refused too.
		expect(refusalFor(server, Y.decodeUpdate(deleteOnly(young.clientID, 0, 1000)), subject)).toBe(
			'deletes-own-words'
		);
	});

	it('refuses taking formatting off their words', () => {
		const { server, worker, young, subject } = setUp();
		textOf(worker, 1).insert(0, 'x', { bold: true });
		sync(worker, server);
		sync(server, young);
		textOf(young, 1).insert(1, 'my words');
		sync(young, server);
		sync(server, worker);
		const formats: Y.Item[] = [];
		for (let item = textOf(server, 1)._start; item; item = item.right) {
			if (item.content instanceof Y.ContentFormat && item.id.client === worker.clientID) {
				formats.push(item);
			}
		}
		expect(formats.length).toBeGreaterThan(0);
		const crafted = deleteOnly(worker.clientID, formats[0]!.id.clock, 1);
		expect(refusalFor(server, Y.decodeUpdate(crafted), subject)).toBe('changes-own-words');
	});

	it('lets someone rub out what they typed in the same update', () => {
		const { server, worker, young, subject } = setUp();
		textOf(young, 1).insert(0, 'mine');
		sync(young, server);
		sync(server, worker);
		expect(
			judge(server, worker, subject, () => {
				addBlock(worker, 'Typed offline');
				textOf(worker, 2).delete(0, 6);
			})
		).toBeNull();
	});
});
