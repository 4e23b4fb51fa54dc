import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createCompactionSlots } from './compaction-slots.ts';
import { CollabConfigError } from './config.ts';
import type { Fence } from './lease.ts';
import { createRooms, type Room } from './room.ts';

/**
 * The compaction cap (compaction-slots.ts) on its own, and as the rooms use it: however many
 * documents pass the threshold or leave together, no more than the cap compact at once, and every
 * one that should compact does. Compactions here are held open until the test lets each finish,
 * so "at once" is counted, never timed.
 */

/** A store whose compactions wait for the test: it counts how many run at once. */
function heldStore() {
	const held: Array<{ documentId: string; finish: () => void }> = [];
	const compacted: string[] = [];
	let running = 0;
	let most = 0;
	return {
		held,
		compacted,
		most: () => most,
		running: () => running,
		store: {
			async load() {
				return {
					youngPersonId: 'young-person',
					doc: new Y.Doc(),
					writers: new Map(),
					provenance: [],
					rowsAfterSnapshot: 0,
					skipped: 0
				};
			},
			compact(documentId: string, _fence: Fence): Promise<number> {
				running++;
				most = Math.max(most, running);
				return new Promise<number>((resolve) => {
					held.push({
						documentId,
						finish: () => {
							running--;
							compacted.push(documentId);
							resolve(5);
						}
					});
				});
			}
		}
	};
}

function roomsWith(fake: ReturnType<typeof heldStore>, max: number) {
	const released: string[] = [];
	const rooms = createRooms({
		store: fake.store,
		leases: {
			acquire: async () => 1,
			release: async (documentId: string) => {
				released.push(documentId);
			},
			forget: () => {},
			holds: () => true,
			fence: (epoch: number) => ({ node: 'this-node', epoch })
		},
		log: () => {},
		io: { send: () => {}, closeConn: () => {} },
		unloadGraceMs: 60_000,
		compactAfterUpdates: 3,
		compactionSlots: createCompactionSlots(max),
		isClosing: () => false
	});
	return { rooms, released };
}

/** Loads `n` rooms, each edited and past the threshold (4 rows after the snapshot, over 3). */
async function busyRooms(rooms: ReturnType<typeof createRooms>, n: number): Promise<Room[]> {
	const opened: Room[] = [];
	for (let i = 0; i < n; i++) {
		const room = await rooms.openRoom(`document-${i}`);
		rooms.unreserve(room);
		room.lastEditor = 'editor';
		room.rowsAfterSnapshot = 4;
		opened.push(room);
	}
	return opened;
}

/** Lets the held compactions finish one at a time, oldest first, until `total` have. */
async function finishAll(fake: ReturnType<typeof heldStore>, total: number): Promise<void> {
	for (let done = 0; done < total; done++) {
		await vi.waitFor(() => expect(fake.held.length).toBeGreaterThan(done));
		fake.held[done]!.finish();
	}
}

describe('compaction slots', () => {
	it('runs at most the cap at once, hands a freed slot to the first in line, and frees it on failure', async () => {
		const slots = createCompactionSlots(1);
		const order: string[] = [];
		let failFirst!: (error: Error) => void;
		const first = slots.run(
			() =>
				new Promise<void>((_resolve, reject) => {
					order.push('first');
					failFirst = reject;
				})
		);
		const second = slots.run(async () => void order.push('second'));
		const third = slots.run(async () => void order.push('third'));
		expect([slots.running(), slots.waiting()]).toEqual([1, 2]);
		failFirst(new Error('compaction failed'));
		await expect(first).rejects.toThrow('compaction failed');
		await Promise.all([second, third]);
		expect(order).toEqual(['first', 'second', 'third']);
		expect([slots.running(), slots.waiting()]).toEqual([0, 0]);
	});

	it('refuses a cap that is not a whole number of at least 1', () => {
		for (const max of [0, -1, 1.5, Number.NaN]) {
			expect(() => createCompactionSlots(max)).toThrow(CollabConfigError);
		}
	});
});

describe('compactions in the rooms', () => {
	it('compacts many documents past the threshold together at most two at once, and all of them', async () => {
		const fake = heldStore();
		const { rooms } = roomsWith(fake, 2);
		const busy = await busyRooms(rooms, 12);
		for (const room of busy) rooms.maybeCompact(room);
		await vi.waitFor(() => expect(fake.held.length).toBe(2));
		await finishAll(fake, 12);
		expect(fake.most()).toBe(2);
		expect(fake.compacted.toSorted()).toEqual(busy.map((room) => room.id).toSorted());
		await vi.waitFor(() => expect(busy.every((room) => room.compacting === null)).toBe(true));
		expect(busy.every((room) => room.rowsAfterSnapshot === 0)).toBe(true);
	});

	it('drains every document, compacted, without waiting for the slots threshold compactions hold', async () => {
		const fake = heldStore();
		const { rooms, released } = roomsWith(fake, 2);
		const busy = await busyRooms(rooms, 4);
		const [a, b, c, d] = busy as [Room, Room, Room, Room];
		rooms.maybeCompact(a);
		rooms.maybeCompact(b);
		await vi.waitFor(() => expect(fake.held.map((h) => h.documentId)).toEqual([a.id, b.id]));
		const drained = rooms.leaveAll();
		// Both slots are taken, yet the other two documents compact on their way out at once.
		await vi.waitFor(() =>
			expect(fake.held.map((h) => h.documentId).toSorted()).toEqual(
				[a.id, b.id, c.id, d.id].toSorted()
			)
		);
		for (const held of fake.held.slice(2)) held.finish();
		await vi.waitFor(() => expect(released.toSorted()).toEqual([c.id, d.id].toSorted()));
		// The first two leave once their threshold compactions finish (and compact what is left).
		const finished = new Set([2, 3]);
		let done = false;
		void drained.then(() => (done = true));
		while (!done) {
			fake.held.forEach((held, i) => {
				if (!finished.has(i)) {
					finished.add(i);
					held.finish();
				}
			});
			await new Promise((resolve) => setImmediate(resolve));
		}
		expect(released.toSorted()).toEqual(busy.map((room) => room.id).toSorted());
		expect(new Set(fake.compacted)).toEqual(new Set(busy.map((room) => room.id)));
	});

	it('hands a document over without waiting for its compaction’s turn, and never runs it', async () => {
		const fake = heldStore();
		const { rooms, released } = roomsWith(fake, 2);
		const [a, b, c] = await busyRooms(rooms, 3);
		for (const room of [a!, b!, c!]) rooms.maybeCompact(room);
		await vi.waitFor(() => expect(fake.held.map((h) => h.documentId)).toEqual([a!.id, b!.id]));
		// Both slots are taken; the third document is asked for by another node.
		rooms.leaseEvents.handoverWanted(c!.id, c!.fence.epoch);
		await vi.waitFor(() => expect(released).toEqual([c!.id]));
		await finishAll(fake, 2);
		await vi.waitFor(() => expect(fake.running()).toBe(0));
		expect(fake.compacted.toSorted()).toEqual([a!.id, b!.id].toSorted());
		expect(fake.held).toHaveLength(2);
	});
});
