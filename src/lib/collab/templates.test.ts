import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docFromSaved, renderDocumentHtml } from '../server/documents/render-html';
import { PROMPTS, PROMPT_NODE } from './prompts';
import { TEMPLATES, initialContent } from './templates';

function load(update: Uint8Array): Y.Doc {
	return docFromSaved({ snapshot: null, updates: [update] }, (e) => {
		throw e;
	});
}

function render(update: Uint8Array): string {
	const doc = load(update);
	const html = renderDocumentHtml(doc);
	doc.destroy();
	return html;
}

describe('document templates', () => {
	it('starts a care plan with every section of the brief, each a prompt with room to write after it', () => {
		const html = render(initialContent('care_plan'));
		expect(
			html.startsWith(
				'<div class="section-prompt" data-prompt-id="care_plan.about_me"><h3>About me</h3>' +
					'<p class="prompt"><span class="visually-hidden">Prompt: </span>' +
					'What do you want people to know about you?</p></div><p></p>'
			)
		).toBe(true);
		for (const heading of [
			'My wishes and feelings',
			'Where I live',
			'Family and friends',
			'Health',
			'School and learning',
			'Who I am',
			'Feelings and behaviour',
			'Looking after myself',
			'What needs to happen, who will help, by when',
			'My long-term plan',
			'My IRO'
		]) {
			expect(html).toContain(`<h3>${heading}</h3>`);
		}
		expect(html.match(/<h3>/g)).toHaveLength(TEMPLATES.care_plan.sections.length);
		expect(html.match(/class="section-prompt"/g)).toHaveLength(12);
	});

	it('makes each prompt one node carrying its id and its English words, with no text inside', () => {
		const doc = load(initialContent('care_plan'));
		const blocks = doc.getXmlFragment('default').toArray();
		expect(blocks).toHaveLength(24);
		const wishes = blocks[2] as Y.XmlElement;
		expect(wishes.nodeName).toBe(PROMPT_NODE);
		expect(wishes.getAttributes()).toEqual({
			promptId: 'care_plan.wishes_and_feelings',
			heading: 'My wishes and feelings',
			prompt: 'What do you want to happen? How do you feel about things right now?'
		});
		expect(wishes.length).toBe(0);
		// Between prompts: an empty paragraph, the only place anyone writes.
		expect((blocks[3] as Y.XmlElement).nodeName).toBe('paragraph');
		expect((blocks[3] as Y.XmlElement).length).toBe(0);
		doc.destroy();
	});

	it('uses only ids the prompt catalogue knows, each once per template', () => {
		for (const template of Object.values(TEMPLATES)) {
			expect(new Set(template.sections).size).toBe(template.sections.length);
			for (const id of template.sections) {
				expect(Object.hasOwn(PROMPTS, id)).toBe(true);
				expect(id.startsWith(`${template.kind}.`)).toBe(true);
			}
		}
	});

	it('starts a pathway plan and a story with their own sections', () => {
		const pathway = render(initialContent('pathway_plan'));
		expect(pathway).toContain('<h3>If things go wrong</h3>');
		expect(pathway).toContain('<h3>Money</h3>');
		expect(pathway).not.toContain('My IRO');
		const story = render(initialContent('my_story'));
		expect(story).toContain('<h3>A day I remember</h3>');
		expect(story).toContain('<h3>People who matter to me</h3>');
	});
});
