import * as Y from 'yjs';

/**
 * Updates that refer to items the server has not got yet, held per connection until those items
 * arrive. Why: after a reconnect (a server restart above all), y-websocket sends each new edit as
 * soon as the socket opens, while what the server lost comes back only in the client's sync
 * step 2, a round trip later. A keystroke typed after an unsaved one therefore arrives first,
 * pointing at items the server lacks. Judging it then (refusalFor says 'unknown-reference') would
 * close an honest editor with 4409; applying it unjudged would let Yjs land it later, unchecked,
 * perhaps inside the young person's words. So it waits, unapplied and unacknowledged, and is
 * judged in full once the document holds what it refers to: the same judgement as if it had
 * arrived after them. The young person's edits, which are not judged for anyone's words, wait
 * too: stored and acknowledged before what they build on, they could not be read back. Waiting
 * is bounded in count, bytes and time; past a bound the connection is closed with a code on which
 * the client reconnects and resends (never 4409).
 *
 * Plain TypeScript only: the collab server runs with Node's type stripping.
 */

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** Client id → the clock the document's state for that client must reach. */
export type Needs = Map<number, number>;

function need(needs: Needs, client: number, clock: number): void {
	if ((needs.get(client) ?? 0) < clock) needs.set(client, clock);
}

/** The clock ranges, per client, of the items and GCs an update carries (sorted by clock). */
function carriedRanges(decoded: DecodedUpdate): Map<number, Array<[number, number]>> {
	const carried = new Map<number, Array<[number, number]>>();
	for (const struct of decoded.structs) {
		if (struct instanceof Y.Skip) continue;
		const list = carried.get(struct.id.client) ?? [];
		const from = struct.id.clock;
		const to = from + struct.length;
		const last = list.at(-1);
		if (last && last[1] === from) last[1] = to;
		else list.push([from, to]);
		carried.set(struct.id.client, list);
	}
	return carried;
}

function carries(ranges: Array<[number, number]> | undefined, clock: number): boolean {
	if (!ranges) return false;
	let lo = 0;
	let hi = ranges.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const [from, to] = ranges[mid] as [number, number];
		if (clock < from) hi = mid - 1;
		else if (clock >= to) lo = mid + 1;
		else return true;
	}
	return false;
}

/**
 * What this (decoded) update needs that the document has not got: exactly what Yjs would wait
 * for before integrating it (earlier items of a client it continues, the items its new items sit
 * next to or inside, and the items it deletes), excluding what the update carries itself. Empty
 * when the update can be judged now. Linear in the size of the update.
 */
export function missingDependencies(doc: Y.Doc, decoded: DecodedUpdate): Needs {
	const needs: Needs = new Map();
	const known = (client: number) => Y.getState(doc.store, client);
	const carried = carriedRanges(decoded);
	const has = (id: Y.ID) =>
		id.clock < known(id.client) || carries(carried.get(id.client), id.clock);
	const seen = new Set<number>();
	for (const struct of decoded.structs) {
		const { client, clock } = struct.id;
		const end = clock + struct.length;
		if (!seen.has(client)) {
			seen.add(client);
			// A client's items integrate in clock order: a gap before the first means waiting.
			if (clock > known(client)) need(needs, client, clock);
		}
		if (struct instanceof Y.Skip) {
			// The update itself lacks these clocks; what follows them needs them from elsewhere.
			if (end > known(client)) need(needs, client, end);
			continue;
		}
		if (!(struct instanceof Y.Item) || end <= known(client)) continue;
		for (const id of [struct.origin, struct.rightOrigin, struct.parent]) {
			if (id instanceof Y.ID && !has(id)) need(needs, id.client, id.clock + 1);
		}
	}
	for (const [client, deletions] of decoded.ds.clients) {
		for (const { clock, len } of deletions) {
			const end = clock + len;
			if (end <= known(client)) continue;
			// Deleting what the update itself creates (typed, then rubbed out) needs nothing more.
			const ranges = carried.get(client) ?? [];
			let covered = Math.max(clock, known(client));
			for (const [from, to] of ranges) if (from <= covered && to > covered) covered = to;
			if (covered < end) need(needs, client, end);
		}
	}
	return needs;
}

/** Does the document now hold everything `needs` asks for? */
export function isMet(doc: Y.Doc, needs: Needs): boolean {
	for (const [client, clock] of needs) if (Y.getState(doc.store, client) < clock) return false;
	return true;
}

export interface WaitingLimits {
	/** Updates one connection may have waiting at once. */
	maxWaitingUpdates: number;
	/** Their total size in bytes. */
	maxWaitingBytes: number;
	/** How long the oldest may wait for what it needs. */
	maxWaitingMs: number;
}

interface Held<T> {
	value: T;
	needs: Needs;
	bytes: number;
	since: number;
}

/**
 * One connection's waiting updates, in the order they arrived. `hold` refuses (false) past the
 * count or byte bound; `onExpired` is called once the oldest has waited `maxWaitingMs`. The
 * caller closes the connection in both cases, and the client resends everything unacknowledged
 * on its next connection, so nothing held is ever lost by dropping it.
 */
export class WaitingUpdates<T> {
	#held: Held<T>[] = [];
	#bytes = 0;
	#timer: ReturnType<typeof setTimeout> | null = null;
	readonly #limits: WaitingLimits;
	readonly #onExpired: () => void;
	readonly #now: () => number;

	constructor(limits: WaitingLimits, onExpired: () => void, now = () => performance.now()) {
		this.#limits = limits;
		this.#onExpired = onExpired;
		this.#now = now;
	}

	get size(): number {
		return this.#held.length;
	}

	get bytes(): number {
		return this.#bytes;
	}

	/** Holds an update until the document meets its needs; false if that would pass a bound. */
	hold(value: T, needs: Needs, bytes: number): boolean {
		if (
			this.#held.length + 1 > this.#limits.maxWaitingUpdates ||
			this.#bytes + bytes > this.#limits.maxWaitingBytes
		) {
			return false;
		}
		this.#held.push({ value, needs, bytes, since: this.#now() });
		this.#bytes += bytes;
		if (this.#held.length === 1) this.#arm();
		return true;
	}

	/** Removes and returns the earliest-arrived update whose needs the document now meets. */
	takeReady(doc: Y.Doc): T | null {
		const index = this.#held.findIndex((held) => isMet(doc, held.needs));
		if (index < 0) return null;
		const [held] = this.#held.splice(index, 1) as [Held<T>];
		this.#bytes -= held.bytes;
		// The deadline follows the oldest update still waiting.
		if (index === 0) this.#arm();
		return held.value;
	}

	/** Empties the queue (the connection is closing) and returns what was waiting. */
	drain(): T[] {
		this.#disarm();
		const values = this.#held.map((held) => held.value);
		this.#held = [];
		this.#bytes = 0;
		return values;
	}

	#arm(): void {
		this.#disarm();
		const oldest = this.#held[0];
		if (!oldest) return;
		const wait = Math.max(0, oldest.since + this.#limits.maxWaitingMs - this.#now());
		this.#timer = setTimeout(() => {
			this.#timer = null;
			this.#onExpired();
		}, wait);
		this.#timer.unref?.();
	}

	#disarm(): void {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
	}
}
