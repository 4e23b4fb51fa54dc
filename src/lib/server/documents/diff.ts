import * as Y from 'yjs';
import { Ownership } from '../../collab/own-words';
import { localPromptWords } from '../../collab/prompt-catalogue';
import { PROMPT_NODE } from '../../collab/prompts';
import { CONTENT_FIELD } from './render-html';

/**
 * A readable comparison of two versions of a document, block by block (a heading, a paragraph,
 * a list item). People compare versions before a review to see what changed since the last
 * agreed plan; a block that changed shows as the old one removed and the new one added, each
 * labelled in words so the difference never depends on colour.
 */
export type BlockKind = 'heading' | 'prompt' | 'paragraph' | 'list item' | 'quote' | 'code';

export interface Block {
	kind: BlockKind;
	text: string;
	/** Holds some of the young person's own words (the comparison says so, in words). */
	ownWords: boolean;
	/** Where in `text` their words are, run by run (only when `ownWords`). */
	ownRuns?: Array<{ from: number; to: number }>;
}

export type DiffEntry =
	| { change: 'same'; block: Block }
	| { change: 'added'; block: Block }
	| { change: 'removed'; block: Block };

/** Above this many cells (blocks × blocks) the middle is compared as a whole, not line by line. */
const MAX_CELLS = 4_000_000;

interface DeltaOp {
	insert?: unknown;
}

function deltaText(text: Y.XmlText): string {
	return (text.toDelta() as DeltaOp[])
		.map((op) => (typeof op.insert === 'string' ? op.insert : ''))
		.join('');
}

function textOf(node: Y.XmlElement): string {
	return node
		.toArray()
		.map((child) => {
			if (child instanceof Y.XmlText) return deltaText(child);
			if (child instanceof Y.XmlElement) {
				return child.nodeName === 'hardBreak' ? '\n' : textOf(child);
			}
			return '';
		})
		.join('');
}

/**
 * The runs of their characters in a node's text, as offsets into the text `textOf` (or
 * `deltaText`) gives: read item by item, since words someone moved keep their writer.
 */
function ownRunsOf(
	node: Y.XmlElement | Y.XmlText,
	own: Ownership
): Array<{ from: number; to: number }> {
	const runs: Array<{ from: number; to: number }> = [];
	let offset = 0;
	const push = (from: number, to: number) => {
		const last = runs[runs.length - 1];
		if (last && last.to === from) last.to = to;
		else runs.push({ from, to });
	};
	const walk = (type: Y.XmlElement | Y.XmlText) => {
		if (type instanceof Y.XmlText) {
			for (let item = type._start; item !== null; item = item.right) {
				if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
				for (const [from, to] of own.spans(item.id.client, item.id.clock, item.length)) {
					push(offset + from, offset + to);
				}
				offset += item.length;
			}
			return;
		}
		for (const child of type.toArray()) {
			if (child instanceof Y.XmlText) walk(child);
			else if (child instanceof Y.XmlElement) {
				if (child.nodeName === 'hardBreak') {
					const item = child._item;
					if (item && own.at(item.id.client, item.id.clock).own) push(offset, offset + 1);
					offset += 1;
				} else {
					walk(child);
				}
			}
		}
	};
	walk(node);
	return runs;
}

function blockOf(
	kind: BlockKind,
	text: string,
	node: Y.XmlElement | Y.XmlText,
	own: Ownership
): Block {
	const runs = own.empty ? [] : ownRunsOf(node, own);
	return runs.length > 0
		? { kind, text, ownWords: true, ownRuns: runs }
		: { kind, text, ownWords: false };
}

function collect(
	node: Y.XmlElement | Y.XmlText | Y.XmlHook,
	context: BlockKind,
	own: Ownership,
	out: Block[]
) {
	if (!(node instanceof Y.XmlElement)) {
		if (node instanceof Y.XmlText && node.length > 0) {
			out.push(blockOf(context, deltaText(node), node, own));
		}
		return;
	}
	const name = node.nodeName;
	const block = (kind: BlockKind) => out.push(blockOf(kind, textOf(node), node, own));
	if (name === PROMPT_NODE) {
		// A template prompt: its heading and its question, never anyone's own words.
		const words = localPromptWords(node.getAttributes());
		out.push({ kind: 'heading', text: words.heading, ownWords: false });
		out.push({ kind: 'prompt', text: words.prompt, ownWords: false });
	} else if (name === 'heading') block('heading');
	else if (name === 'paragraph') block(context);
	else if (name === 'codeBlock') block('code');
	else if (name === 'horizontalRule') return;
	else {
		const inner: BlockKind =
			name === 'listItem' ? 'list item' : name === 'blockquote' ? 'quote' : context;
		for (const child of node.toArray()) collect(child, inner, own, out);
	}
}

/**
 * The blocks of a document's content, in reading order, each saying whether it holds the young
 * person's own words (`own`: which characters are theirs). Empty paragraphs are left out.
 */
export function blocksOf(doc: Y.Doc, own: Ownership = new Ownership()): Block[] {
	const out: Block[] = [];
	for (const node of doc.getXmlFragment(CONTENT_FIELD).toArray()) {
		collect(node, 'paragraph', own, out);
	}
	return out.filter((b) => b.text.trim() !== '');
}

function key(block: Block): string {
	return `${block.kind}\u0000${block.text}`;
}

/** xs[i], for indexes the loops below have already checked. */
function at<T>(xs: ArrayLike<T>, i: number): T {
	const x = xs[i];
	if (x === undefined) throw new RangeError(`diff: index ${i} is out of range`);
	return x;
}

/**
 * Block-by-block differences from `from` to `to` (a longest common subsequence), in reading
 * order: removed blocks come just before what replaced them.
 */
export function diffBlocks(from: readonly Block[], to: readonly Block[]): DiffEntry[] {
	const fromKeys = from.map(key);
	const toKeys = to.map(key);
	let start = 0;
	while (start < from.length && start < to.length && fromKeys[start] === toKeys[start]) start++;
	let endFrom = from.length;
	let endTo = to.length;
	while (endFrom > start && endTo > start && fromKeys[endFrom - 1] === toKeys[endTo - 1]) {
		endFrom--;
		endTo--;
	}
	const head: DiffEntry[] = from.slice(0, start).map((block) => ({ change: 'same', block }));
	const tail: DiffEntry[] = from.slice(endFrom).map((block) => ({ change: 'same', block }));
	const a = from.slice(start, endFrom);
	const b = to.slice(start, endTo);
	const aKeys = fromKeys.slice(start, endFrom);
	const bKeys = toKeys.slice(start, endTo);
	const middle: DiffEntry[] = [];
	if ((a.length + 1) * (b.length + 1) > MAX_CELLS) {
		for (const block of a) middle.push({ change: 'removed', block });
		for (const block of b) middle.push({ change: 'added', block });
		return [...head, ...middle, ...tail];
	}
	// lcs[i * width + j]: length of the longest common subsequence of a[i..] and b[j..].
	const width = b.length + 1;
	const lcs = new Uint32Array((a.length + 1) * width);
	const cell = (i: number, j: number) => at(lcs, i * width + j);
	for (let i = a.length - 1; i >= 0; i--) {
		for (let j = b.length - 1; j >= 0; j--) {
			lcs[i * width + j] =
				aKeys[i] === bKeys[j] ? cell(i + 1, j + 1) + 1 : Math.max(cell(i + 1, j), cell(i, j + 1));
		}
	}
	let i = 0;
	let j = 0;
	while (i < a.length || j < b.length) {
		if (i < a.length && j < b.length && aKeys[i] === bKeys[j]) {
			middle.push({ change: 'same', block: at(a, i) });
			i++;
			j++;
		} else if (j >= b.length || (i < a.length && cell(i + 1, j) >= cell(i, j + 1))) {
			middle.push({ change: 'removed', block: at(a, i) });
			i++;
		} else {
			middle.push({ change: 'added', block: at(b, j) });
			j++;
		}
	}
	return [...head, ...middle, ...tail];
}

/** How many blocks were added and removed: the one-line summary above a comparison. */
export function diffSummary(entries: readonly DiffEntry[]): { added: number; removed: number } {
	return {
		added: entries.filter((e) => e.change === 'added').length,
		removed: entries.filter((e) => e.change === 'removed').length
	};
}
