import { getSchema } from '@tiptap/core';
import { deleteSelection, joinBackward, joinForward, splitBlock } from '@tiptap/pm/commands';
import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import { EditorState, TextSelection, type Command } from '@tiptap/pm/state';
import { wrapInList } from '@tiptap/pm/schema-list';
import StarterKit from '@tiptap/starter-kit';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import { PROMPTS, PROMPT_NODE } from './prompts';
import {
	SectionPrompt,
	enterAfterPrompt,
	pastedWithoutPrompts,
	sectionPromptPlugin
} from './section-prompt-extension';

const schema = getSchema([StarterKit, SectionPrompt]);

function prompt(id: keyof typeof PROMPTS): PMNode {
	return schema.node(PROMPT_NODE, { promptId: id, ...PROMPTS[id] });
}

function paragraph(text = ''): PMNode {
	return schema.node('paragraph', null, text ? [schema.text(text)] : []);
}

/**
 * A care plan as the editor holds it: prompt, Priya's answer, prompt, Sam's answer, prompt and
 * an empty paragraph. Positions: prompts are one position each.
 */
function plan(): EditorState {
	const doc = schema.node('doc', null, [
		prompt('care_plan.about_me'), // at 0
		paragraph('Sam likes football.'), // at 1, its text 2 to 21
		prompt('care_plan.wishes_and_feelings'), // at 22
		paragraph('I want to live with my nan'), // at 23, its text 24 to 50
		prompt('care_plan.where_i_live'), // at 51
		paragraph() // at 52, its inside 53
	]);
	return EditorState.create({ doc, plugins: [sectionPromptPlugin()] });
}

function at(state: EditorState, pos: number, to = pos): EditorState {
	return state.apply(state.tr.setSelection(TextSelection.create(state.doc, pos, to)));
}

/** Runs a command as a key press would; returns the state after (unchanged if refused). */
function run(state: EditorState, command: Command): EditorState {
	let next = state;
	command(state, (tr) => {
		next = state.apply(tr);
	});
	return next;
}

function prompts(state: EditorState): string[] {
	const ids: string[] = [];
	state.doc.forEach((node) => {
		if (node.type.name === PROMPT_NODE) ids.push(String(node.attrs.promptId));
	});
	return ids;
}

const ALL = ['care_plan.about_me', 'care_plan.wishes_and_feelings', 'care_plan.where_i_live'];

describe('a template prompt in the editor', () => {
	it('starts as the plan says: three prompts, each an atom nobody can select', () => {
		const state = plan();
		expect(prompts(state)).toEqual(ALL);
		expect(state.doc.child(2).isAtom).toBe(true);
		expect(state.doc.child(2).type.spec.selectable).toBe(false);
	});

	it('Backspace at the start of the answer after a prompt does not merge into it or delete it', () => {
		const state = at(plan(), 24);
		const after = run(state, joinBackward);
		expect(after.doc.eq(state.doc)).toBe(true);
	});

	it('Backspace in an empty paragraph after a prompt does not delete the prompt', () => {
		const state = at(plan(), 53);
		const after = run(state, joinBackward);
		expect(prompts(after)).toEqual(ALL);
		expect(after.doc.eq(state.doc)).toBe(true);
	});

	it('Delete at the end of an answer does not pull the next prompt into it', () => {
		const state = at(plan(), 50);
		const after = run(state, joinForward);
		expect(after.doc.eq(state.doc)).toBe(true);
	});

	it('the last paragraph under a prompt stays (Delete in it would leave nowhere to answer)', () => {
		// Two prompts with one empty paragraph between them: Delete there removes that paragraph.
		const doc = schema.node('doc', null, [
			prompt('care_plan.about_me'),
			paragraph(),
			prompt('care_plan.wishes_and_feelings'),
			paragraph(),
			paragraph()
		]);
		const state = EditorState.create({ doc, plugins: [sectionPromptPlugin()] });
		expect(state.apply(state.tr.delete(1, 3)).doc.eq(doc)).toBe(true);
		// A second paragraph under a prompt can go; so can text, leaving the paragraph empty.
		expect(state.apply(state.tr.delete(6, 8)).doc.childCount).toBe(4);
		const written = plan();
		expect(written.apply(written.tr.delete(2, 21)).doc.child(1).content.size).toBe(0);
	});

	it('deleting words chosen across a prompt is refused as a whole', () => {
		const state = at(plan(), 10, 30);
		const after = run(state, deleteSelection);
		expect(after.doc.eq(state.doc)).toBe(true);
	});

	it('a prompt’s attributes cannot be changed, nor a new prompt added', () => {
		const state = plan();
		const changed = state.apply(state.tr.setNodeAttribute(22, 'prompt', 'Who do you hate?'));
		expect(changed.doc.eq(state.doc)).toBe(true);
		const added = state.apply(state.tr.insert(52, prompt('care_plan.health')));
		expect(prompts(added)).toEqual(ALL);
	});

	it('a prompt cannot be wrapped into a list with the words around it', () => {
		const state = at(plan(), 10, 30);
		const after = run(state, wrapInList(schema.nodes.bulletList!));
		expect(after.doc.eq(state.doc)).toBe(true);
	});

	it('Enter in the middle of an answer, and writing next to a prompt, work as ever', () => {
		const split = run(at(plan(), 30), splitBlock);
		expect(split.doc.childCount).toBe(7);
		expect(prompts(split)).toEqual(ALL);
		const typed = at(plan(), 24);
		const written = typed.apply(typed.tr.insertText('Hello. '));
		expect(written.doc.child(3).textContent).toBe('Hello. I want to live with my nan');
		expect(prompts(written)).toEqual(ALL);
	});

	it('Enter just after a prompt starts a new answer right after it, and leaves the one there alone', () => {
		const after = run(at(plan(), 24), enterAfterPrompt);
		expect(after.doc.child(3).type.name).toBe('paragraph');
		expect(after.doc.child(3).content.size).toBe(0);
		expect(after.doc.child(4).textContent).toBe('I want to live with my nan');
		expect(after.selection.from).toBe(24);
		expect(prompts(after)).toEqual(ALL);
		// Elsewhere it is not this Enter: in the middle of words, in an empty paragraph, or at the
		// start of a paragraph that does not follow a prompt (the one just pushed down).
		expect(enterAfterPrompt(at(plan(), 30), undefined)).toBe(false);
		expect(enterAfterPrompt(at(plan(), 53), undefined)).toBe(false);
		expect(enterAfterPrompt(at(after, 26), undefined)).toBe(false);
	});

	it('lets changes from Yjs through: the server has already judged them', () => {
		const state = plan();
		const remote = state.apply(state.tr.delete(22, 23).setMeta(ySyncPluginKey, {}));
		expect(prompts(remote)).toEqual(['care_plan.about_me', 'care_plan.where_i_live']);
	});

	it('pastes what was written in a section without its prompt', () => {
		const copied = new Slice(
			Fragment.from([prompt('care_plan.about_me'), paragraph('Sam likes football.')]),
			0,
			1
		);
		const pasted = pastedWithoutPrompts(copied);
		expect(pasted.content.childCount).toBe(1);
		expect(pasted.content.firstChild?.textContent).toBe('Sam likes football.');
		const state = at(plan(), 53);
		const after = state.apply(state.tr.replaceSelection(pasted));
		expect(prompts(after)).toEqual(ALL);
		expect(after.doc.lastChild?.textContent).toBe('Sam likes football.');
		// A slice without prompts is pasted as it is.
		const plain = new Slice(Fragment.from(paragraph('x')), 1, 1);
		expect(pastedWithoutPrompts(plain)).toBe(plain);
	});
});
