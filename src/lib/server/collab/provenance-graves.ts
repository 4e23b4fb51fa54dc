import * as Y from 'yjs';
import { indexAfter } from '../../collab/ownership.ts';
import type { Sources } from './provenance-sources.ts';

/**
 * The graveyard behind provenance.ts: text deleted earlier, kept in memory (bounded) so that an
 * undo, which restores deleted text as new items under the undoing client's id, can give it back
 * to its writer. Graves are found by the id they were deleted at (undo places restored text
 * against the item it restores), by the type they were deleted from (text and blocks the same
 * sender deleted there) and by where they stood (the characters beside them, for text restored
 * into a block that was deleted and restored meanwhile). Deciding who wrote what stays in
 * provenance.ts; this module only remembers and answers.
 */

/** Characters, their writers and their ids (client, clock), one each per character. */
export interface Chars {
	text: string;
	writers: Array<string | null>;
	clients: number[];
	clocks: number[];
}

/** Text deleted earlier, kept (in memory, bounded) so an undo can give it back to its writer. */
interface Grave {
	client: number;
	clock: number;
	len: number;
	text: string;
	writers: Array<string | null>;
	/** For a deleted block: its item's length is 1, but it held this text (with these ids). */
	block: boolean;
	ids: { clients: number[]; clocks: number[] } | null;
	/** Who deleted it (only their undo puts it back) and the type it was deleted from. */
	sender: string;
	parent: object | null;
	/**
	 * Where deleted text stood: the live characters just before and after it then, as keys of
	 * their originals (Sources.keyOf); null at the start or end of its type.
	 */
	after: string | null;
	before: string | null;
	evicted?: boolean;
}

/** Adds characters to a pool (see Provenance.judge). */
export function addChars(pool: Chars, part: Chars): void {
	pool.text += part.text;
	append(pool.writers, part.writers);
	append(pool.clients, part.clients);
	append(pool.clocks, part.clocks);
}

/** Consecutive ids of one client, as Chars wants them. */
export function idsOf(
	client: number,
	clock: number,
	len: number
): { clients: number[]; clocks: number[] } {
	const clients: number[] = [];
	const clocks: number[] = [];
	for (let i = 0; i < len; i++) {
		clients.push(client);
		clocks.push(clock + i);
	}
	return { clients, clocks };
}

/** What #around answers when no grave remembers where it stood (no array per keystroke). */
const NO_GRAVES: readonly Grave[] = [];

/** Is this type deleted (a block deleted with it; the root never is)? */
function isGone(type: object | null): boolean {
	return (type as Y.AbstractType<unknown> | null)?._item?.deleted === true;
}

/**
 * Appends one array to another. Not `push(...source)`: that passes each element as an argument,
 * and a deletion of some 120 000 characters would overflow the stack.
 */
function append<T>(target: T[], source: readonly T[]): void {
	for (const value of source) target.push(value);
}

/** At most this many deleted characters are remembered per document for undo. */
const GRAVEYARD_CHARS = 50_000;

/** The writers of `len` characters of one client from `clock`, one per character. */
export type WritersOf = (client: number, clock: number, len: number) => Array<string | null>;

export class Graveyard {
	readonly #graves = new Map<number, Grave[]>();
	/** The same graves by the type their text was deleted from. */
	readonly #gravesIn = new WeakMap<object, Grave[]>();
	/** Deleted blocks by the type they were deleted from. */
	readonly #blockGravesIn = new WeakMap<object, Grave[]>();
	/** Text graves by where their text stood (Grave.after and Grave.before). */
	readonly #gravesAfter = new Map<string, Grave[]>();
	readonly #gravesBefore = new Map<string, Grave[]>();
	/** Which characters are copies of which (shared with Provenance, which records them). */
	readonly #sources: Sources;
	/** Who wrote live characters (Provenance's runs): a deleted block's grave holds its text. */
	readonly #writersOf: WritersOf;
	#graveQueue: Array<{ client: number; grave: Grave }> = [];
	#graveChars = 0;
	/** The longest grave ever buried: no grave starting further back than this holds a clock. */
	#longestGrave = 0;

	constructor(sources: Sources, writersOf: WritersOf) {
		this.#sources = sources;
		this.#writersOf = writersOf;
	}

	/**
	 * Remembers text `sender` deletes: `len` characters at `clock` of `client`, from `parent`,
	 * with the live characters beside it once the deletion is applied (`after`, `before`; null at
	 * the start or end of its type).
	 */
	buryText(
		client: number,
		deleted: {
			clock: number;
			len: number;
			text: string;
			writers: Array<string | null>;
			sender: string;
			parent: object | null;
			after: Y.ID | null;
			before: Y.ID | null;
		}
	): void {
		const { after, before } = deleted;
		this.#bury(client, {
			client,
			clock: deleted.clock,
			len: deleted.len,
			text: deleted.text,
			writers: deleted.writers,
			block: false,
			ids: null,
			sender: deleted.sender,
			parent: deleted.parent,
			after: after && this.#sources.keyOf(after.client, after.clock),
			before: before && this.#sources.keyOf(before.client, before.clock)
		});
	}

	/** Remembers a block `sender` deletes (`item`, holding `type`) and its text (#textInside). */
	buryBlock(client: number, item: Y.Item, type: Y.AbstractType<unknown>, sender: string): void {
		const inside: Chars = { text: '', writers: [], clients: [], clocks: [] };
		this.#textInside(type, sender, inside);
		if (inside.writers.length > 0) {
			this.#bury(client, {
				client,
				clock: item.id.clock,
				len: 1,
				text: inside.text,
				writers: inside.writers,
				block: true,
				ids: { clients: inside.clients, clocks: inside.clocks },
				sender,
				parent: item.parent,
				after: null,
				before: null
			});
		}
	}

	#bury(client: number, grave: Grave): void {
		const list = this.#graves.get(client) ?? [];
		this.#graves.set(client, list);
		// Kept sorted by clock (after any grave at the same clock): a binary search, not a sort,
		// since deleting older words is an ordinary keystroke.
		list.splice(indexAfter(list, grave.clock), 0, grave);
		this.#longestGrave = Math.max(this.#longestGrave, grave.len);
		if (grave.parent) {
			const byParent = grave.block ? this.#blockGravesIn : this.#gravesIn;
			const inParent = byParent.get(grave.parent) ?? [];
			inParent.push(grave);
			byParent.set(grave.parent, inParent);
		}
		for (const [byKey, key] of [
			[this.#gravesAfter, grave.after],
			[this.#gravesBefore, grave.before]
		] as const) {
			if (key === null) continue;
			const list = byKey.get(key) ?? [];
			list.push(grave);
			byKey.set(key, list);
		}
		this.#graveQueue.push({ client, grave });
		this.#graveChars += grave.text.length;
		while (this.#graveChars > GRAVEYARD_CHARS && this.#graveQueue.length > 0) {
			const oldest = this.#graveQueue.shift() as { client: number; grave: Grave };
			this.#graveChars -= oldest.grave.text.length;
			oldest.grave.evicted = true;
			// Still listed by its type (skipped there): let go of its text, so memory stays bounded.
			oldest.grave.text = '';
			oldest.grave.writers = [];
			oldest.grave.ids = null;
			for (const [byKey, key] of [
				[this.#gravesAfter, oldest.grave.after],
				[this.#gravesBefore, oldest.grave.before]
			] as const) {
				const list = key === null ? undefined : byKey.get(key);
				if (!list || key === null) continue;
				const kept = list.filter((g) => g !== oldest.grave);
				if (kept.length > 0) byKey.set(key, kept);
				else byKey.delete(key);
			}
			const graves = this.#graves.get(oldest.client) ?? [];
			// Sorted by clock: it is the last one starting at its clock, or just before that.
			let i = indexAfter(graves, oldest.grave.clock) - 1;
			while (i >= 0 && graves[i] !== oldest.grave) i--;
			if (i >= 0) graves.splice(i, 1);
		}
	}

	/** The deleted text remembered at `id`, from there on (a block: all it held). */
	at(id: Y.ID): (Chars & { sender: string; grave: Grave }) | null {
		const list = this.#graves.get(id.client);
		if (!list) return null;
		// The latest-listed grave holding the clock: only those starting at most the longest
		// grave's length before it can (checked on every keystroke placed against an item).
		for (let i = indexAfter(list, id.clock) - 1; i >= 0; i--) {
			const grave = list[i] as Grave;
			if (grave.clock + this.#longestGrave <= id.clock) break;
			if (id.clock < grave.clock + grave.len) return this.#charsOf(grave, id.clock - grave.clock);
		}
		return null;
	}

	/** Adds to `pool` the blocks `sender` deleted from `container` that are still remembered. */
	poolBlocksIn(container: object, sender: string, pool: Chars): void {
		for (const grave of this.#blockGravesIn.get(container) ?? []) {
			if (grave.evicted || grave.sender !== sender) continue;
			addChars(pool, this.#charsOf(grave, 0));
		}
	}

	/** Adds to `pool` the text `sender` deleted from `container` that is still remembered. */
	poolTextIn(container: object, sender: string, pool: Chars): void {
		for (const grave of this.#gravesIn.get(container) ?? []) {
			if (grave.evicted || grave.sender !== sender) continue;
			addChars(pool, this.#charsOf(grave, 0));
		}
	}

	/**
	 * Adds to `pool` the graves #around finds for this new item, each once per update (`pooled`:
	 * the graves already added, kept by the caller for the whole update).
	 */
	poolAround(
		item: Y.Item,
		sender: string,
		created: () => string,
		pool: Chars,
		pooled: Set<object>
	): void {
		for (const grave of this.#around(item, sender, created)) {
			if (pooled.has(grave)) continue;
			pooled.add(grave);
			addChars(pool, this.#charsOf(grave, 0));
		}
	}

	/** A grave's characters from `from` on (a block: all it held). */
	#charsOf(grave: Grave, from: number): Chars & { sender: string; grave: Grave } {
		if (grave.block) {
			const { text, writers, ids, sender } = grave;
			return {
				text,
				writers,
				clients: ids?.clients ?? [],
				clocks: ids?.clocks ?? [],
				sender,
				grave
			};
		}
		return {
			text: grave.text.slice(from),
			writers: grave.writers.slice(from),
			...idsOf(grave.client, grave.clock + from, grave.len - from),
			sender: grave.sender,
			grave
		};
	}

	/**
	 * What the graves of a deleted item hold, as far as `sender` deleted it (in clock order):
	 * the text a block's deleter had deleted from it before goes with the block.
	 */
	#buriedIn(item: Y.Item, sender: string, out: Chars): void {
		const list = this.#graves.get(item.id.client);
		if (!list) return;
		const end = item.id.clock + item.length;
		let at = item.id.clock;
		while (at < end) {
			const found = this.at(Y.createID(item.id.client, at));
			if (!found) {
				// No grave here: on to the next one starting in the item, if any.
				const next = list[indexAfter(list, at)];
				if (!next || next.clock >= end) return;
				at = next.clock;
				continue;
			}
			const { grave } = found;
			const to = grave.block ? at + 1 : Math.min(grave.clock + grave.len, end);
			if (found.sender === sender && !grave.evicted) {
				const n = grave.block ? found.text.length : to - at;
				addChars(out, {
					text: found.text.slice(0, n),
					writers: found.writers.slice(0, n),
					clients: found.clients.slice(0, n),
					clocks: found.clocks.slice(0, n)
				});
			}
			at = to;
		}
	}

	/**
	 * The text inside a type `sender` deletes, with its writers and ids, in order: what undoing
	 * its deletion restores. That is its live text, and the text `sender` had deleted from it
	 * before: an undo step may cover both (Enter, then a heading change), and then restores the
	 * block and that text into it at once, where nothing else the undo deletes holds that text.
	 */
	#textInside(type: Y.AbstractType<unknown>, sender: string, out: Chars): void {
		for (let item = type._start; item !== null; item = item.right) {
			if (item.deleted) {
				this.#buriedIn(item, sender, out);
			} else if (item.content instanceof Y.ContentString) {
				addChars(out, {
					text: item.content.str,
					writers: this.#writersOf(item.id.client, item.id.clock, item.length),
					...idsOf(item.id.client, item.id.clock, item.length)
				});
			} else if (item.content instanceof Y.ContentType) {
				this.#textInside(item.content.type, sender, out);
			}
		}
	}

	/**
	 * Text `sender` deleted that an undo of theirs puts back where nothing but the place can tell:
	 * after its block was deleted and restored, Yjs's undo puts it into the restored block next to
	 * the restored copies of what stood beside it (its `origin` the copy of a character before
	 * it, its `rightOrigin` of one after it), as typing there would. So: the sender's graves from
	 * deleted types whose neighbours then are the originals of this new item's, whose whole text
	 * the update creates (`created`: an undo restores a deletion whole; typing one letter after
	 * another never makes a word of it, only retyping all of it at once in that very place would).
	 * Graves from a type that is still there are left to the rules in judge (see c591774).
	 */
	#around(item: Y.Item, sender: string, created: () => string): readonly Grave[] {
		// Most keystrokes: no text deleted where it stood is remembered.
		if (this.#gravesAfter.size === 0 && this.#gravesBefore.size === 0) return NO_GRAVES;
		const out: Grave[] = [];
		for (const [byKey, id] of [
			[this.#gravesAfter, item.origin],
			[this.#gravesBefore, item.rightOrigin]
		] as const) {
			if (!id) continue;
			for (const grave of byKey.get(this.#sources.keyOf(id.client, id.clock)) ?? []) {
				if (grave.evicted || grave.sender !== sender || !isGone(grave.parent)) continue;
				if (created().includes(grave.text) && !out.includes(grave)) out.push(grave);
			}
		}
		return out;
	}
}
