import * as Y from 'yjs';
import { Ownership, type OwnRun } from '../../collab/own-words.ts';
import { liveItemsDeleted } from '../../collab/deleted-items.ts';
import { indexAfter } from '../../collab/ownership.ts';
import type { Writer } from './store.ts';
import { matchWriters } from './provenance-match.ts';
import { liveNeighbours } from './provenance-neighbours.ts';
import { Sources } from './provenance-sources.ts';

/**
 * Who wrote each character, decided by the collab server as it applies each update, so that
 * words keep their writer when an editor moves them. y-tiptap (like y-prosemirror) turns Enter in
 * the middle of a paragraph, Backspace at a paragraph's start, list and heading changes into
 * "delete these characters, insert the same characters again" under the editing client's id, and
 * Yjs's undo restores deleted text as new items under the undoing client's id; so "the client
 * that inserted it" is not "the person who wrote it".
 *
 * The rule: a new character is its client's person's (the sender's, for the sender's own client)
 * unless it matches, in order, a character the same update deletes (a split, join or re-typed
 * block: the same client in the same message, which a resend after reconnect may merge from
 * many transactions) or one deleted earlier that it is placed against (undo and redo put the
 * restored item right before the item it restores, or restore a block whose old self it is
 * placed against, with the text its deleter had deleted from it before) or, once its block has
 * been deleted and restored, placed where it stood (see #gravesAround); then it keeps that
 * character's writer. Only the young person's own connection ever creates characters that are
 * theirs: nothing anyone else sends inherits them.
 *
 * Only the exceptions are stored (public.document_provenance): runs of items whose writer is not
 * their client's person. Item ids survive compaction (encodeStateAsUpdate keeps them), so the
 * runs stay valid across snapshots.
 */

/** A run of items whose writer differs from their client's person; null: nobody's (template). */
export interface WriterRun {
	client: number;
	clock: number;
	len: number;
	writer: string | null;
}

interface WriterSpan {
	clock: number;
	len: number;
	writer: string | null;
}

/** Characters, their writers and their ids (client, clock), one each per character. */
interface Chars {
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

/** Adds characters to a pool (see judge). */
function addChars(pool: Chars, part: Chars): void {
	pool.text += part.text;
	append(pool.writers, part.writers);
	append(pool.clients, part.clients);
	append(pool.clocks, part.clocks);
}

/** Consecutive ids of one client, as Chars wants them. */
function idsOf(
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

/** What #gravesAround answers when no grave remembers where it stood (no array per keystroke). */
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

/** Is this new item placed right before an item that is deleted (before or by its update)? */
function placedAgainstDeleted(
	doc: Y.Doc,
	decoded: ReturnType<typeof Y.decodeUpdate>,
	item: Y.Item
): boolean {
	const right = item.rightOrigin;
	if (!right || right.clock >= Y.getState(doc.store, right.client)) return false;
	const stored = Y.getItem(doc.store, right) as Y.Item | Y.GC;
	return stored.deleted || Y.isDeleted(decoded.ds, right);
}

/** At most this many deleted characters are remembered per document for undo. */
const GRAVEYARD_CHARS = 50_000;
export interface Judgement {
	/** New runs whose writer differs from their client's person (to store and send). */
	runs: WriterRun[];
	/** The same, as browsers need them: the young person's or not. */
	ownRuns: OwnRun[];
}

export class Provenance {
	readonly youngPersonId: string;
	/** Client id → who first sent it (public.document_writers); shared with the room. */
	readonly writers: Map<number, Writer>;
	/** What browsers are told: the young person's characters. */
	readonly ownership: Ownership;
	readonly #runs = new Map<number, WriterSpan[]>();
	readonly #graves = new Map<number, Grave[]>();
	/** The same graves by the type their text was deleted from. */
	readonly #gravesIn = new WeakMap<object, Grave[]>();
	/** Deleted blocks by the type they were deleted from. */
	readonly #blockGravesIn = new WeakMap<object, Grave[]>();
	/** Text graves by where their text stood (Grave.after and Grave.before). */
	readonly #gravesAfter = new Map<string, Grave[]>();
	readonly #gravesBefore = new Map<string, Grave[]>();
	/** Which characters are copies of which (see provenance-sources.ts). */
	readonly #sources = new Sources();
	#graveQueue: Array<{ client: number; grave: Grave }> = [];
	#graveChars = 0;
	/** The longest grave ever buried: no grave starting further back than this holds a clock. */
	#longestGrave = 0;

	constructor(youngPersonId: string, writers: Map<number, Writer>, runs: Iterable<WriterRun>) {
		this.youngPersonId = youngPersonId;
		this.writers = writers;
		this.ownership = new Ownership(
			[...writers]
				.filter(([, w]) => w.writerId === youngPersonId && !w.template)
				.map(([client]) => client)
		);
		for (const run of runs) this.#record(run);
	}

	/** The person a client's items belong to by default: its binding (nobody's for a template). */
	#byClient(client: number): string | null {
		const writer = this.writers.get(client);
		return writer && !writer.template ? writer.writerId : null;
	}

	/** Binds a client to a person (its first update, from that person's connection). */
	bind(client: number, writerId: string): void {
		this.writers.set(client, { writerId, template: false });
		if (writerId === this.youngPersonId) this.ownership.clients.add(client);
	}

	/** Who wrote the item with this id, and up to which clock (exclusive) that holds. */
	writerAt(client: number, clock: number): { writer: string | null; end: number } {
		const list = this.#runs.get(client);
		const byClient = this.#byClient(client);
		if (!list) return { writer: byClient, end: Infinity };
		const i = indexAfter(list, clock);
		const span = list[i - 1];
		if (span && clock < span.clock + span.len) {
			return { writer: span.writer, end: span.clock + span.len };
		}
		return { writer: byClient, end: list[i]?.clock ?? Infinity };
	}

	/** Every stored run (tests compare them with what the database holds). */
	runs(): WriterRun[] {
		const out: WriterRun[] = [];
		for (const [client, list] of this.#runs) for (const span of list) out.push({ client, ...span });
		return out;
	}

	#record(run: WriterRun): void {
		const list = this.#runs.get(run.client) ?? [];
		this.#runs.set(run.client, list);
		const last = list[list.length - 1];
		if (last && last.clock + last.len === run.clock && last.writer === run.writer) {
			last.len += run.len;
		} else if (!last || last.clock + last.len <= run.clock) {
			list.push({ clock: run.clock, len: run.len, writer: run.writer });
		} else {
			// Loaded out of order: rare, so a sort is fine.
			if (list.some((s) => s.clock === run.clock)) return;
			list.push({ clock: run.clock, len: run.len, writer: run.writer });
			list.sort((a, b) => a.clock - b.clock);
		}
		this.ownership.addRun(this.#ownRun(run));
	}

	/** A run as browsers need it: the young person's or not. */
	#ownRun(run: WriterRun): OwnRun {
		return {
			client: run.client,
			clock: run.clock,
			len: run.len,
			own: run.writer === this.youngPersonId
		};
	}

	/** The writers of `len` characters of one client from `clock`, one per character. */
	#writersOf(client: number, clock: number, len: number): Array<string | null> {
		const out: Array<string | null> = [];
		let at = clock;
		while (at < clock + len) {
			const { writer, end } = this.writerAt(client, at);
			const to = Math.min(end, clock + len);
			for (; at < to; at++) out.push(writer);
		}
		return out;
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
	#graveAt(id: Y.ID): (Chars & { sender: string; grave: Grave }) | null {
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
			const found = this.#graveAt(Y.createID(item.id.client, at));
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
	 * Is this new item `sender`'s own deleted words put back in their old place (their undo or
	 * redo: restored text is placed right before the item it restores)? Never for the young
	 * person's words: only their connection makes characters theirs.
	 */
	restores(item: Y.Item, sender: string): boolean {
		if (sender === this.youngPersonId || !(item.content instanceof Y.ContentString)) return false;
		const grave = item.rightOrigin ? this.#graveAt(item.rightOrigin) : null;
		const text = item.content.str;
		return (
			grave !== null &&
			grave.sender === sender &&
			grave.text.startsWith(text) &&
			grave.writers.slice(0, text.length).every((writer) => writer === sender)
		);
	}

	/** The type a new (decoded) item goes into, when it is one the document already has. */
	#containerOf(doc: Y.Doc, item: Y.Item): object | null {
		const parent = item.parent as unknown;
		if (parent instanceof Y.ID) {
			if (parent.clock >= Y.getState(doc.store, parent.client)) return null;
			const stored = Y.getItem(doc.store, parent) as Y.Item | Y.GC;
			return stored instanceof Y.Item && stored.content instanceof Y.ContentType
				? stored.content.type
				: null;
		}
		for (const id of [item.origin, item.rightOrigin]) {
			if (!id || id.clock >= Y.getState(doc.store, id.client)) continue;
			const stored = Y.getItem(doc.store, id) as Y.Item | Y.GC;
			if (stored instanceof Y.Item) return stored.parent;
		}
		return null;
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
	#gravesAround(item: Y.Item, sender: string, created: () => string): readonly Grave[] {
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

	/**
	 * Works out who wrote each character an update creates, against the document before it is
	 * applied, and records the runs that differ from their client's person. `newClients` are
	 * the clients this update binds to `sender` (the caller binds them once it is applied).
	 * Linear in the update and the text it deletes.
	 */
	judge(
		doc: Y.Doc,
		decoded: ReturnType<typeof Y.decodeUpdate>,
		sender: string,
		newClients: readonly number[]
	): Judgement {
		// Clients this update binds to its sender are the sender's (bound once it is applied).
		const fresh = new Set(newClients);
		const byClientOf = (client: number) => (fresh.has(client) ? sender : this.#byClient(client));
		// The pool of characters new ones may inherit from: what this update deletes, then what
		// was deleted earlier at the places new items are put against.
		const pool: Chars = { text: '', writers: [], clients: [], clocks: [] };
		const beside = liveNeighbours(decoded.ds);
		for (const { client, item, from, to } of liveItemsDeleted(doc, decoded.ds)) {
			if (item.content instanceof Y.ContentString) {
				const text = item.content.str.slice(from - item.id.clock, to - item.id.clock);
				const writers = this.#writersOf(client, from, to - from);
				addChars(pool, { text, writers, ...idsOf(client, from, to - from) });
				// Where it stood: the live characters beside it once this update is applied.
				const after =
					from > item.id.clock ? Y.createID(client, from - 1) : beside.before(item.left);
				const before =
					to < item.id.clock + item.length ? Y.createID(client, to) : beside.after(item.right);
				this.#bury(client, {
					client,
					clock: from,
					len: to - from,
					text,
					writers,
					block: false,
					ids: null,
					sender,
					parent: item.parent,
					after: after && this.#sources.keyOf(after.client, after.clock),
					before: before && this.#sources.keyOf(before.client, before.clock)
				});
			} else if (item.content instanceof Y.ContentType && item.parentSub === null) {
				const inside: Chars = { text: '', writers: [], clients: [], clocks: [] };
				this.#textInside(item.content.type, sender, inside);
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
		}
		const pooledFrom = new Set<object>();
		const blocksPooledFrom = new Set<object>();
		const pooledGraves = new Set<Grave>();
		// The text this update creates, for #gravesAround (only worked out if it asks).
		let createdText: string | null = null;
		const created = () => {
			if (createdText === null) {
				createdText = '';
				for (const struct of decoded.structs) {
					if (struct instanceof Y.Item && struct.content instanceof Y.ContentString) {
						createdText += struct.content.str;
					}
				}
			}
			return createdText;
		};
		// New characters, per client in clock order, as contiguous strings.
		const segments: Array<{ client: number; clock: number; text: string }> = [];
		for (const struct of decoded.structs) {
			if (!(struct instanceof Y.Item)) continue;
			const known = Y.getState(doc.store, struct.id.client);
			if (struct.id.clock + struct.length <= known) continue;
			let restoredAgainst = false;
			if (
				struct.rightOrigin &&
				struct.rightOrigin.clock < Y.getState(doc.store, struct.rightOrigin.client)
			) {
				const grave = this.#graveAt(struct.rightOrigin);
				// Only the deleter's undo puts it back: someone typing against words another
				// person deleted meanwhile (not yet seen by their editor) is writing new ones.
				if (grave && grave.sender === sender) {
					addChars(pool, grave);
					restoredAgainst = true;
				}
			}
			if (!restoredAgainst && struct.content instanceof Y.ContentType) {
				// A block an undo restores is placed against its old self, unless that is no longer
				// reachable from its left neighbour (the patched Yjs then places it against what is
				// there now, see docs/architecture.md): so blocks the sender deleted from the same
				// type may be given back too.
				const container = this.#containerOf(doc, struct);
				if (container && !blocksPooledFrom.has(container)) {
					blocksPooledFrom.add(container);
					for (const grave of this.#blockGravesIn.get(container) ?? []) {
						if (grave.evicted || grave.sender !== sender) continue;
						addChars(pool, this.#charsOf(grave, 0));
					}
				}
			}
			if (!(struct.content instanceof Y.ContentString)) continue;
			// Undo puts text back next to what it was deleted from, but not always against the
			// very item it restores (after an earlier undo, it is placed against restored items):
			// so text the sender deleted from the same type may be given back too. Only to text
			// placed against deleted words, though, as undo places it: typing is always placed
			// against live text (Yjs steps over deleted items), and a young person who deletes a
			// worker's words and types the same letters again has written them, not restored them.
			const container = this.#containerOf(doc, struct);
			if (container && !pooledFrom.has(container) && placedAgainstDeleted(doc, decoded, struct)) {
				pooledFrom.add(container);
				for (const grave of this.#gravesIn.get(container) ?? []) {
					if (grave.evicted || grave.sender !== sender) continue;
					addChars(pool, this.#charsOf(grave, 0));
				}
			}
			// Text whose type was deleted and restored comes back next to what stood beside it.
			for (const grave of this.#gravesAround(struct, sender, created)) {
				if (pooledGraves.has(grave)) continue;
				pooledGraves.add(grave);
				addChars(pool, this.#charsOf(grave, 0));
			}
			const skip = Math.max(0, known - struct.id.clock);
			const text = struct.content.str.slice(skip);
			const clock = struct.id.clock + skip;
			const last = segments[segments.length - 1];
			if (last && last.client === struct.id.client && last.clock + last.text.length === clock) {
				last.text += text;
			} else {
				segments.push({ client: struct.id.client, clock, text });
			}
		}
		// Nothing to inherit (most keystrokes): nothing is a copy either.
		const copies = pool.text.length > 0 ? this.#sources.collector() : null;
		const runs = matchWriters(pool.text, pool.writers, segments, {
			byClientOf,
			youngPersonId: this.youngPersonId,
			sender,
			onMatch: (client, clock, pos) =>
				copies?.add(client, clock, {
					client: pool.clients[pos] as number,
					clock: pool.clocks[pos] as number
				})
		});
		copies?.commit();
		for (const run of runs) this.#record(run);
		return { runs, ownRuns: runs.map((run) => this.#ownRun(run)) };
	}
}
