import * as Y from 'yjs';
import { Ownership, type OwnRun } from '../../collab/own-words.ts';
import { liveItemsDeleted } from '../../collab/deleted-items.ts';
import { indexAfter } from '../../collab/ownership.ts';
import type { Writer } from './store.ts';
import { matchWriters } from './provenance-match.ts';

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
 * placed against, with the text its deleter had deleted from it before); then it keeps that
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

/** Characters and their writers, one per character. */
interface Chars {
	text: string;
	writers: Array<string | null>;
}

/** Text deleted earlier, kept (in memory, bounded) so an undo can give it back to its writer. */
interface Grave {
	clock: number;
	len: number;
	text: string;
	writers: Array<string | null>;
	/** For a deleted block: its item's length is 1, but it held this text. */
	block: boolean;
	/** Who deleted it (only their undo puts it back) and the type it was deleted from. */
	sender: string;
	parent: object | null;
	evicted?: boolean;
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
		this.#graveQueue.push({ client, grave });
		this.#graveChars += grave.text.length;
		while (this.#graveChars > GRAVEYARD_CHARS && this.#graveQueue.length > 0) {
			const oldest = this.#graveQueue.shift() as { client: number; grave: Grave };
			this.#graveChars -= oldest.grave.text.length;
			oldest.grave.evicted = true;
			// Still listed by its type (skipped there): let go of its text, so memory stays bounded.
			oldest.grave.text = '';
			oldest.grave.writers = [];
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
		if (grave.block)
			return { text: grave.text, writers: grave.writers, sender: grave.sender, grave };
		return {
			text: grave.text.slice(from),
			writers: grave.writers.slice(from),
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
				out.text += found.text.slice(0, n);
				append(out.writers, found.writers.slice(0, n));
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
	 * The text inside a type `sender` deletes, with its writers, in order: what undoing its
	 * deletion restores. That is its live text, and the text `sender` had deleted from it before:
	 * an undo step may cover both (Enter, then a heading change), and then restores the block and
	 * that text into it at once, where nothing else the undo deletes holds that text.
	 */
	#textInside(type: Y.AbstractType<unknown>, sender: string, out: Chars): void {
		for (let item = type._start; item !== null; item = item.right) {
			if (item.deleted) {
				this.#buriedIn(item, sender, out);
			} else if (item.content instanceof Y.ContentString) {
				out.text += item.content.str;
				append(out.writers, this.#writersOf(item.id.client, item.id.clock, item.length));
			} else if (item.content instanceof Y.ContentType) {
				this.#textInside(item.content.type, sender, out);
			}
		}
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
		let pool = '';
		const poolWriters: Array<string | null> = [];
		for (const { client, item, from, to } of liveItemsDeleted(doc, decoded.ds)) {
			if (item.content instanceof Y.ContentString) {
				const text = item.content.str.slice(from - item.id.clock, to - item.id.clock);
				const writers = this.#writersOf(client, from, to - from);
				pool += text;
				append(poolWriters, writers);
				this.#bury(client, {
					clock: from,
					len: to - from,
					text,
					writers,
					block: false,
					sender,
					parent: item.parent
				});
			} else if (item.content instanceof Y.ContentType && item.parentSub === null) {
				const inside: Chars = { text: '', writers: [] };
				this.#textInside(item.content.type, sender, inside);
				if (inside.writers.length > 0) {
					this.#bury(client, {
						clock: item.id.clock,
						len: 1,
						text: inside.text,
						writers: inside.writers,
						block: true,
						sender,
						parent: item.parent
					});
				}
			}
		}
		const pooledFrom = new Set<object>();
		const blocksPooledFrom = new Set<object>();
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
					pool += grave.text;
					append(poolWriters, grave.writers);
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
						pool += grave.text;
						append(poolWriters, grave.writers);
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
					pool += grave.text;
					append(poolWriters, grave.writers);
				}
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
		const runs = matchWriters(pool, poolWriters, segments, {
			byClientOf,
			youngPersonId: this.youngPersonId,
			sender
		});
		for (const run of runs) this.#record(run);
		return { runs, ownRuns: runs.map((run) => this.#ownRun(run)) };
	}
}
