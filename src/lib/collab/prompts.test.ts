import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PROMPT_REFUSED } from './protocol';
import {
	PROMPTS,
	PROMPT_NODE,
	isPromptType,
	promptElement,
	promptRefusal,
	promptWords
} from './prompts';
import { buildTemplate } from './templates';

const FIELD = 'default';

/** The server's copy of a new care plan, and an editor that has synced it. */
function setUp() {
	const server = new Y.Doc();
	buildTemplate(server, 'care_plan');
	const editor = new Y.Doc();
	Y.applyUpdate(editor, Y.encodeStateAsUpdate(server));
	return { server, editor, fragment: editor.getXmlFragment(FIELD) };
}

/** What the server would decide about the editor's next change (sent as y-websocket sends it). */
function judge(server: Y.Doc, editor: Y.Doc, change: () => void) {
	let update: Uint8Array = new Uint8Array();
	const capture = (u: Uint8Array) => (update = u);
	editor.on('update', capture);
	editor.transact(change);
	editor.off('update', capture);
	return { refusal: promptRefusal(server, Y.decodeUpdate(update)), update };
}

function promptAt(fragment: Y.XmlFragment, index: number): Y.XmlElement {
	const node = fragment.get(index);
	if (!isPromptType(node)) throw new Error(`no prompt at ${index}`);
	return node;
}

describe('the collab server’s rule for template prompts', () => {
	it('lets people write, add and remove paragraphs around prompts', () => {
		const { server, editor, fragment } = setUp();
		const answer = fragment.get(3) as Y.XmlElement;
		const first = judge(server, editor, () => answer.insert(0, [new Y.XmlText('I want a dog')]));
		expect(first.refusal).toBeNull();
		Y.applyUpdate(server, first.update);
		const text = answer.get(0) as Y.XmlText;
		const typed = judge(server, editor, () => {
			text.insert(12, ' and a cat');
			text.format(0, 6, { bold: {} });
			fragment.insert(4, [new Y.XmlElement('paragraph')]);
			fragment.delete(1, 1);
		});
		expect(typed.refusal).toBeNull();
	});

	it('refuses deleting a prompt, alone or with what is around it', () => {
		const { server, editor, fragment } = setUp();
		expect(judge(server, editor, () => fragment.delete(2, 1)).refusal).toBe('changes-prompt');
		const again = setUp();
		expect(judge(again.server, again.editor, () => again.fragment.delete(1, 3)).refusal).toBe(
			'changes-prompt'
		);
	});

	it('refuses changing, adding or removing a prompt’s attributes', () => {
		for (const change of [
			(p: Y.XmlElement) => p.setAttribute('prompt', 'Why are you so difficult?'),
			(p: Y.XmlElement) => p.setAttribute('promptId', 'care_plan.health'),
			(p: Y.XmlElement) => p.setAttribute('ychange', 'x'),
			(p: Y.XmlElement) => p.removeAttribute('heading')
		]) {
			const { server, editor, fragment } = setUp();
			expect(judge(server, editor, () => change(promptAt(fragment, 2))).refusal).toBe(
				'changes-prompt'
			);
		}
	});

	it('refuses putting anything inside a prompt', () => {
		const { server, editor, fragment } = setUp();
		const refusal = judge(server, editor, () =>
			promptAt(fragment, 2).insert(0, [new Y.XmlText('my words in the question')])
		).refusal;
		expect(refusal).toBe('changes-prompt');
	});

	it('refuses a new prompt from an editor, even one tucked inside a new block', () => {
		const { server, editor, fragment } = setUp();
		expect(
			judge(server, editor, () => fragment.insert(4, [promptElement('care_plan.health')])).refusal
		).toBe('changes-prompt');
		const quote = new Y.XmlElement('blockquote');
		quote.insert(0, [new Y.XmlElement(PROMPT_NODE)]);
		expect(judge(server, editor, () => fragment.insert(4, [quote])).refusal).toBe('changes-prompt');
	});

	it('lets through a change it cannot place yet, and refuses it when its first part arrives', () => {
		const { server, editor, fragment } = setUp();
		const prompt = promptAt(fragment, 2);
		const first = judge(server, editor, () => prompt.setAttribute('prompt', 'a'));
		// Sent on its own, the second change names the first as its neighbour: the server does not
		// have it, so Yjs would hold this one back until it comes.
		const second = judge(server, editor, () => prompt.setAttribute('prompt', 'b'));
		expect(second.refusal).toBeNull();
		Y.applyUpdate(server, second.update);
		expect(promptAt(server.getXmlFragment(FIELD), 2).getAttribute('prompt')).toBe(
			PROMPTS['care_plan.wishes_and_feelings'].prompt
		);
		// The first part is judged when it comes, and refused: the second never lands.
		expect(first.refusal).toBe('changes-prompt');
	});

	it('says why in a close reason WebSockets can carry (at most 123 bytes)', () => {
		expect(new TextEncoder().encode(PROMPT_REFUSED).byteLength).toBeLessThanOrEqual(123);
	});
});

describe('prompt words', () => {
	it('come from the catalogue by id, else from the node', () => {
		expect(promptWords({ promptId: 'care_plan.iro', heading: 'old', prompt: 'old' })).toEqual(
			PROMPTS['care_plan.iro']
		);
		expect(promptWords({ promptId: 'care_plan.unknown', heading: 'H', prompt: 'P' })).toEqual({
			heading: 'H',
			prompt: 'P'
		});
		expect(promptWords({ promptId: 'toString' })).toEqual({ heading: '', prompt: '' });
	});
});
