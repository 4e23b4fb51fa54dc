import type { Editor } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { TextSelection } from '@tiptap/pm/state';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { Ownership } from '../../src/lib/collab/own-words.ts';

/**
 * The random steps of the own-words property test (own-words-property.test.ts): what a writer
 * does to their editor, as a person would (typing, Enter, Backspace at a block's start, deleting,
 * pasting, undo, redo, list and heading toggles), each drawn from a seeded random source.
 * Sam only ever types a–m and Priya only n–z, so each character says who wrote it.
 */

export const SAM_LETTERS = 'abcdefghijklm';
export const PRIYA_LETTERS = 'nopqrstuvwxyz';
export const isSams = (ch: string) => SAM_LETTERS.includes(ch);

export interface Writer {
	name: 'Sam' | 'Priya';
	letters: string;
	doc: Y.Doc;
	provider: WebsocketProvider;
	editor: Editor;
	ownership: Ownership;
	/** Update-bearing messages sent on the current socket, and how many the server saved. */
	sent: number;
	saved: number;
	closes: Array<{ code: number; reason: string }>;
	blocked: number;
}

/** The textblocks of a document: where their content starts and ends. */
function textblocks(doc: PMNode): Array<{ start: number; end: number }> {
	const out: Array<{ start: number; end: number }> = [];
	doc.descendants((node, pos) => {
		if (node.isTextblock) {
			out.push({ start: pos + 1, end: pos + 1 + node.content.size });
			return false;
		}
		return true;
	});
	return out;
}

type Step = (writer: Writer, random: () => number) => string;

function pick<T>(items: readonly T[], random: () => number): T {
	return items[Math.floor(random() * items.length)] as T;
}

function lettersOf(writer: Writer, random: () => number, max: number): string {
	const n = 1 + Math.floor(random() * max);
	let text = '';
	for (let i = 0; i < n; i++) text += pick([...writer.letters], random);
	return text;
}

/** Puts the caret somewhere in a textblock (`where`: anywhere, its start or its end). */
function caret(
	writer: Writer,
	random: () => number,
	where: 'any' | 'start' = 'any'
): { start: number; end: number; pos: number } {
	const { state, view } = writer.editor;
	const block = pick(textblocks(state.doc), random);
	const pos =
		where === 'start'
			? block.start
			: block.start + Math.floor(random() * (block.end - block.start + 1));
	view.dispatch(state.tr.setSelection(TextSelection.create(state.doc, pos)));
	return { ...block, pos };
}

const STEPS_BY_WEIGHT: Array<[number, string, Step]> = [
	[
		6,
		'type',
		(w, r) => {
			const { pos } = caret(w, r);
			const text = lettersOf(w, r, 4);
			w.editor.view.dispatch(w.editor.state.tr.insertText(text));
			return `type "${text}" at ${pos}`;
		}
	],
	[
		3,
		'enter',
		(w, r) => {
			const { pos } = caret(w, r);
			w.editor.commands.keyboardShortcut('Enter');
			return `Enter at ${pos}`;
		}
	],
	[
		3,
		'backspace at a block start',
		(w, r) => {
			const { pos } = caret(w, r, 'start');
			w.editor.commands.keyboardShortcut('Backspace');
			return `Backspace at block start ${pos}`;
		}
	],
	[
		2,
		'delete',
		(w, r) => {
			const { start, end } = caret(w, r);
			if (end === start) return 'delete (empty block)';
			const from = start + Math.floor(r() * (end - start));
			const to = Math.min(end, from + 1 + Math.floor(r() * 3));
			w.editor.commands.deleteRange({ from, to });
			return `delete ${from}–${to}`;
		}
	],
	[
		2,
		'paste',
		(w, r) => {
			const { pos } = caret(w, r);
			const one = lettersOf(w, r, 5);
			const two = lettersOf(w, r, 5);
			const twoBlocks = r() < 0.5;
			w.editor.view.pasteHTML(twoBlocks ? `<p>${one}</p><p>${two}</p>` : one);
			return `paste "${twoBlocks ? `${one}¶${two}` : one}" at ${pos}`;
		}
	],
	[
		2,
		'undo',
		(w) => {
			w.editor.commands.undo();
			return 'undo';
		}
	],
	[
		1,
		'redo',
		(w) => {
			w.editor.commands.redo();
			return 'redo';
		}
	],
	[
		1,
		'bullet list',
		(w, r) => {
			const { pos } = caret(w, r);
			w.editor.commands.toggleBulletList();
			return `toggle bullet list at ${pos}`;
		}
	],
	[
		1,
		'heading',
		(w, r) => {
			const { pos } = caret(w, r);
			w.editor.commands.toggleHeading({ level: 2 });
			return `toggle heading at ${pos}`;
		}
	]
];
const TOTAL_WEIGHT = STEPS_BY_WEIGHT.reduce((sum, [weight]) => sum + weight, 0);

export function chooseStep(random: () => number): [string, Step] {
	let roll = random() * TOTAL_WEIGHT;
	for (const [weight, name, step] of STEPS_BY_WEIGHT) {
		roll -= weight;
		if (roll < 0) return [name, step];
	}
	const [, name, step] = STEPS_BY_WEIGHT[0] as [number, string, Step];
	return [name, step];
}
