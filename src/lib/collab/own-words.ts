import * as Y from 'yjs';
import { liveItemsDeleted } from './deleted-items.ts';
import { Ownership } from './ownership.ts';

export { Ownership, type OwnRun } from './ownership.ts';

/**
 * "In my own words": which characters of a document the young person wrote. Each Yjs item
 * carries the client id of the editor that created it, and the collab server binds client ids to
 * people (public.document_writers), so by default an item is its client's person's. But an editor
 * that splits, joins or re-types a block deletes text and inserts it again under its own client
 * id (y-tiptap does this for Enter, Backspace at a block's start, list and heading changes, undo),
 * so the server also records runs of items whose writer differs from their client's person
 * (public.document_provenance): the moved words keep their writer. `Ownership` answers "is this
 * character the young person's?" from both. Shared by the server (rendering, refusing rewrites)
 * and the browser (highlighting, turning rewrites into suggestions), so both draw the same lines.
 * Plain TypeScript only: the collab server imports it with Node's type stripping.
 */

/** Any Yjs shared type (the event type does not matter here). */
interface YType {
	_start: Y.Item | null;
	_item: Y.Item | null;
}

/** A run of the young person's words inside one block: offsets in the block's text content. */
export interface OwnRange {
	from: number;
	to: number;
}

/** Text blocks whose content is one line of text (ProseMirror textblocks). */
export const TEXT_BLOCKS = new Set(['paragraph', 'heading', 'codeBlock']);

function itemsOf(type: YType): Y.Item[] {
	const out: Y.Item[] = [];
	for (let item = type._start; item !== null; item = item.right) out.push(item);
	return out;
}

/** Placeholder for an inline node (a line break) when a block's text is compared. */
export const INLINE_NODE = '\uFFFC';

/**
 * A text block's content as ProseMirror counts it: its characters, and INLINE_NODE for each
 * inline node. (ProseMirror's textBetween with INLINE_NODE as leaf text gives the same.)
 */
export function blockText(block: Y.XmlElement): string {
	let text = '';
	for (const child of itemsOf(block)) {
		if (child.deleted || !child.countable) continue;
		const type = child.content instanceof Y.ContentType ? child.content.type : null;
		if (!(type instanceof Y.XmlText)) {
			text += INLINE_NODE;
			continue;
		}
		for (const item of itemsOf(type)) {
			if (item.deleted || !item.countable) continue;
			text +=
				item.content instanceof Y.ContentString
					? item.content.str
					: INLINE_NODE.repeat(item.length);
		}
	}
	return text;
}

/**
 * The young person's runs inside a text block, as offsets into the block's content the way
 * ProseMirror counts them (each character 1, each inline node such as a line break 1).
 */
export function ownRangesInBlock(block: Y.XmlElement, own: Ownership): OwnRange[] {
	const ranges: OwnRange[] = [];
	let offset = 0;
	const push = (from: number, to: number) => {
		const last = ranges[ranges.length - 1];
		if (last && last.to === from) last.to = to;
		else ranges.push({ from, to });
	};
	for (const child of itemsOf(block)) {
		if (child.deleted || !child.countable) continue;
		const type = child.content instanceof Y.ContentType ? child.content.type : null;
		if (type instanceof Y.XmlText) {
			for (const item of itemsOf(type)) {
				if (item.deleted || !item.countable) continue;
				for (const [from, to] of own.spans(item.id.client, item.id.clock, item.length)) {
					push(offset + from, offset + to);
				}
				offset += item.length;
			}
		} else {
			// An inline node (hard break): one position, the young person's if they made it.
			if (own.at(child.id.client, child.id.clock).own) push(offset, offset + 1);
			offset += 1;
		}
	}
	return ranges;
}

/** Does any live item inside this type, at any depth, hold their words? */
export function holdsOwnWords(type: YType, own: Ownership): boolean {
	if (own.empty) return false;
	for (let item = type._start; item !== null; item = item.right) {
		if (item.deleted || !item.countable) continue;
		if (item.content instanceof Y.ContentType) {
			if (holdsOwnWords(item.content.type, own)) return true;
		} else if (own.anyOwn(item.id.client, item.id.clock, item.length)) {
			return true;
		}
	}
	return false;
}

/** The type an item lives in, or null when it is a top-level block or cannot be known. */
function containerOf(item: Y.Item): YType | null {
	const parent = item.parent;
	if (!(parent instanceof Y.AbstractType)) return null;
	return parent._item === null ? null : parent;
}

/** The struct holding `id` in the document, or null if the document does not have it yet. */
function storedStruct(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | null {
	if (id.clock >= Y.getState(doc.store, id.client)) return null;
	return Y.getItem(doc.store, id) as Y.Item | Y.GC;
}

/**
 * Is the character a live reader sees next to a position theirs? `item`/`clock` name the
 * neighbour an edit was made against; a deleted one is skipped over, as is formatting. A text
 * (y-tiptap's run of characters between inline nodes) counts by its edge character.
 */
function visibleOwn(
	item: Y.Item | null,
	clock: number,
	towardsLeft: boolean,
	own: Ownership
): boolean {
	let at: number | null = clock;
	for (let current = item; current !== null; current = towardsLeft ? current.left : current.right) {
		if (current.deleted || !current.countable) {
			at = null;
			continue;
		}
		if (current.content instanceof Y.ContentType) {
			const inner: YType = current.content.type;
			if (!(inner instanceof Y.XmlText)) return false;
			const items = itemsOf(inner);
			if (towardsLeft) items.reverse();
			const edge = items.find((i) => !i.deleted && i.countable);
			if (!edge) {
				at = null;
				continue;
			}
			return visibleOwn(
				edge,
				towardsLeft ? edge.id.clock + edge.length - 1 : edge.id.clock,
				towardsLeft,
				own
			);
		}
		const c = at ?? (towardsLeft ? current.id.clock + current.length - 1 : current.id.clock);
		return own.at(current.id.client, c).own;
	}
	return false;
}

export type Refusal = 'deletes-own-words' | 'changes-own-words' | 'unknown-reference';

/** Where a new item goes: an existing type, top level, a type the update itself makes, or unknown. */
type Target = YType | 'top' | 'new' | 'dropped' | 'unknown';

/**
 * Would applying this (decoded) update, sent by someone other than the young person, change
 * their words? It would if it deletes any of their characters (or anything holding them), inserts
 * anything between two of their characters, or adds or removes formatting over a stretch that
 * holds any of them. Writing before or after their words, in the same paragraph, is fine, as is
 * changing anyone else's words there and adding, changing the attributes of, or removing blocks
 * that hold none of theirs.
 *
 * Judged before the update is applied, against the document as the server holds it. An update
 * that refers to anything the server does not have yet (which Yjs would keep waiting, to land
 * later, perhaps inside words the young person has not typed yet) is refused outright, as is
 * deleting anything the server has not seen: an honest editor only refers to what it got from
 * the server. Work is linear in the size of the update and of the texts it formats.
 */
export function refusalFor(
	doc: Y.Doc,
	decoded: ReturnType<typeof Y.decodeUpdate>,
	own: Ownership,
	/**
	 * Is this new item the sender's own words put back where they were (their undo or redo)? The
	 * server knows (provenance.ts); such an item may land between two of their characters, since
	 * an editor's undo cannot be stopped before it happens, only its deletions filtered.
	 */
	restoresSendersWords: (item: Y.Item) => boolean = () => false
): Refusal | null {
	if (own.empty) return null;
	const deep = new Map<YType, boolean>();
	const containsOwnWords = (type: YType): boolean => {
		let found = deep.get(type);
		if (found === undefined) {
			found = holdsOwnWords(type, own);
			deep.set(type, found);
		}
		return found;
	};
	/** Texts whose formatting the update changes, and where (see formatsOverOwnWords). */
	const formatted = new Map<Y.XmlText, Array<Y.ID | null>>();
	const formatAt = (text: YType, anchor: Y.ID | null) => {
		if (!(text instanceof Y.XmlText)) return;
		const list = formatted.get(text) ?? [];
		list.push(anchor);
		formatted.set(text, list);
	};

	// Items created by this update, by client in clock order, to follow origins inside it.
	const created = new Map<number, Y.Item[]>();
	for (const struct of decoded.structs) {
		if (struct instanceof Y.Skip) return 'unknown-reference';
		const known = Y.getState(doc.store, struct.id.client);
		if (struct.id.clock + struct.length <= known) continue;
		const list = created.get(struct.id.client) ?? [];
		// A gap before the first new item means earlier ones are missing: Yjs would wait for them.
		if (list.length === 0 && struct.id.clock > known) return 'unknown-reference';
		if (struct instanceof Y.Item) list.push(struct);
		created.set(struct.id.client, list);
	}
	for (const [client, ranges] of decoded.ds.clients) {
		// Deleting items this update itself creates is fine (typed, then rubbed out, offline).
		const last = created.get(client)?.at(-1);
		const end = Math.max(Y.getState(doc.store, client), last ? last.id.clock + last.length : 0);
		if (ranges.some(({ clock, len }) => clock + len > end)) return 'deletes-own-words';
	}
	for (const { client, item, from, to } of liveItemsDeleted(doc, decoded.ds)) {
		if (item.content instanceof Y.ContentType) {
			if (containsOwnWords(item.content.type)) return 'deletes-own-words';
		} else if (item.content instanceof Y.ContentFormat) {
			const container = containerOf(item);
			if (container) formatAt(container, item.id);
		} else if (item.parentSub === null && own.anyOwn(client, from, to - from)) {
			return 'deletes-own-words';
		}
	}
	const findCreated = (id: Y.ID): Y.Item | null => {
		const list = created.get(id.client);
		if (!list) return null;
		let lo = 0;
		let hi = list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const item = list[mid] as Y.Item;
			if (id.clock < item.id.clock) hi = mid - 1;
			else if (id.clock >= item.id.clock + item.length) lo = mid + 1;
			else return item;
		}
		return null;
	};
	const targets = new Map<Y.Item, Target>();
	const targetOf = (item: Y.Item): Target => {
		const cached = targets.get(item);
		if (cached !== undefined) return cached;
		// Chains inside one update are walked iteratively: a long one must not overflow the stack.
		const chain: Y.Item[] = [];
		let current: Y.Item | null = item;
		let result: Target = 'unknown';
		while (current) {
			const seen = targets.get(current);
			if (seen !== undefined) {
				result = seen;
				break;
			}
			chain.push(current);
			const neighbour: Y.ID | null = current.origin ?? current.rightOrigin;
			const parent = current.parent as unknown;
			if (neighbour) {
				const stored = storedStruct(doc, neighbour);
				if (stored) {
					result = stored instanceof Y.Item ? (containerOf(stored) ?? 'top') : 'dropped';
					break;
				}
				current = findCreated(neighbour);
				if (!current) result = 'unknown';
			} else if (parent instanceof Y.ID) {
				const stored = storedStruct(doc, parent);
				if (stored instanceof Y.Item && stored.content instanceof Y.ContentType) {
					result = stored.content.type;
				} else if (stored) {
					result = 'dropped';
				} else {
					result = findCreated(parent) ? 'new' : 'unknown';
				}
				break;
			} else {
				// A root type, named (as Y.decodeUpdate leaves it) or resolved.
				result = typeof parent === 'string' || parent instanceof Y.AbstractType ? 'top' : 'unknown';
				break;
			}
		}
		for (const link of chain) targets.set(link, result);
		return result;
	};
	/**
	 * The stored neighbour a new item was placed against, on one side: its origin (or right
	 * origin), followed through items the update itself creates, which sit in one place. Null:
	 * the start (or end) of the type.
	 */
	// Chains of items the update creates share their ends: each link remembers its answer, so a
	// long run typed offline (each character placed against the one before) stays linear.
	const neighbours = [new Map<Y.Item, Y.ID | null>(), new Map<Y.Item, Y.ID | null>()];
	const storedNeighbour = (item: Y.Item, left: boolean): Y.ID | null => {
		const known = neighbours[left ? 0 : 1] as Map<Y.Item, Y.ID | null>;
		const chain: Y.Item[] = [];
		let current: Y.Item | null = item;
		let result: Y.ID | null = null;
		while (current) {
			const seen = known.get(current);
			if (seen !== undefined) {
				result = seen;
				break;
			}
			chain.push(current);
			const id: Y.ID | null = left ? current.origin : current.rightOrigin;
			if (id === null) break;
			if (storedStruct(doc, id)) {
				result = id;
				break;
			}
			current = findCreated(id);
		}
		for (const link of chain) known.set(link, result);
		return result;
	};
	const neighbourOwn = (id: Y.ID | null, left: boolean): boolean => {
		if (id === null) return false;
		const stored = storedStruct(doc, id);
		return stored instanceof Y.Item && visibleOwn(stored, id.clock, left, own);
	};
	for (const items of created.values()) {
		for (const item of items) {
			const target = targetOf(item);
			if (target === 'unknown') return 'unknown-reference';
			if (typeof target !== 'object' || item.parentSub !== null) continue;
			if (item.content instanceof Y.ContentFormat) {
				formatAt(target, storedNeighbour(item, true));
				continue;
			}
			// Between two of their characters: inside their words. Judged by the neighbours the
			// edit names (what its writer saw), not by what is next to them now: an editor typing
			// just after (or before) their words while they add to them at the same spot writes
			// beside their words, not inside them, and Yjs may then order the two either way
			// (issue 11: no false refusals). An edit placed between two of their characters names
			// both; one that names a character the server has not got waits for it
			// (pending-updates.ts) and is judged once it is there.
			const left = storedNeighbour(item, true);
			const right = storedNeighbour(item, false);
			if (neighbourOwn(left, true) && neighbourOwn(right, false) && !restoresSendersWords(item)) {
				return 'changes-own-words';
			}
		}
	}
	for (const [text, anchors] of formatted) {
		if (formatsOverOwnWords(doc, text, anchors, own)) return 'changes-own-words';
	}
	return null;
}

/**
 * Formatting in Yjs is a pair of markers in the text: one where a format starts and one where
 * it ends. The update's markers (new ones, after the character they were placed against, or
 * null for the start; removed ones, where they are) bound the stretch it reformats: from just
 * after the first to the last (to the end, when there is only one). Any live character of theirs
 * in that stretch is being reformatted.
 */
function formatsOverOwnWords(
	doc: Y.Doc,
	text: Y.XmlText,
	anchors: Array<Y.ID | null>,
	own: Ownership
): boolean {
	const positions = new Map<Y.Item, number>();
	let index = 0;
	for (let item = text._start; item !== null; item = item.right) {
		positions.set(item, index);
		index += item.length;
	}
	let lo = Infinity;
	let hi = -Infinity;
	for (const anchor of anchors) {
		let at = -1;
		if (anchor) {
			const stored = storedStruct(doc, anchor);
			const start = stored instanceof Y.Item ? positions.get(stored) : undefined;
			if (!stored || start === undefined) return true; // Not in this text: cannot tell, so refuse.
			at = start + (anchor.clock - stored.id.clock);
		}
		lo = Math.min(lo, at);
		hi = Math.max(hi, at);
	}
	if (anchors.length === 1) hi = Infinity;
	for (let item = text._start; item !== null; item = item.right) {
		const start = positions.get(item) as number;
		if (item.deleted || !item.countable || start + item.length <= lo + 1 || start > hi) continue;
		for (const [from, to] of own.spans(item.id.client, item.id.clock, item.length)) {
			if (start + to > lo + 1 && start + from <= hi) return true;
		}
	}
	return false;
}

/** Every client id a (decoded) update creates items for, for binding to its sender. */
export function clientsCreatedBy(
	doc: Y.Doc,
	decoded: ReturnType<typeof Y.decodeUpdate>
): Set<number> {
	const clients = new Set<number>();
	for (const struct of decoded.structs) {
		if (struct instanceof Y.Skip) continue;
		if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) {
			clients.add(struct.id.client);
		}
	}
	return clients;
}
