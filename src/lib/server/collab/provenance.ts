import * as Y from 'yjs';
import { Ownership, type OwnRun } from '../../collab/own-words.ts';
import { liveItemsDeleted } from '../../collab/deleted-items.ts';
import { indexAfter } from '../../collab/ownership.ts';
import type { Writer } from './store.ts';
import { matchWriters } from './provenance-match.ts';
import { liveNeighbours } from './provenance-neighbours.ts';
import { Sources } from './provenance-sources.ts';
import { Graveyard, addChars, idsOf, type Chars } from './provenance-graves.ts';

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
 * been deleted and restored, placed where it stood (see provenance-graves.ts); then it keeps that
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
	/** Which characters are copies of which (see provenance-sources.ts). */
	readonly #sources = new Sources();
	/** Text deleted earlier, for undo (see provenance-graves.ts). */
	readonly #graves = new Graveyard(this.#sources, (client, clock, len) =>
		this.#writersOf(client, clock, len)
	);

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

	/**
	 * Is this new item `sender`'s own deleted words put back in their old place (their undo or
	 * redo: restored text is placed right before the item it restores)? Never for the young
	 * person's words: only their connection makes characters theirs.
	 */
	restores(item: Y.Item, sender: string): boolean {
		if (sender === this.youngPersonId || !(item.content instanceof Y.ContentString)) return false;
		const grave = item.rightOrigin ? this.#graves.at(item.rightOrigin) : null;
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
				this.#graves.buryText(client, {
					clock: from,
					len: to - from,
					text,
					writers,
					sender,
					parent: item.parent,
					after,
					before
				});
			} else if (item.content instanceof Y.ContentType && item.parentSub === null) {
				this.#graves.buryBlock(client, item, item.content.type, sender);
			}
		}
		const pooledFrom = new Set<object>();
		const blocksPooledFrom = new Set<object>();
		const pooledGraves = new Set<object>();
		// The text this update creates, for Graveyard.poolAround (only worked out if it asks).
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
				const grave = this.#graves.at(struct.rightOrigin);
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
					this.#graves.poolBlocksIn(container, sender, pool);
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
				this.#graves.poolTextIn(container, sender, pool);
			}
			// Text whose type was deleted and restored comes back next to what stood beside it.
			this.#graves.poolAround(struct, sender, created, pool, pooledGraves);
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
