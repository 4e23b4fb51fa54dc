import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { isMet, missingDependencies, WaitingUpdates } from './pending-updates.ts';

/** A client's doc, and what it sends for each edit (as y-websocket does, one update each). */
function typist(clientID: number) {
	const doc = new Y.Doc();
	doc.clientID = clientID;
	const sent: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => sent.push(update));
	return { doc, sent };
}

function needsOf(server: Y.Doc, update: Uint8Array) {
	return missingDependencies(server, Y.decodeUpdate(update));
}

describe('missingDependencies', () => {
	it('needs nothing for an update that builds only on what the server has', () => {
		const server = new Y.Doc();
		const { doc, sent } = typist(1);
		doc.getText('t').insert(0, 'ab');
		doc.getText('t').insert(2, 'c');
		for (const update of sent) {
			expect(needsOf(server, update).size).toBe(0);
			Y.applyUpdate(server, update);
		}
	});

	it('needs the lost earlier items of the client a keystroke continues, and is met once they arrive', () => {
		const server = new Y.Doc();
		const { doc, sent } = typist(1);
		doc.getText('t').insert(0, 'ab');
		// The server lost 'ab' (a restart); the next keystroke arrives first.
		doc.getText('t').insert(2, 'c');
		const keystroke = sent[1]!;
		const needs = needsOf(server, keystroke);
		expect([...needs]).toEqual([[1, 2]]);
		expect(isMet(server, needs)).toBe(false);
		// The client's sync step 2 resends everything the server lacks.
		Y.applyUpdate(server, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(server)));
		expect(isMet(server, needs)).toBe(true);
		expect(needsOf(server, keystroke).size).toBe(0);
	});

	it('needs another client’s items that a new item sits next to', () => {
		const server = new Y.Doc();
		const other = typist(2);
		other.doc.getText('t').insert(0, 'xy');
		const { doc, sent } = typist(1);
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other.doc));
		doc.getText('t').insert(1, '-');
		expect([...needsOf(server, sent.at(-1)!)]).toEqual([[2, 2]]);
	});

	it('needs the items a deletion removes, unless the update itself carries them', () => {
		const server = new Y.Doc();
		const { doc, sent } = typist(1);
		doc.getText('t').insert(0, 'abc');
		doc.getText('t').delete(1, 1);
		expect([...needsOf(server, sent[1]!)]).toEqual([[1, 2]]);
		// Typed and rubbed out while offline: one update holding both needs nothing more.
		expect(needsOf(server, Y.encodeStateAsUpdate(doc)).size).toBe(0);
	});

	it('needs what a skip in a merged update leaves out', () => {
		const server = new Y.Doc();
		const { doc, sent } = typist(1);
		doc.getArray('a').push(['one']);
		doc.getArray('a').push(['two']);
		doc.getArray('a').push(['three']);
		const merged = Y.mergeUpdates([sent[0]!, sent[2]!]);
		expect(Y.decodeUpdate(merged).structs.some((s) => s instanceof Y.Skip)).toBe(true);
		expect(needsOf(server, merged).get(1)).toBe(2);
	});
});

describe('WaitingUpdates', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	const limits = { maxWaitingUpdates: 2, maxWaitingBytes: 100, maxWaitingMs: 1_000 };

	it('refuses to hold past the count or byte bound', () => {
		const waiting = new WaitingUpdates<string>(limits, () => {});
		const needs = new Map([[1, 5]]);
		expect(waiting.hold('a', needs, 10)).toBe(true);
		expect(waiting.hold('too big', needs, 91)).toBe(false);
		expect(waiting.hold('b', needs, 90)).toBe(true);
		expect(waiting.hold('c', needs, 0)).toBe(false);
		expect(waiting.size).toBe(2);
		expect(waiting.drain()).toEqual(['a', 'b']);
		expect(waiting.size).toBe(0);
	});

	it('gives back the earliest update whose needs are met, in arrival order', () => {
		const server = new Y.Doc();
		const waiting = new WaitingUpdates<string>({ ...limits, maxWaitingUpdates: 3 }, () => {});
		expect(waiting.hold('needs client 1', new Map([[1, 1]]), 1)).toBe(true);
		expect(waiting.hold('needs client 2', new Map([[2, 1]]), 1)).toBe(true);
		expect(waiting.hold('needs client 2 too', new Map([[2, 1]]), 1)).toBe(true);
		expect(waiting.takeReady(server)).toBeNull();
		const { doc } = typist(2);
		doc.getText('t').insert(0, 'x');
		Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
		expect(waiting.takeReady(server)).toBe('needs client 2');
		expect(waiting.takeReady(server)).toBe('needs client 2 too');
		expect(waiting.takeReady(server)).toBeNull();
		expect(waiting.size).toBe(1);
	});

	it('calls onExpired when the oldest has waited its time, and not once it has gone', () => {
		vi.useFakeTimers();
		const server = new Y.Doc();
		let expired = 0;
		const waiting = new WaitingUpdates<string>(limits, () => expired++);
		waiting.hold('met soon', new Map([[1, 1]]), 1);
		vi.advanceTimersByTime(600);
		waiting.hold('never met', new Map([[2, 1]]), 1);
		const { doc } = typist(1);
		doc.getText('t').insert(0, 'x');
		Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
		expect(waiting.takeReady(server)).toBe('met soon');
		// The deadline now follows the second, which arrived 600 ms later.
		vi.advanceTimersByTime(600);
		expect(expired).toBe(0);
		vi.advanceTimersByTime(400);
		expect(expired).toBe(1);
		waiting.drain();
		vi.advanceTimersByTime(5_000);
		expect(expired).toBe(1);
	});
});
