import * as Y from 'yjs';

/**
 * "In my own words": which parts of a document the young person wrote, read from the Yjs items
 * themselves. Each item carries the client id of the editor that created it; the collab server
 * binds client ids to people (public.document_writers), so "own words" means "created by a client
 * bound to the young person". Shared by the server (rendering, refusing rewrites) and the browser
 * (highlighting, turning rewrites into suggestions), so both draw the same lines. Plain
 * TypeScript only: the collab server imports it with Node's type stripping.
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

/**
 * The young person's runs inside a text block, as offsets into the block's content the way
 * ProseMirror counts them (each character 1, each inline node such as a line break 1).
 */
export function ownRangesInBlock(block: Y.XmlElement, subject: ReadonlySet<number>): OwnRange[] {
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
				if (subject.has(item.id.client)) push(offset, offset + item.length);
				offset += item.length;
			}
		} else {
			// An inline node (hard break): one position, the young person's if they made it.
			if (subject.has(child.id.client)) push(offset, offset + 1);
			offset += 1;
		}
	}
	return ranges;
}

/** Does this type (a text, or a text block) hold any of the young person's words? */
export function holdsOwnWords(type: YType, subject: ReadonlySet<number>): boolean {
	if (subject.size === 0) return false;
	if (type instanceof Y.XmlText) {
		return itemsOf(type).some(
			(item) => !item.deleted && item.countable && subject.has(item.id.client)
		);
	}
	if (type instanceof Y.XmlElement && TEXT_BLOCKS.has(type.nodeName)) {
		return ownRangesInBlock(type, subject).length > 0;
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

export type Refusal = 'deletes-own-words' | 'changes-own-words' | 'unknown-reference';

/** Where a new item goes: an existing type, top level, a type the update itself makes, or unknown. */
type Target = YType | 'top' | 'new' | 'dropped' | 'unknown';

/**
 * Would applying this (decoded) update, sent by someone other than the young person, change
 * their words? It would if it deletes any of their items, or anything that holds them (a
 * paragraph or text someone else made that they wrote in), or deletes, adds or formats anything
 * inside a text block holding their words. Adding new blocks around their words is fine.
 *
 * Judged before the update is applied, against the document as the server holds it. An update
 * that refers to anything the server does not have yet (which Yjs would keep waiting, to land
 * later, perhaps inside words the young person has not typed yet) is refused outright, as is
 * deleting anything the server has not seen: an honest editor only refers to what it got from
 * the server. Work is linear in the size of the update and of the types it touches.
 */
export function refusalFor(
	doc: Y.Doc,
	decoded: ReturnType<typeof Y.decodeUpdate>,
	subject: ReadonlySet<number>
): Refusal | null {
	if (subject.size === 0) return null;
	const direct = new Map<YType, boolean>();
	const holdsDirect = (type: YType) => {
		let found = direct.get(type);
		if (found === undefined) {
			found = holdsOwnWords(type, subject);
			direct.set(type, found);
		}
		return found;
	};
	/** A text block holding their words, or a text inside one: nobody else changes it. */
	const isProtected = (type: YType): boolean => {
		if (holdsDirect(type)) return true;
		if (!(type instanceof Y.XmlText)) return false;
		const block = type._item ? containerOf(type._item) : null;
		return block !== null && holdsDirect(block);
	};
	const deep = new Map<YType, boolean>();
	/** Does anything inside this type, at any depth, hold their words? */
	const containsOwnWords = (type: YType): boolean => {
		const known = deep.get(type);
		if (known !== undefined) return known;
		deep.set(type, false);
		let found = false;
		for (let item = type._start; item !== null && !found; item = item.right) {
			if (item.deleted) continue;
			if (item.countable && subject.has(item.id.client)) found = true;
			else if (item.content instanceof Y.ContentType) found = containsOwnWords(item.content.type);
		}
		deep.set(type, found);
		return found;
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
		const known = Y.getState(doc.store, client);
		// Deleting items this update itself creates is fine (typed, then rubbed out, offline).
		const last = created.get(client)?.at(-1);
		const end = Math.max(known, last ? last.id.clock + last.length : 0);
		const structs = doc.store.clients.get(client) ?? [];
		for (const { clock, len } of ranges) {
			if (clock + len > end) return 'deletes-own-words';
			if (clock >= known) continue;
			for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
				const struct = structs[i] as Y.Item | Y.GC;
				if (struct.id.clock >= clock + len) break;
				if (!(struct instanceof Y.Item) || struct.deleted) continue;
				if (subject.has(client)) return 'deletes-own-words';
				if (struct.content instanceof Y.ContentType && containsOwnWords(struct.content.type)) {
					return 'deletes-own-words';
				}
				const container = containerOf(struct);
				if (container && isProtected(container)) return 'changes-own-words';
			}
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
	for (const items of created.values()) {
		for (const item of items) {
			const target = targetOf(item);
			if (target === 'unknown') return 'unknown-reference';
			if (typeof target === 'object' && isProtected(target)) return 'changes-own-words';
		}
	}
	return null;
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
