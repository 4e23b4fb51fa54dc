import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { CollabLog } from './server.ts';

/**
 * This node's place in the cluster (issue 13, item 2; migration 20261206000100): its id, the
 * documents it holds a lease on and at which epoch, the loop that renews them and says which were
 * lost or asked for, and its share of the per-person connection slots. Postgres decides every
 * question here; this node's clock never does. Whoever holds a lease writes under its epoch
 * (store.ts, commits.ts), and every write checks it in its own transaction, so a node that is
 * wrong about a lease (paused, cut off, slow) can neither append nor acknowledge.
 *
 * The renew loop runs every leaseMs/3 and also records the node as alive (collab_node_seen). A
 * node not seen for staleAfterMs stops counting toward anyone's connection slots; one not seen
 * for forgetAfterMs is forgotten (with its connection rows). Both go through a connection of their
 * own (renewalPoolFor): on the shared pool, with every connection busy appending, loading and
 * compacting for many documents, a renewal waited its turn and the node lost leases another node
 * was asking for.
 */

/** The lease a room writes under: this node, at the epoch it was given when it took the lease. */
export interface Fence {
	node: string;
	epoch: number;
}

/** Another node kept the document past the wait: the handshake is refused (503, try again). */
export class LeaseBusy extends Error {
	constructor(documentId: string) {
		super(`document ${documentId} is served by another node`);
		this.name = 'LeaseBusy';
	}
}

/** Postgres refused a write because the writer does not hold the document's lease (L0001). */
export function isLeaseLost(error: unknown): boolean {
	return (
		typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'L0001'
	);
}

export interface LeaseOptions {
	pool: pg.Pool;
	log: CollabLog;
	/** How long a lease lasts unless renewed (COLLAB_LEASE_MS). Renewed every third of it. */
	leaseMs: number;
	/** How long a handshake waits for another node to let a document go before a 503. */
	acquireWaitMs?: number;
	/** How often a waiting handshake asks again. */
	acquirePollMs?: number;
	/** This node's id (a new random one per process unless given: tests). */
	nodeId?: string;
}

/**
 * A pool of one connection for the renewals and the heartbeat, made from the shared pool's own
 * settings (pg-pool keeps them in `options`; the password is a hidden property there, so it is
 * copied by name). A connection that errors or ends is dropped and logged, and the next renewal
 * opens a new one. Kept open between renewals; idle, it does not keep the process alive.
 */
export function renewalPoolFor(shared: pg.Pool, log: CollabLog): pg.Pool {
	const renewals = new pg.Pool({
		...shared.options,
		password: shared.options.password,
		max: 1,
		min: 0,
		idleTimeoutMillis: 0,
		allowExitOnIdle: true,
		application_name: 'in-my-words collab lease renewal'
	});
	renewals.on('error', (error) => log('lease renewal connection lost', { error: error.message }));
	return renewals;
}

/** What the renew loop found; the rooms (room.ts) act on it. */
export interface LeaseEvents {
	/** Another node took the lease (it ran out first): drop the room without writing. */
	lost(documentId: string, epoch: number): void;
	/** Another node was sent this document's clients: hand it over. */
	handoverWanted(documentId: string, epoch: number): void;
}

export function createLeases(options: LeaseOptions) {
	const { pool, log } = options;
	/** Renewals and the heartbeat only: never queued behind the shared pool's work. */
	const renewals = renewalPoolFor(pool, log);
	// Whole milliseconds (Postgres takes an int), and never so short that a renewal cannot keep up.
	const leaseMs = Math.max(100, Math.round(options.leaseMs));
	const nodeId = options.nodeId ?? randomUUID();
	const acquireWaitMs = options.acquireWaitMs ?? 2 * leaseMs + 5_000;
	const acquirePollMs = options.acquirePollMs ?? Math.min(250, Math.max(20, leaseMs / 10));
	const renewEveryMs = Math.max(10, Math.floor(leaseMs / 3));
	const staleSeconds = Math.max(1, Math.ceil((3 * leaseMs) / 1000));
	const forgetSeconds = Math.max(staleSeconds + 1, Math.ceil((10 * leaseMs) / 1000));
	/** Document → the epoch this node holds it at (as far as the last renewal knew). */
	const held = new Map<string, number>();
	let draining = false;
	let stopped = false;
	let paused = false;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let events: LeaseEvents | null = null;
	let ticking: Promise<void> = Promise.resolve();

	async function seen(): Promise<void> {
		await renewals.query('select private.collab_node_seen($1, $2, $3)', [
			nodeId,
			draining,
			forgetSeconds
		]);
	}

	/**
	 * Takes the document's lease, asking its holder (if any) to hand it over and asking again
	 * every acquirePollMs; the epoch once taken. Throws LeaseBusy past acquireWaitMs, or once
	 * `giveUp` says so (the server is closing).
	 */
	async function acquire(documentId: string, giveUp: () => boolean): Promise<number> {
		const deadline = performance.now() + acquireWaitMs;
		let asked = false;
		for (;;) {
			if (giveUp()) throw new LeaseBusy(documentId);
			const { rows } = await pool.query<{ epoch: string | null }>(
				'select private.acquire_document_lease($1, $2, $3, true)::text as epoch',
				[documentId, nodeId, leaseMs]
			);
			const epoch = rows[0]?.epoch;
			if (epoch !== null && epoch !== undefined) {
				held.set(documentId, Number(epoch));
				if (asked) log('lease taken after a handover', { documentId, epoch: Number(epoch) });
				return Number(epoch);
			}
			if (!asked) log('document held by another node: asked for it', { documentId });
			asked = true;
			if (performance.now() >= deadline) throw new LeaseBusy(documentId);
			await new Promise((resolve) => setTimeout(resolve, acquirePollMs));
		}
	}

	/** Lets the document go (after its room's last write), so another node may take it. */
	async function release(documentId: string, epoch: number): Promise<void> {
		forget(documentId, epoch);
		await pool.query('select private.release_document_lease($1, $2, $3)', [
			documentId,
			nodeId,
			epoch
		]);
	}

	/** Stops renewing a lease without releasing it (it was lost, or a release is not wanted). */
	function forget(documentId: string, epoch: number): void {
		if (held.get(documentId) === epoch) held.delete(documentId);
	}

	function holds(documentId: string, epoch: number): boolean {
		return held.get(documentId) === epoch;
	}

	async function tick(): Promise<void> {
		await seen();
		if (held.size === 0) return;
		const docs = [...held.keys()];
		const epochs = docs.map((doc) => held.get(doc) as number);
		const { rows } = await renewals.query<{
			document_id: string;
			held: boolean;
			handover_wanted: boolean;
		}>(
			'select document_id, held, handover_wanted from private.renew_document_leases($1, $2::uuid[], $3::bigint[], $4)',
			[nodeId, docs, epochs, leaseMs]
		);
		const asked = new Map(docs.map((doc, i) => [doc, epochs[i] as number]));
		for (const row of rows) {
			const documentId = row.document_id;
			const epoch = asked.get(documentId);
			// Released, lost or taken again while the renewal ran: not this answer's to act on.
			if (epoch === undefined || held.get(documentId) !== epoch) continue;
			if (!row.held) {
				held.delete(documentId);
				log('lease lost', { documentId, epoch });
				events?.lost(documentId, epoch);
			} else if (row.handover_wanted) {
				events?.handoverWanted(documentId, epoch);
			}
		}
	}

	function schedule(): void {
		if (stopped) return;
		timer = setTimeout(() => {
			timer = null;
			if (paused) return schedule();
			ticking = tick()
				.catch((error: unknown) => log('lease renewal failed', { error: String(error) }))
				.finally(schedule);
		}, renewEveryMs);
		timer.unref();
	}

	// Connection slots -----------------------------------------------------------------------

	/** This node's counted connections: any still open when it stops are given back together. */
	const openSlots = new Set<string>();
	let toClose: string[] = [];
	let closing: Promise<void> | null = null;

	/**
	 * Counts a connection for the person if, on every live node together, they hold fewer than
	 * `max`; true if counted. Only at admission: never on a message's way.
	 */
	async function openSlot(connectionId: string, person: string, max: number): Promise<boolean> {
		const { rows } = await pool.query<{ ok: boolean }>(
			'select private.open_collab_connection($1, $2, $3, $4, $5) as ok',
			[connectionId, nodeId, person, max, staleSeconds]
		);
		const counted = rows[0]?.ok === true;
		if (counted) openSlots.add(connectionId);
		return counted;
	}

	/** Gives a slot back; closes that arrive together go in one statement. */
	function closeSlot(connectionId: string): void {
		if (!openSlots.delete(connectionId)) return;
		toClose.push(connectionId);
		closing ??= flushSlots();
	}

	async function flushSlots(): Promise<void> {
		while (toClose.length > 0) {
			const ids = toClose;
			toClose = [];
			try {
				await pool.query('select private.close_collab_connections($1::uuid[])', [ids]);
			} catch (error) {
				// The rows stop counting once this node is no longer seen; logged, not lost silently.
				log('connection slots not given back', { error: String(error), count: ids.length });
			}
		}
		closing = null;
	}

	return {
		nodeId,
		leaseMs,
		fence(epoch: number): Fence {
			return { node: nodeId, epoch };
		},
		acquire,
		release,
		forget,
		holds,
		openSlot,
		closeSlot,
		/** Records the node and starts renewing; `on` hears what each renewal found. */
		async start(on: LeaseEvents): Promise<void> {
			events = on;
			await seen();
			schedule();
		},
		/** Says the node is leaving: it takes nothing new (best effort; the drain goes on anyway). */
		async drain(): Promise<void> {
			draining = true;
			await seen().catch((error: unknown) =>
				log('could not record draining', { error: String(error) })
			);
		},
		/**
		 * Stops renewing (after the drain has released everything), gives back the slots and
		 * closes the renewal connection.
		 */
		async stop(): Promise<void> {
			stopped = true;
			if (timer) clearTimeout(timer);
			await ticking;
			for (const slot of [...openSlots]) closeSlot(slot);
			if (closing) await closing;
			if (!renewals.ended && !renewals.ending) await renewals.end();
		},
		/** Tests: stop renewing (as a paused process would), and start again. */
		pauseRenewals(pause: boolean): void {
			paused = pause;
		},
		/** The documents this node holds now (tests). */
		heldDocuments(): string[] {
			return [...held.keys()];
		}
	};
}

export type Leases = ReturnType<typeof createLeases>;
