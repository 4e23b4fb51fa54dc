import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { redrawAfterLocalEdits } from './redraw-after-local-edits';
import { defaultDeleteFilter, defaultProtectedNodes, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { blockText, holdsOwnWords, INLINE_NODE, ownRangesInBlock, Ownership } from './own-words';
import { m } from '$lib/paraglide/messages.js';

/**
 * Shows the young person's own words in the editor (highlighted, and announced to screen
 * readers), and — for everyone else — stops edits that would change them before they are sent,
 * handing the attempt to `onBlocked` so it can become a suggestion. The collab server refuses
 * such edits anyway; this keeps people from losing their work to that refusal.
 */

/** A text block holding some of the young person's words, in document positions. */
export interface ProtectedBlock {
	/** The block itself: from just before it to just after it. */
	from: number;
	to: number;
	/** From the start of their first words in it to the end of their last. */
	ownFrom: number;
	ownTo: number;
	/** Each run of their words in it. */
	runs: Array<{ from: number; to: number }>;
}

export interface BlockedEdit {
	block: ProtectedBlock;
	/** Their words as they are. */
	original: string;
	/** The block's words as the attempted edit would have left them. */
	attempted: string;
}

export interface OwnWordsOptions {
	fragment: Y.XmlFragment | null;
	/** Which characters are theirs, as the server says (see own-words.ts). */
	ownWords: () => Ownership;
	/** True for everyone but the young person: their words cannot be changed directly. */
	protect: boolean;
	/** What screen readers hear before their words ("Sam's own words:", "Your own words:"). */
	label: string;
	onBlocked: (edit: BlockedEdit) => void;
}

interface OwnWordsState {
	decorations: DecorationSet;
	blocks: ProtectedBlock[];
}

export const ownWordsKey = new PluginKey<OwnWordsState>('ownWords');

/** Walks the ProseMirror document and the Yjs fragment side by side (they mirror each other). */
function compute(doc: PMNode, fragment: Y.XmlFragment, own: Ownership, label: string) {
	const decorations: Decoration[] = [];
	const blocks: ProtectedBlock[] = [];
	const walk = (node: PMNode, contentStart: number, type: Y.XmlFragment | Y.XmlElement) => {
		for (const [child, offset, yChild] of mirrored(node, type)) {
			const pos = contentStart + offset;
			if (child.isTextblock) {
				const ranges = ownRangesInBlock(yChild, own);
				if (ranges.length === 0) continue;
				const runs: Array<{ from: number; to: number }> = [];
				for (const range of ranges) {
					const from = pos + 1 + range.from;
					const to = Math.min(pos + 1 + range.to, pos + child.nodeSize - 1);
					if (to <= from) continue;
					runs.push({ from, to });
					decorations.push(Decoration.inline(from, to, { class: 'own-words' }));
					decorations.push(
						Decoration.widget(from, () => announcement(label), {
							side: -1,
							ignoreSelection: true,
							key: `own-words-${label}`
						})
					);
				}
				const first = ranges[0] as { from: number };
				const last = ranges[ranges.length - 1] as { to: number };
				blocks.push({
					from: pos,
					to: pos + child.nodeSize,
					ownFrom: pos + 1 + first.from,
					ownTo: pos + 1 + last.to,
					runs
				});
			} else {
				walk(child, pos + 1, yChild);
			}
		}
	};
	walk(doc, 0, fragment);
	return { decorations: DecorationSet.create(doc, decorations), blocks };
}

/**
 * Each child of `node` with the Yjs element it mirrors, and its offset. The two usually match one
 * for one, but can briefly not (a sync in flight), and ProseMirror can hold a node Yjs lacks (the
 * empty paragraph the editor keeps at the end): so children are paired in order where their kind
 * and, for a text block, their text agree, and the rest left undecorated rather than the whole
 * document. A text block is only ever drawn from a Yjs block with the very same text.
 */
function mirrored(
	node: PMNode,
	type: Y.XmlFragment | Y.XmlElement
): Array<[PMNode, number, Y.XmlElement]> {
	const children = type.toArray();
	const agree = (child: PMNode, yChild: unknown): yChild is Y.XmlElement =>
		yChild instanceof Y.XmlElement &&
		yChild.nodeName === child.type.name &&
		(!child.isTextblock ||
			child.textBetween(0, child.content.size, undefined, INLINE_NODE) === blockText(yChild));
	const pairs: Array<[PMNode, number, Y.XmlElement]> = [];
	let j = 0;
	node.forEach((child, offset) => {
		if (j >= children.length) return;
		// Yjs holding one block ProseMirror does not (yet): step over it.
		if (!agree(child, children[j]) && agree(child, children[j + 1])) j++;
		const yChild = children[j];
		if (agree(child, yChild)) {
			pairs.push([child, offset, yChild]);
			j++;
		}
	});
	return pairs;
}

function announcement(label: string): HTMLElement {
	const span = document.createElement('span');
	span.className = 'visually-hidden';
	span.textContent = `${label} `;
	return span;
}

/** The document range a step touches (every step kind Tiptap uses has from/to or pos). */
function stepRange(step: unknown): { from: number; to: number } | null {
	const s = step as { from?: unknown; to?: unknown; pos?: unknown };
	if (typeof s.from === 'number' && typeof s.to === 'number') return { from: s.from, to: s.to };
	if (typeof s.pos === 'number') return { from: s.pos, to: s.pos + 1 };
	return null;
}

/**
 * Pressing Enter at the very end of their words starts a new paragraph after them and changes
 * nothing in theirs: a split whose first half adds nothing to the block.
 */
function isSplitAtEnd(step: unknown, block: ProtectedBlock): boolean {
	const s = step as {
		from?: unknown;
		to?: unknown;
		slice?: { openStart: number; content: { firstChild: { content: { size: number } } | null } };
	};
	return (
		s.from === block.to - 1 &&
		s.to === block.to - 1 &&
		!!s.slice &&
		s.slice.openStart > 0 &&
		s.slice.content.firstChild?.content.size === 0
	);
}

/**
 * An edit of the words inside one block (typing, deleting, pasting plain text, formatting),
 * which the editor sends as just that: y-tiptap writes only the changed characters. Anything
 * else (Enter, joining blocks, list and heading changes) may delete and re-insert whole blocks.
 */
function isInline(step: unknown, doc: PMNode): boolean {
	const s = step as {
		from?: unknown;
		to?: unknown;
		mark?: unknown;
		gapFrom?: unknown;
		slice?: { openStart: number; openEnd: number };
	};
	if (typeof s.from !== 'number' || typeof s.to !== 'number' || s.gapFrom !== undefined) {
		return false;
	}
	if (s.from < 0 || s.to > doc.content.size) return false;
	const $from = doc.resolve(s.from);
	if (!$from.parent.isTextblock || !$from.sameParent(doc.resolve(s.to))) return false;
	if (s.mark !== undefined) return true;
	return !!s.slice && s.slice.openStart === 0 && s.slice.openEnd === 0;
}

/** Would this change of the block's words change theirs (delete, format or write inside them)? */
function changesTheirWords(range: { from: number; to: number }, block: ProtectedBlock): boolean {
	return block.runs.some(
		(run) =>
			(run.from < range.to && run.to > range.from) || (run.from < range.from && range.from < run.to)
	);
}

/** Does a change of [from, to] reach inside the block (its content, or its edges)? */
function touches(range: { from: number; to: number }, block: ProtectedBlock): boolean {
	if (range.from === range.to) return block.from < range.from && range.from < block.to;
	return range.from < block.to && range.to > block.from;
}

/** Their words as the attempted edit would have left them (only their span, not the block). */
function attemptedText(tr: Transaction, block: ProtectedBlock): string {
	const size = tr.doc.content.size;
	// Typing just before or after their words counts as changing them: include it.
	const from = Math.min(tr.mapping.map(block.ownFrom, -1), size);
	const to = Math.min(tr.mapping.map(block.ownTo, 1), size);
	return to > from ? tr.doc.textBetween(from, to, '\n') : '';
}

function mapBlock(b: ProtectedBlock, map: (pos: number, bias: number) => number): ProtectedBlock {
	return {
		from: map(b.from, 1),
		to: map(b.to, -1),
		ownFrom: map(b.ownFrom, 1),
		ownTo: map(b.ownTo, -1),
		runs: b.runs.map((r) => ({ from: map(r.from, 1), to: map(r.to, -1) }))
	};
}

export const OwnWords = Extension.create<OwnWordsOptions>({
	name: 'ownWords',

	addOptions() {
		return {
			fragment: null,
			ownWords: () => new Ownership(),
			protect: true,
			label: m.doc_own_words_label_theirs(),
			onBlocked: () => {}
		};
	},

	addProseMirrorPlugins() {
		const options = this.options;
		const label = options.label;
		const fresh = (state: EditorState): OwnWordsState =>
			options.fragment
				? compute(state.doc, options.fragment, options.ownWords(), label)
				: { decorations: DecorationSet.empty, blocks: [] };
		return [
			new Plugin<OwnWordsState>({
				key: ownWordsKey,
				state: {
					init: (_config, state) => fresh(state),
					apply(tr, value, _old, state) {
						// Redraw from Yjs when Yjs is the source (a remote change, the first sync) or on
						// request; otherwise move what is there along with the edit.
						if (tr.getMeta(ownWordsKey) || tr.getMeta(ySyncPluginKey)) return fresh(state);
						if (!tr.docChanged) return value;
						return {
							decorations: value.decorations.map(tr.mapping, tr.doc),
							blocks: value.blocks.map((b) => mapBlock(b, (pos, bias) => tr.mapping.map(pos, bias)))
						};
					}
				},
				props: {
					decorations: (state) => ownWordsKey.getState(state)?.decorations
				},
				filterTransaction(tr, state) {
					if (!options.protect || !tr.docChanged || tr.getMeta(ySyncPluginKey)) return true;
					const blocks = ownWordsKey.getState(state)?.blocks ?? [];
					for (const [i, step] of tr.steps.entries()) {
						const range = stepRange(step);
						if (!range) continue;
						// Each step's positions are in the document the steps before it made.
						const before = tr.mapping.slice(0, i);
						const doc = tr.docs[i] ?? tr.doc;
						const mapped = blocks.map((original) => ({
							original,
							b: mapBlock(original, (pos, bias) => before.map(pos, bias))
						}));
						let block: ProtectedBlock | undefined;
						if (isInline(step, doc)) {
							// Typing, deleting or formatting inside one block: judged by their runs.
							block = mapped.find(
								({ b }) => touches(range, b) && changesTheirWords(range, b)
							)?.original;
						} else {
							// Anything else may make y-tiptap rewrite every block under the same top-level
							// block (splitting a list rewrites its other items), so it counts as changing
							// every word there: except Enter at the end of a top-level paragraph, which
							// only adds one after it.
							const $from = doc.resolve(Math.min(range.from, doc.content.size));
							const $to = doc.resolve(Math.min(range.to, doc.content.size));
							const start = $from.depth > 0 ? $from.before(1) : range.from;
							const end = $to.depth > 0 ? $to.after(1) : range.to;
							const splitAtEnd = $from.depth === 1 && mapped.some(({ b }) => isSplitAtEnd(step, b));
							block = splitAtEnd
								? undefined
								: mapped.find(({ b }) => b.from < end && b.to > start)?.original;
						}
						if (block) {
							options.onBlocked({
								block,
								original: state.doc.textBetween(block.ownFrom, block.ownTo, '\n'),
								attempted: attemptedText(tr, block)
							});
							return false;
						}
					}
					return true;
				},
				view: redrawAfterLocalEdits(ownWordsKey)
			})
		];
	}
});

/** Asks the editor to redraw the marks (when the server names new clients as theirs). */
export function refreshOwnWords(view: { state: EditorState; dispatch: (tr: Transaction) => void }) {
	view.dispatch(view.state.tr.setMeta(ownWordsKey, true));
}

/**
 * The undo history for an editor (pass as Collaboration's `yUndoOptions.undoManager`). Undo
 * happens in Yjs, out of reach of `filterTransaction`, so for everyone but the young person it
 * must never delete their words: undoing an Enter after which they wrote in the new paragraph
 * would otherwise delete what they wrote there, and the server would refuse the whole undo.
 * Otherwise as y-tiptap's own (the same tracked origin, protected paragraphs, history meta).
 */
export function createUndoManager(
	fragment: Y.XmlFragment,
	ownWords: () => Ownership,
	protect: boolean
): Y.UndoManager {
	return new Y.UndoManager(fragment, {
		trackedOrigins: new Set([ySyncPluginKey]),
		captureTransaction: (tr) => tr.meta.get('addToHistory') !== false,
		deleteFilter: (item) =>
			defaultDeleteFilter(item, defaultProtectedNodes) &&
			!(protect && holdsTheirWords(item, ownWords()))
	});
}

function holdsTheirWords(item: Y.Item, own: Ownership): boolean {
	if (item.content instanceof Y.ContentType) return holdsOwnWords(item.content.type, own);
	return item.countable && own.anyOwn(item.id.client, item.id.clock, item.length);
}
