import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CONTENT_FIELD, docFromSaved, renderDocumentHtml, safeHref } from './render-html';
import { PROMPT_NODE, promptElement } from '../../collab/prompts';
import { Ownership } from '../../collab/own-words';

function paragraph(text: Y.XmlText): Y.XmlElement {
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [text]);
	return p;
}

describe('server rendering of saved documents', () => {
	it('marks and announces the young person’s own words, and only theirs', () => {
		const worker = new Y.Doc();
		worker.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph(new Y.XmlText('Sam said: '))]);
		const young = new Y.Doc();
		Y.applyUpdate(young, Y.encodeStateAsUpdate(worker));
		const text = (young.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
		text.insert(10, 'I want ');
		text.insert(17, '<nan>', { bold: {} });
		Y.applyUpdate(worker, Y.encodeStateAsUpdate(young));
		expect(
			renderDocumentHtml(worker, { ownWords: new Ownership([young.clientID]), name: 'Sam' })
		).toBe(
			'<p>Sam said: <span class="own-words"><span class="visually-hidden">Sam’s own words: </span>' +
				'I want <strong>&lt;nan&gt;</strong></span></p>'
		);
		// Without attribution nothing is marked.
		expect(renderDocumentHtml(worker)).toBe('<p>Sam said: I want <strong>&lt;nan&gt;</strong></p>');
	});

	it('marks each run of their words, by character, not by the client that last moved them', () => {
		const young = new Y.Doc();
		young.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph(new Y.XmlText('I want to live'))]);
		const text = (young.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
		const start = text._start?.id.clock ?? 0;
		// " to" was recorded as someone else's (say, moved there by the young person's Enter).
		const own = new Ownership(
			[young.clientID],
			[{ client: young.clientID, clock: start + 6, len: 3, own: false }]
		);
		expect(renderDocumentHtml(young, { ownWords: own, name: 'Sam' })).toBe(
			'<p><span class="own-words"><span class="visually-hidden">Sam’s own words: </span>I want</span>' +
				' to<span class="own-words"><span class="visually-hidden">Sam’s own words: </span> live</span></p>'
		);
	});

	it('renders headings, paragraphs, lists and marks', () => {
		const doc = new Y.Doc();
		const root = doc.getXmlFragment(CONTENT_FIELD);
		const heading = new Y.XmlElement('heading');
		heading.setAttribute('level', '1');
		heading.insert(0, [new Y.XmlText('About me')]);
		const text = new Y.XmlText();
		text.insert(0, 'I like ');
		text.insert(7, 'football', { bold: {} });
		const list = new Y.XmlElement('bulletList');
		const item = new Y.XmlElement('listItem');
		item.insert(0, [paragraph(new Y.XmlText('Saturdays'))]);
		list.insert(0, [item]);
		root.insert(0, [heading, paragraph(text), list]);
		expect(renderDocumentHtml(doc)).toBe(
			'<h2>About me</h2><p>I like <strong>football</strong></p><ul><li><p>Saturdays</p></li></ul>'
		);
	});

	it('shows a template prompt as a prompt, never as anyone’s own words', () => {
		const doc = new Y.Doc();
		const answer = new Y.XmlText();
		answer.insert(0, 'I want to live with my nan');
		doc
			.getXmlFragment(CONTENT_FIELD)
			.insert(0, [promptElement('care_plan.wishes_and_feelings'), paragraph(answer)]);
		// The prompt's client counted as the young person's: the prompt is still nobody's words.
		const html = renderDocumentHtml(doc, { ownWords: new Ownership([doc.clientID]), name: 'Sam' });
		expect(html).toBe(
			'<div class="section-prompt" data-prompt-id="care_plan.wishes_and_feelings">' +
				'<h3>My wishes and feelings</h3><p class="prompt"><span class="visually-hidden">Prompt: </span>' +
				'What do you want to happen? How do you feel about things right now?</p></div>' +
				'<p><span class="own-words"><span class="visually-hidden">Sam’s own words: </span>' +
				'I want to live with my nan</span></p>'
		);
	});

	it('shows a prompt the catalogue does not know by its own words, escaped', () => {
		const doc = new Y.Doc();
		const prompt = new Y.XmlElement(PROMPT_NODE);
		prompt.setAttribute('promptId', 'care_plan.<new>');
		prompt.setAttribute('heading', 'New <section>');
		prompt.setAttribute('prompt', 'What "next"?');
		doc.getXmlFragment(CONTENT_FIELD).insert(0, [prompt]);
		expect(renderDocumentHtml(doc)).toBe(
			'<div class="section-prompt" data-prompt-id="care_plan.&lt;new&gt;"><h3>New &lt;section&gt;</h3>' +
				'<p class="prompt"><span class="visually-hidden">Prompt: </span>What &quot;next&quot;?</p></div>'
		);
	});

	it('escapes text and drops unsafe links', () => {
		const doc = new Y.Doc();
		const text = new Y.XmlText();
		text.insert(0, '<script>alert(1)</script>');
		text.insert(25, 'click', { link: { href: 'javascript:alert(1)' } });
		text.insert(30, 'ok', { link: { href: 'https://example.org/a"b' } });
		doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph(text)]);
		const html = renderDocumentHtml(doc);
		expect(html).toBe(
			'<p>&lt;script&gt;alert(1)&lt;/script&gt;click<a href="https://example.org/a%22b" rel="noopener noreferrer">ok</a></p>'
		);
		expect(safeHref('data:text/html,x')).toBeNull();
	});

	it('skips a corrupt stored update and keeps the rest', () => {
		const source = new Y.Doc();
		source.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph(new Y.XmlText('kept'))]);
		const good = Y.encodeStateAsUpdate(source);
		const bad: unknown[] = [];
		const doc = docFromSaved(
			{ snapshot: null, updates: [new Uint8Array([1, 2, 3, 255]), good] },
			(e) => bad.push(e)
		);
		expect(renderDocumentHtml(doc)).toBe('<p>kept</p>');
		expect(bad).toHaveLength(1);
	});

	it('reads a V2 snapshot followed by V1 log updates', () => {
		const source = new Y.Doc();
		source.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph(new Y.XmlText('from snapshot'))]);
		const snapshot = Y.encodeStateAsUpdateV2(source);
		const before = Y.encodeStateVector(source);
		source.getXmlFragment(CONTENT_FIELD).insert(1, [paragraph(new Y.XmlText('from log'))]);
		const update = Y.encodeStateAsUpdate(source, before);
		const bad: unknown[] = [];
		const doc = docFromSaved({ snapshot, updates: [update] }, (e) => bad.push(e));
		expect(renderDocumentHtml(doc)).toBe('<p>from snapshot</p><p>from log</p>');
		expect(bad).toEqual([]);
	});
});
