import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Store } from './store.ts';
import { SYNC_UPDATE, encodeAwareness, encodeSync } from '../../collab/protocol.ts';
import { CLOSE, type Conn, type ConnectionIo } from './connection.ts';
import { Provenance } from './provenance.ts';
import { isLeaseLost, LeaseBusy, type Fence, type LeaseEvents, type Leases } from './lease.ts';
import type { CollabLog } from './server.ts';
import type { CompactionSlots } from './compaction-slots.ts';

/**
 * A document in memory (Hocuspocus's Document): its Y.Doc and awareness, who wrote under which
 * client id, its connections, and its lifecycle. Handshakes for one document share one load and
 * reserve the room so that it cannot unload under them; every change to the document or the
 * carets goes to the room's other connections as it is applied, before it is appended; the log is
 * compacted once it passes compactAfterUpdates rows and again on unload, which comes
 * unloadGraceMs after the last connection leaves (a threshold compaction waits for one of the
 * node's few compaction slots, compaction-slots.ts; a leaving room's does not); a failed save
 * resets the room. Also the registry: at most one room per document in this process.
 *
 * A room exists only under its document's lease (lease.ts): taken before the log is read (a
 * handshake waits while another node lets the document go, and is refused 503 if it does not),
 * and written under by every append and compaction. A room leaves in one of these ways. Lost (another
 * node took the lease, or Postgres refused a write for it): dropped at once, writing and acknowledging
 * nothing more, its clients closed 1012 to reconnect wherever the document is now. Handed over
 * (another node asked for it) or drained (this node is stopping): it takes no new edits, its
 * appends in flight commit and are acknowledged, the lease is released, and its clients are closed
 * 1012. Unloaded (nobody left): compacted, then released.
 */

export interface Room {
	id: string;
	doc: Y.Doc;
	awareness: awarenessProtocol.Awareness;
	youngPersonId: string;
	/**
	 * Who wrote each character (see provenance.ts): its `writers` are the client ids bound to
	 * people (public.document_writers), its `ownership` what browsers are told.
	 */
	provenance: Provenance;
	conns: Set<Conn>;
	/** The lease this room writes under (its epoch is higher than any earlier holder's). */
	fence: Fence;
	/** Handing over, draining, unloading, lost or reset: it takes no new edits. */
	leaving: boolean;
	/** Handshakes under way for this room: it must not unload under them. */
	reservations: number;
	rowsAfterSnapshot: number;
	/** Someone allowed to edit has been here (compaction is left to documents someone edits). */
	lastEditor: string | null;
	/** A threshold compaction waiting for a slot (compaction-slots.ts): not yet started. */
	compactionQueued: boolean;
	/** A compaction running now: leaving waits for it before the lease is released. */
	compacting: Promise<void> | null;
	pending: Set<Promise<unknown>>;
	unloadTimer: ReturnType<typeof setTimeout> | null;
}

export interface RoomsOptions {
	store: Pick<Store, 'load' | 'compact'>;
	leases: Pick<Leases, 'acquire' | 'release' | 'forget' | 'holds' | 'fence'>;
	log: CollabLog;
	io: Pick<ConnectionIo, 'send' | 'closeConn'>;
	/** How long a document with nobody connected stays in memory. */
	unloadGraceMs: number;
	/** Compact a document's log when it passes this many rows. */
	compactAfterUpdates: number;
	/** Every threshold compaction of this node's rooms runs in one of these (not a leaving room's). */
	compactionSlots: Pick<CompactionSlots, 'run'>;
	/** The server is closing: nothing is scheduled to unload (close() unloads everything). */
	isClosing: () => boolean;
}

export function createRooms(options: RoomsOptions) {
	const { store, leases, log, unloadGraceMs, compactAfterUpdates, compactionSlots, isClosing } =
		options;
	const { send, closeConn } = options.io;
	const rooms = new Map<string, Promise<Room>>();
	const loaded = new Map<string, Room>();
	/** Rooms on their way out (flushing, compacting, releasing): a new load waits for them. */
	const leaving = new Map<string, Promise<void>>();

	/** Loads (or joins the load of) a room and reserves it until the handshake ends. */
	async function openRoom(documentId: string): Promise<Room> {
		let entry = rooms.get(documentId);
		if (!entry) {
			entry = loadRoom(documentId);
			rooms.set(documentId, entry);
			entry.catch(() => rooms.delete(documentId));
		}
		const room = await entry;
		room.reservations++;
		if (room.unloadTimer) {
			clearTimeout(room.unloadTimer);
			room.unloadTimer = null;
		}
		return room;
	}

	async function loadRoom(documentId: string): Promise<Room> {
		await leaving.get(documentId);
		const started = performance.now();
		// The lease first: then nobody else writes this document's log while it is read and served.
		const epoch = await leases.acquire(documentId, isClosing);
		const fence = leases.fence(epoch);
		let stored: Awaited<ReturnType<typeof store.load>>;
		try {
			stored = await store.load(documentId, fence);
			// Lost while loading (a renewal found it gone), or the server began to close.
			if (!leases.holds(documentId, epoch) || isClosing()) throw new LeaseBusy(documentId);
		} catch (error) {
			await leases
				.release(documentId, epoch)
				.catch((releaseError: unknown) =>
					log('lease release failed', { documentId, error: String(releaseError) })
				);
			throw error;
		}
		const awareness = new awarenessProtocol.Awareness(stored.doc);
		awareness.setLocalState(null);
		const room: Room = {
			id: documentId,
			doc: stored.doc,
			awareness,
			youngPersonId: stored.youngPersonId,
			provenance: new Provenance(stored.youngPersonId, stored.writers, stored.provenance),
			conns: new Set(),
			fence,
			leaving: false,
			reservations: 0,
			rowsAfterSnapshot: stored.rowsAfterSnapshot,
			lastEditor: null,
			compactionQueued: false,
			compacting: null,
			pending: new Set(),
			unloadTimer: null
		};
		stored.doc.on('update', (update: Uint8Array, origin: unknown) => {
			const message = encodeSync(SYNC_UPDATE, update);
			for (const conn of room.conns) if (conn !== origin) send(conn, message);
		});
		awareness.on(
			'update',
			({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
				const changed = [...added, ...updated, ...removed];
				const message = encodeAwareness(
					awarenessProtocol.encodeAwarenessUpdate(awareness, changed)
				);
				for (const conn of room.conns) send(conn, message);
			}
		);
		loaded.set(documentId, room);
		log('document loaded', {
			documentId,
			epoch,
			ms: Math.round(performance.now() - started),
			rows: stored.rowsAfterSnapshot,
			skipped: stored.skipped
		});
		return room;
	}

	/** A handshake is over (its connection set up, or not): the room may unload without it. */
	function unreserve(room: Room): void {
		room.reservations--;
		scheduleUnload(room);
	}

	function scheduleUnload(room: Room): void {
		if (
			room.conns.size > 0 ||
			room.reservations > 0 ||
			room.unloadTimer ||
			room.leaving ||
			isClosing()
		) {
			return;
		}
		room.unloadTimer = setTimeout(() => {
			room.unloadTimer = null;
			void unloadRoom(room);
		}, unloadGraceMs);
	}

	/**
	 * Takes the room out of the registry (a handshake from now on starts a new load) and stops it
	 * taking edits; false if it was already out.
	 */
	function drop(room: Room): boolean {
		if (loaded.get(room.id) !== room) return false;
		rooms.delete(room.id);
		loaded.delete(room.id);
		room.leaving = true;
		if (room.unloadTimer) {
			clearTimeout(room.unloadTimer);
			room.unloadTimer = null;
		}
		return true;
	}

	/** Remembers a room's way out, so that a new load of its document waits for it. */
	function track(documentId: string, done: Promise<void>): Promise<void> {
		const tracked = done.catch((error: unknown) =>
			log('leaving a document failed', { documentId, error: String(error) })
		);
		leaving.set(documentId, tracked);
		void tracked.finally(() => {
			if (leaving.get(documentId) === tracked) leaving.delete(documentId);
		});
		return tracked;
	}

	async function release(room: Room): Promise<void> {
		await leases
			.release(room.id, room.fence.epoch)
			.catch((error: unknown) =>
				log('lease release failed', { documentId: room.id, error: String(error) })
			);
	}

	/**
	 * Lets a room go in good order: no new edits; the appends in flight commit and are
	 * acknowledged; the log is compacted (not on a handover: the next owner is waiting); the lease
	 * is released; and whoever is still connected is closed with 1012, to reconnect to whichever
	 * node serves the document next. Used for an unload, a handover and a drain.
	 */
	function leave(room: Room, why: 'unload' | 'handover' | 'drain'): Promise<void> {
		if (!drop(room)) return leaving.get(room.id) ?? Promise.resolve();
		log(why === 'unload' ? 'document unloading' : `document leaving: ${why}`, {
			documentId: room.id,
			epoch: room.fence.epoch,
			connections: room.conns.size
		});
		return track(
			room.id,
			(async () => {
				await Promise.allSettled([...room.pending]);
				// The acknowledgements of what just committed go out (on each connection's chain)
				// before anyone is closed: they run as microtasks, all done before the next turn.
				await new Promise((resolve) => setImmediate(resolve));
				if (room.compacting) await room.compacting;
				if (why !== 'handover' && room.rowsAfterSnapshot > 0 && room.lastEditor) {
					// Not in a slot: the room takes no edits while it leaves, so its people would see
					// nothing saved and nobody's typing until other documents' compactions were done
					// (a drain of 200 edited documents, two at a time), and a node asking for an
					// unloading document would wait. Leaving is rare next to threshold compactions.
					await store
						.compact(room.id, room.fence)
						.catch((error: unknown) =>
							log('compaction failed', { documentId: room.id, error: String(error) })
						);
				}
				await release(room);
				for (const conn of room.conns) {
					closeConn(conn, CLOSE.moved, 'This document is moving to another server; reconnecting');
				}
				room.awareness.destroy();
				room.doc.destroy();
				log(why === 'unload' ? 'document unloaded' : `document left: ${why}`, {
					documentId: room.id
				});
			})()
		);
	}

	/** Forgets a room: waits for its appends, compacts its log, releases its lease, frees it. */
	function unloadRoom(room: Room): Promise<void> {
		return leave(room, 'unload');
	}

	/** Another node asked for the document (renewal said so): hand it over. */
	function handOver(room: Room): Promise<void> {
		return leave(room, 'handover');
	}

	/**
	 * After a failed append the room's memory holds an update Postgres does not. A client
	 * connecting now would be told the server has it and never resend it, so the room is dropped:
	 * everyone reconnects (1011) to a fresh load and resends what was not acknowledged. The lease
	 * is released once the appends in flight have settled, and the fresh load waits for that.
	 */
	function resetRoom(room: Room): void {
		if (!drop(room)) return;
		for (const conn of room.conns) {
			closeConn(conn, CLOSE.serverError, 'Could not save; reconnect to try again');
		}
		room.awareness.destroy();
		log('document reset after a failed save', { documentId: room.id });
		void track(
			room.id,
			(async () => {
				await Promise.allSettled([...room.pending]);
				await release(room);
			})()
		);
	}

	/**
	 * The room's lease is gone (a renewal found it taken or released, or Postgres refused a write
	 * for it): another node may already serve the document. Nothing more is written or
	 * acknowledged here, nothing is flushed; everyone is closed with 1012 and reconnects to
	 * whoever holds it now, resending what was not acknowledged.
	 */
	function loseRoom(room: Room): void {
		if (!drop(room)) return;
		leases.forget(room.id, room.fence.epoch);
		for (const conn of room.conns) {
			conn.ackBlocked = true;
			closeConn(conn, CLOSE.moved, 'This document moved to another server; reconnecting');
		}
		room.awareness.destroy();
		log('document dropped: lease lost', { documentId: room.id, epoch: room.fence.epoch });
	}

	/** What the lease renewals found (lease.ts), for the room at that epoch if it is still here. */
	const leaseEvents: LeaseEvents = {
		lost(documentId, epoch) {
			const room = loaded.get(documentId);
			if (room?.fence.epoch === epoch) loseRoom(room);
		},
		handoverWanted(documentId, epoch) {
			const room = loaded.get(documentId);
			if (room?.fence.epoch === epoch) void handOver(room);
		}
	};

	/**
	 * The drain: every room leaves in good order (appends flushed and acknowledged, compacted,
	 * released, clients closed 1012), including any whose load was under way.
	 */
	async function leaveAll(): Promise<void> {
		while (rooms.size > 0 || loaded.size > 0 || leaving.size > 0) {
			await Promise.allSettled([...rooms.values()]);
			await Promise.allSettled([...loaded.values()].map((room) => leave(room, 'drain')));
			await Promise.allSettled([...leaving.values()]);
		}
	}

	/**
	 * Compacts the room's log once it passes compactAfterUpdates rows, when a slot is free. A room
	 * that leaves while it waits is not compacted here, and its leaving does not wait for the
	 * queue: an unload or a drain compacts it itself, a handover leaves it to the next owner, and a
	 * lost or reset room must not write.
	 */
	function maybeCompact(room: Room): void {
		if (
			room.compactionQueued ||
			room.compacting ||
			room.rowsAfterSnapshot <= compactAfterUpdates ||
			!room.lastEditor
		) {
			return;
		}
		room.compactionQueued = true;
		void compactionSlots.run(async () => {
			room.compactionQueued = false;
			if (!isCurrent(room)) return;
			room.compacting = compactNow(room);
			await room.compacting;
		});
	}

	/** One threshold compaction; settles (never rejects) once it has committed or failed. */
	function compactNow(room: Room): Promise<void> {
		return store
			.compact(room.id, room.fence)
			.then((rows) => {
				room.rowsAfterSnapshot = Math.max(0, room.rowsAfterSnapshot - rows);
				log('document compacted', { documentId: room.id, rows });
			})
			.catch((error: unknown) => {
				log('compaction failed', { documentId: room.id, error: String(error) });
				if (isLeaseLost(error)) loseRoom(room);
			})
			.finally(() => {
				room.compacting = null;
			});
	}

	/** False once the room has been unloaded or reset: a newer load (or none) serves its document. */
	function isCurrent(room: Room): boolean {
		return loaded.get(room.id) === room;
	}

	function connsOf(filter: (room: Room) => boolean): Conn[] {
		return [...loaded.values()].filter(filter).flatMap((room) => [...room.conns]);
	}

	return {
		openRoom,
		unreserve,
		scheduleUnload,
		unloadRoom,
		resetRoom,
		loseRoom,
		leaveAll,
		leaseEvents,
		maybeCompact,
		isCurrent,
		connsOf,
		/** The rooms in memory now (a copy). */
		loadedRooms(): Room[] {
			return [...loaded.values()];
		},
		/** For tests and the benchmark: how many documents are in memory. */
		loadedCount(): number {
			return loaded.size;
		}
	};
}

export type Rooms = ReturnType<typeof createRooms>;
