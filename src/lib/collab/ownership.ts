/**
 * Which characters of a document are the young person's: the answer to "is this character
 * theirs?" from the clients bound to them and the runs recorded for moved words (see
 * own-words.ts for why both). Plain TypeScript only: the collab server imports it with Node's
 * type stripping, and the browser with the editor.
 */

/** A run of items (client, clock … clock + len − 1) whose owner differs from their client's. */
export interface OwnRun {
	client: number;
	clock: number;
	len: number;
	/** True: the young person's words (though another client inserted them). False: not theirs. */
	own: boolean;
}

interface Span {
	clock: number;
	len: number;
	own: boolean;
}

/**
 * The index of the first entry starting after `clock` in a list sorted by clock (a binary
 * search): the entry that may hold `clock` is the one before it. Shared with provenance.ts.
 */
export function indexAfter(list: ReadonlyArray<{ clock: number }>, clock: number): number {
	let lo = 0;
	let hi = list.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if ((list[mid] as { clock: number }).clock <= clock) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * Which characters are the young person's: items of their (non-template) clients, except runs
 * recorded otherwise, plus runs recorded as theirs under other clients. Runs arrive only for new
 * items, so each client's list stays sorted by appending; lookups are a binary search.
 */
export class Ownership {
	readonly clients = new Set<number>();
	readonly #runs = new Map<number, Span[]>();
	#ownRuns = 0;

	constructor(clients: Iterable<number> = [], runs: Iterable<OwnRun> = []) {
		for (const client of clients) this.clients.add(client);
		for (const run of runs) this.addRun(run);
	}

	/** Nothing is theirs: there is nothing to protect or mark. */
	get empty(): boolean {
		return this.clients.size === 0 && this.#ownRuns === 0;
	}

	addRun(run: OwnRun): void {
		if (run.len <= 0) return;
		const list = this.#runs.get(run.client) ?? [];
		this.#runs.set(run.client, list);
		if (run.own) this.#ownRuns++;
		const last = list[list.length - 1];
		if (!last || last.clock + last.len <= run.clock) {
			if (last && last.clock + last.len === run.clock && last.own === run.own) last.len += run.len;
			else list.push({ clock: run.clock, len: run.len, own: run.own });
			return;
		}
		// Out of order (a resent run): keep the list sorted; a run already known is not added twice.
		const i = indexAfter(list, run.clock);
		const before = list[i - 1];
		if (before && before.clock + before.len > run.clock) return;
		list.splice(i, 0, { clock: run.clock, len: run.len, own: run.own });
	}

	/** Every recorded run (to send to a browser that has just connected). */
	runs(): OwnRun[] {
		const out: OwnRun[] = [];
		for (const [client, list] of this.#runs) {
			for (const span of list) out.push({ client, ...span });
		}
		return out;
	}

	/**
	 * Is the item with this id the young person's, and up to which clock (exclusive) does the
	 * answer hold? Walking an item run by run is then linear in the runs it crosses.
	 */
	at(client: number, clock: number): { own: boolean; end: number } {
		const list = this.#runs.get(client);
		const byClient = this.clients.has(client);
		if (!list) return { own: byClient, end: Infinity };
		const i = indexAfter(list, clock);
		const span = list[i - 1];
		if (span && clock < span.clock + span.len) return { own: span.own, end: span.clock + span.len };
		return { own: byClient, end: list[i]?.clock ?? Infinity };
	}

	/** Their characters in [clock, clock + len) of one client, as offsets from `clock`. */
	spans(client: number, clock: number, len: number): Array<[number, number]> {
		const out: Array<[number, number]> = [];
		let at = clock;
		while (at < clock + len) {
			const { own, end } = this.at(client, at);
			const to = Math.min(end, clock + len);
			if (own) {
				const last = out[out.length - 1];
				if (last && last[1] === at - clock) last[1] = to - clock;
				else out.push([at - clock, to - clock]);
			}
			at = to;
		}
		return out;
	}

	/** Does [clock, clock + len) of one client hold any of their characters? */
	anyOwn(client: number, clock: number, len: number): boolean {
		let at = clock;
		while (at < clock + len) {
			const { own, end } = this.at(client, at);
			if (own) return true;
			at = end;
		}
		return false;
	}
}
