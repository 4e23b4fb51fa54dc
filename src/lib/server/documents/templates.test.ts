import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docFromSaved, renderDocumentHtml } from './render-html';
import { TEMPLATES, initialContent } from './templates';

function render(update: Uint8Array): string {
	const doc = docFromSaved({ snapshot: null, updates: [update] }, (e) => {
		throw e;
	});
	const html = renderDocumentHtml(doc);
	doc.destroy();
	return html;
}

describe('document templates', () => {
	it('starts a care plan with every section of the brief, each with a prompt and room to write', () => {
		const html = render(initialContent('care_plan'));
		expect(
			html.startsWith(
				'<h3>About me</h3><p><em>What do you want people to know about you?</em></p><p></p>'
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
	});

	it('stores heading levels as numbers, as the editor (Tiptap) reads them', () => {
		const doc = docFromSaved({ snapshot: null, updates: [initialContent('my_story')] }, (e) => {
			throw e;
		});
		const first = doc.getXmlFragment('default').get(0);
		expect(first).toBeInstanceOf(Y.XmlElement);
		expect((first as Y.XmlElement).getAttribute('level')).toBe(2);
		doc.destroy();
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

	it('names documents after the young person, and a story simply "My story"', () => {
		expect(TEMPLATES.care_plan.title('Sam')).toBe("Sam's care plan");
		expect(TEMPLATES.pathway_plan.title('Alex')).toBe("Alex's pathway plan");
		expect(TEMPLATES.my_story.title('Sam')).toBe('My story');
	});
});
