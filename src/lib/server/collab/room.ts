import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Store } from './store.ts';
import { SYNC_UPDATE, encodeAwareness, encodeSync } from '../../collab/protocol.ts';
import { CLOSE, type Conn, type ConnectionIo } from './connection.ts';
import { Provenance } from './provenance.ts';
import type { CollabLog } from './server.ts';

/**
 * A document in memory (Hocuspocus's Document): its Y.Doc and awareness, who wrote under which
 * client id, its connections, and its lifecycle. Handshakes for one document share one load and
 * reserve the room so that it cannot unload under them; every change to the document or the
 * carets goes to the room's other connections as it is applied, before it is appended; the log is
 * compacted once it passes compactAfterUpdates rows and again on unload, which comes
 * unloadGraceMs after the last connection leaves; a failed save resets the room. Also the
 * registry: at most one room per document in this process.
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
	/** Handshakes under way for this room: it must not unload under them. */
	reservations: number;
	rowsAfterSnapshot: number;
	/** Someone allowed to edit has been here (compaction is left to documents someone edits). */
	lastEditor: string | null;
	compacting: Promise<void> | null;
	pending: Set<Promise<unknown>>;
	unloadTimer: ReturnType<typeof setTimeout> | null;
}

export interface RoomsOptions {
	store: Pick<Store, 'load' | 'compact'>;
	log: CollabLog;
	io: Pick<ConnectionIo, 'send' | 'closeConn'>;
	/** How long a document with nobody connected stays in memory. */
	unloadGraceMs: number;
	/** Compact a document's log when it passes this many rows. */
	compactAfterUpdates: number;
	/** The server is closing: nothing is scheduled to unload (close() unloads everything). */
	isClosing: () => boolean;
}

export function createRooms(options: RoomsOptions) {
	const { store, log, unloadGraceMs, compactAfterUpdates, isClosing } = options;
	const { send, closeConn } = options.io;
	const rooms = new Map<string, Promise<Room>>();
	const loaded = new Map<string, Room>();

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
		const started = performance.now();
		// Lease seam (issue 13, item 2; not built yet): with several collab processes, this one
		// must hold the document's lease before it reads the log and serves the document, and a
		// handshake for a document another process holds is handed over or refused here.
		const stored = await store.load(documentId);
		const awareness = new awarenessProtocol.Awareness(stored.doc);
		awareness.setLocalState(null);
		const room: Room = {
			id: documentId,
			doc: stored.doc,
			awareness,
			youngPersonId: stored.youngPersonId,
			provenance: new Provenance(stored.youngPersonId, stored.writers, stored.provenance),
			conns: new Set(),
			reservations: 0,
			rowsAfterSnapshot: stored.rowsAfterSnapshot,
			lastEditor: null,
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
		if (room.conns.size > 0 || room.reservations > 0 || room.unloadTimer || isClosing()) return;
		room.unloadTimer = setTimeout(() => {
			room.unloadTimer = null;
			void unloadRoom(room);
		}, unloadGraceMs);
	}

	/** Forgets a room: waits for its appends, compacts its log, frees its doc and timers. */
	async function unloadRoom(room: Room): Promise<void> {
		if (loaded.get(room.id) !== room) return;
		rooms.delete(room.id);
		loaded.delete(room.id);
		room.awareness.destroy();
		await Promise.allSettled([...room.pending]);
		if (room.compacting) await room.compacting;
		if (room.rowsAfterSnapshot > 0 && room.lastEditor) {
			await store
				.compact(room.id)
				.catch((error: unknown) =>
					log('compaction failed', { documentId: room.id, error: String(error) })
				);
		}
		room.doc.destroy();
		log('document unloaded', { documentId: room.id });
	}

	/**
	 * After a failed append the room's memory holds an update Postgres does not. A client
	 * connecting now would be told the server has it and never resend it, so the room is dropped:
	 * everyone reconnects (1011) to a fresh load and resends what was not acknowledged.
	 */
	function resetRoom(room: Room): void {
		if (loaded.get(room.id) !== room) return;
		rooms.delete(room.id);
		loaded.delete(room.id);
		if (room.unloadTimer) clearTimeout(room.unloadTimer);
		for (const conn of room.conns) {
			closeConn(conn, CLOSE.serverError, 'Could not save; reconnect to try again');
		}
		room.awareness.destroy();
		log('document reset after a failed save', { documentId: room.id });
	}

	function maybeCompact(room: Room): void {
		if (room.compacting || room.rowsAfterSnapshot <= compactAfterUpdates || !room.lastEditor) {
			return;
		}
		room.compacting = store
			.compact(room.id)
			.then((rows) => {
				room.rowsAfterSnapshot = Math.max(0, room.rowsAfterSnapshot - rows);
				log('document compacted', { documentId: room.id, rows });
			})
			.catch((error: unknown) =>
				log('compaction failed', { documentId: room.id, error: String(error) })
			)
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
