import { Extension, Node, mergeAttributes } from '@tiptap/core';
import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import {
	Plugin,
	PluginKey,
	Selection,
	TextSelection,
	type Command,
	type Transaction
} from '@tiptap/pm/state';
import {
	AddNodeMarkStep,
	AttrStep,
	RemoveNodeMarkStep,
	ReplaceAroundStep,
	ReplaceStep,
	type Step
} from '@tiptap/pm/transform';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { m } from '$lib/paraglide/messages.js';
import { localPromptWords } from './prompt-catalogue';
import { PROMPT_NODE } from './prompts';

/**
 * A template prompt in the editor: a section's heading and question, drawn from the prompt
 * catalogue, that nobody can split, edit or delete. It is one atom node (no text inside, not
 * editable, not selectable), and a transaction filter refuses any local change that would remove,
 * alter, move or add one; changes arriving from Yjs (everyone else's, already judged by the
 * server) always apply. The collab server refuses such changes too: this filter only spares
 * people the refusal.
 */

export const sectionPromptKey = new PluginKey('sectionPrompt');

function isPrompt(node: PMNode | null | undefined): boolean {
	return node?.type.name === PROMPT_NODE;
}

function rangeHasPrompt(doc: PMNode, from: number, to: number): boolean {
	let found = false;
	doc.nodesBetween(from, to, (node) => {
		if (isPrompt(node)) found = true;
		return !found;
	});
	return found;
}

function fragmentHasPrompt(fragment: Fragment): boolean {
	let found = false;
	fragment.descendants((node) => {
		if (isPrompt(node)) found = true;
		return !found;
	});
	return found;
}

/** Would this step, applied to `doc`, remove, change, move or add a prompt? */
export function stepChangesPrompt(step: Step, doc: PMNode): boolean {
	if (step instanceof ReplaceStep || step instanceof ReplaceAroundStep) {
		// Replacing a range that holds a prompt removes it (or moves it, which in Yjs is the same);
		// inserting one makes a prompt nobody's template asked for.
		return (
			(step.from < step.to && rangeHasPrompt(doc, step.from, step.to)) ||
			fragmentHasPrompt(step.slice.content)
		);
	}
	if (
		step instanceof AttrStep ||
		step instanceof AddNodeMarkStep ||
		step instanceof RemoveNodeMarkStep
	) {
		return isPrompt(doc.nodeAt(step.pos));
	}
	// Inline marks and document attributes never touch a prompt.
	return false;
}

/** Would this (local) transaction remove, change, move or add a prompt? */
export function changesPrompt(tr: Transaction): boolean {
	return tr.steps.some((step, i) => stepChangesPrompt(step, tr.docs[i] as PMNode));
}

/** How many prompts have nothing after them: the next prompt, or the end, comes straight after. */
function barePrompts(doc: PMNode): number {
	let bare = 0;
	doc.forEach((node, _offset, index) => {
		if (isPrompt(node) && (index === doc.childCount - 1 || isPrompt(doc.child(index + 1)))) bare++;
	});
	return bare;
}

/**
 * Would this transaction leave a prompt with no room to answer it (deleting the last paragraph
 * between it and the next prompt, as Delete in an empty paragraph does)? Nobody could then write
 * under that prompt by tapping it.
 */
export function leavesPromptBare(tr: Transaction): boolean {
	return barePrompts(tr.doc) > barePrompts(tr.before);
}

function withoutPrompts(fragment: Fragment): Fragment {
	const kept: PMNode[] = [];
	fragment.forEach((node) => {
		if (isPrompt(node)) return;
		kept.push(fragmentHasPrompt(node.content) ? node.copy(withoutPrompts(node.content)) : node);
	});
	return Fragment.from(kept);
}

/** A pasted or dropped slice without prompts: copying a section copies what was written in it. */
export function pastedWithoutPrompts(slice: Slice): Slice {
	if (!fragmentHasPrompt(slice.content)) return slice;
	const content = withoutPrompts(slice.content);
	// Its edges may have been prompts: open it afresh as far as its own content allows.
	return content.size === 0 ? Slice.empty : Slice.maxOpen(content);
}

/**
 * The editor's guard: refuses local transactions that would remove, change, move or add a
 * prompt, strips prompts from pasted content, and takes a click on a prompt to its answer.
 */
export function sectionPromptPlugin(): Plugin {
	return new Plugin({
		key: sectionPromptKey,
		filterTransaction(tr) {
			if (!tr.docChanged || tr.getMeta(ySyncPluginKey)) return true;
			return !changesPrompt(tr) && !leavesPromptBare(tr);
		},
		props: {
			transformPasted: (slice) => pastedWithoutPrompts(slice),
			handleDOMEvents: {
				// Pressing on a prompt puts the caret where its answer is written, just after it. The
				// browser's own caret placement is stopped: next to a non-editable block it lands
				// anywhere nearby (inside the next words, even), and Enter or Backspace would act there.
				mousedown(view, event) {
					if (!view.editable || event.button !== 0) return false;
					const target = event.target instanceof Element ? event.target : null;
					const dom = target?.closest('.section-prompt');
					if (!dom || !view.dom.contains(dom)) return false;
					const near = view.posAtDOM(dom, 0);
					const at = [near, near - 1].find((p) => p >= 0 && view.nodeDOM(p) === dom);
					if (at === undefined) return false;
					event.preventDefault();
					const node = view.state.doc.nodeAt(at);
					const selection = Selection.findFrom(
						view.state.doc.resolve(at + (node?.nodeSize ?? 1)),
						1,
						true
					);
					view.focus();
					if (selection instanceof TextSelection) {
						view.dispatch(view.state.tr.setSelection(selection).scrollIntoView());
					}
					return true;
				}
			}
		}
	});
}

/**
 * Enter with the caret just after a prompt (at the start of what is written under it, where a
 * click on the prompt puts it) opens a new empty paragraph right after the prompt and moves there:
 * the natural way to start an answer. Anywhere else Enter is Enter.
 */
export const enterAfterPrompt: Command = (state, dispatch) => {
	const { $from, empty } = state.selection;
	if (!empty || !$from.parent.isTextblock || $from.parentOffset !== 0) return false;
	// An empty paragraph is already the new line: Enter there works as ever.
	if ($from.parent.content.size === 0 || $from.depth < 1) return false;
	const before = $from.node($from.depth - 1).maybeChild($from.index($from.depth - 1) - 1);
	if (!isPrompt(before)) return false;
	const paragraph = state.schema.nodes.paragraph;
	if (!paragraph) return false;
	if (dispatch) {
		const at = $from.before();
		const tr = state.tr.insert(at, paragraph.create());
		dispatch(tr.setSelection(TextSelection.create(tr.doc, at + 1)).scrollIntoView());
	}
	return true;
};

/** Runs before the editor's own Enter (which would split the answer, not start a new one). */
const SectionPromptKeys = Extension.create({
	name: 'sectionPromptKeys',
	priority: 1001,
	addKeyboardShortcuts() {
		return { Enter: ({ editor }) => enterAfterPrompt(editor.state, editor.view.dispatch) };
	}
});

export const SectionPrompt = Node.create({
	name: PROMPT_NODE,
	group: 'block',
	atom: true,
	selectable: false,
	draggable: false,

	addAttributes() {
		// Defaults are null, never a value: y-tiptap writes any attribute a node has that its Yjs
		// element lacks back to Yjs, which would change the prompt (and the server refuses that).
		return {
			promptId: {
				default: null,
				parseHTML: (element) => element.getAttribute('data-prompt-id'),
				renderHTML: (attributes) => ({ 'data-prompt-id': attributes.promptId })
			},
			heading: {
				default: null,
				parseHTML: (element) => element.querySelector('h2')?.textContent ?? null,
				rendered: false
			},
			prompt: {
				default: null,
				parseHTML: (element) => element.querySelector('.prompt-text')?.textContent ?? null,
				rendered: false
			}
		};
	},

	parseHTML() {
		return [{ tag: 'div[data-prompt-id]', priority: 100 }];
	},

	renderHTML({ node, HTMLAttributes }) {
		// In the page's language, by id: the same document reads in English and Welsh.
		const words = localPromptWords(node.attrs);
		return [
			'div',
			mergeAttributes(HTMLAttributes, { class: 'section-prompt', contenteditable: 'false' }),
			['h2', words.heading],
			[
				'p',
				{ class: 'prompt' },
				['span', { class: 'visually-hidden' }, `${m.doc_prompt_label()} `],
				['span', { class: 'prompt-text' }, words.prompt]
			]
		];
	},

	addExtensions() {
		return [SectionPromptKeys];
	},

	addProseMirrorPlugins() {
		return [sectionPromptPlugin()];
	}
});
