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

/** The item holding `id` in the document, or null if the document does not have it yet. */
function storedItem(doc: Y.Doc, id: Y.ID): Y.Item | null {
	if (id.clock >= Y.getState(doc.store, id.client)) return null;
	const struct = Y.getItem(doc.store, id) as Y.Item | Y.GC;
	return struct instanceof Y.Item ? struct : null;
}

export type Refusal = 'deletes-own-words' | 'changes-own-words';

/**
 * Would applying this (decoded) update, sent by someone other than the young person, change
 * their words? It would if it deletes any of their items (directly, or by deleting a block that
 * holds them), or adds or formats anything inside a text block holding their words. Adding new
 * blocks around their words is fine. Judged before the update is applied, against the document
 * as the server holds it; items the update itself creates are new, so never protected.
 */
export function refusalFor(
	doc: Y.Doc,
	decoded: ReturnType<typeof Y.decodeUpdate>,
	subject: ReadonlySet<number>
): Refusal | null {
	if (subject.size === 0) return null;
	for (const [client, ranges] of decoded.ds.clients) {
		if (!subject.has(client)) continue;
		const known = Y.getState(doc.store, client);
		for (const { clock, len } of ranges) {
			// Deleting words the server has not seen yet is refused too: they can only be theirs.
			if (clock + len > known) return 'deletes-own-words';
			const structs = doc.store.clients.get(client) ?? [];
			for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
				const struct = structs[i] as Y.Item | Y.GC;
				if (struct.id.clock >= clock + len) break;
				if (struct instanceof Y.Item && !struct.deleted) return 'deletes-own-words';
			}
		}
	}
	// Items created by this update, by id, to follow origins that point inside the update.
	const created = new Map<number, Y.Item[]>();
	for (const struct of decoded.structs) {
		if (!(struct instanceof Y.Item)) continue;
		if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue;
		const list = created.get(struct.id.client) ?? [];
		list.push(struct);
		created.set(struct.id.client, list);
	}
	const findCreated = (id: Y.ID): Y.Item | null =>
		created
			.get(id.client)
			?.find((s) => s.id.clock <= id.clock && id.clock < s.id.clock + s.length) ?? null;
	/** The existing type a new item goes into; null for top level or a type the update makes. */
	const targetOf = (item: Y.Item, depth = 0): YType | null => {
		if (depth > 1000) return null;
		const neighbour = item.origin ?? item.rightOrigin;
		if (neighbour) {
			const stored = storedItem(doc, neighbour);
			if (stored) return containerOf(stored);
			const sibling = findCreated(neighbour);
			return sibling ? targetOf(sibling, depth + 1) : null;
		}
		const parent = item.parent as unknown;
		if (parent instanceof Y.ID) {
			const stored = storedItem(doc, parent);
			return stored && stored.content instanceof Y.ContentType ? stored.content.type : null;
		}
		return null;
	};
	for (const items of created.values()) {
		for (const item of items) {
			const target = targetOf(item);
			if (!target) continue;
			if (holdsOwnWords(target, subject)) return 'changes-own-words';
			// A new piece of text inside a text block that holds their words changes that block.
			const block = target instanceof Y.XmlText ? containerOf(target._item as Y.Item) : null;
			if (block && holdsOwnWords(block, subject)) return 'changes-own-words';
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
