import * as Y from 'yjs';
import { CONTENT_FIELD } from './protocol.ts';
import { PROMPT_NODE } from './prompts.ts';

/**
 * "Add to this section" without JavaScript: the words a person sends from a plain form, turned
 * into the same kind of Yjs update their editor would have sent (a paragraph per line at the end
 * of the section, under a Yjs client id of their own). Shared by the app (validation, the same
 * rules in both places) and the collab server (which builds and applies the update). Plain
 * TypeScript with relative imports: the collab server loads it with Node's type stripping.
 */

/** Longest addition, in characters (a form post, not a document). */
export const MAX_ADDITION_CHARS = 2000;

/** The section a form names when the document has no sections: the end of the document. */
export const WHOLE_DOCUMENT = '';

/** Why an addition cannot be taken as it is (the app says each in words). */
export type AdditionProblem = 'empty' | 'too long' | 'characters';

/**
 * Control characters other than line breaks and tabs cannot be typed into a form by a person
 * and have no place in a document; NUL in particular cannot be stored.
 */
function hasControlCharacter(text: string): boolean {
	for (const char of text) {
		if (char === '\n' || char === '\r' || char === '\t') continue;
		if (/\p{Cc}/u.test(char)) return true;
	}
	return false;
}

/** The lines an addition becomes (one paragraph each), or what is wrong with it. */
export function additionLines(text: string): { lines: string[] } | { problem: AdditionProblem } {
	// Counted as the text box counts: a browser sends each line break as two characters.
	if (text.replaceAll('\r\n', '\n').length > MAX_ADDITION_CHARS) return { problem: 'too long' };
	if (hasControlCharacter(text)) return { problem: 'characters' };
	const lines = text
		.split(/\r\n|\r|\n/)
		.map((line) => line.replaceAll('\t', ' ').trim())
		.filter((line) => line.length > 0);
	if (lines.length === 0) return { problem: 'empty' };
	return { lines };
}

/** The prompt id of a template section's node, or null for any other block. */
function promptIdOf(node: unknown): string | null {
	if (!(node instanceof Y.XmlElement) || node.nodeName !== PROMPT_NODE) return null;
	const id = node.getAttribute('promptId');
	return typeof id === 'string' ? id : null;
}

/** The prompt ids of a document's sections, in order. */
export function sectionIds(doc: Y.Doc): string[] {
	return doc
		.getXmlFragment(CONTENT_FIELD)
		.toArray()
		.map(promptIdOf)
		.filter((id): id is string => id !== null);
}

function isEmptyParagraph(node: unknown): node is Y.XmlElement {
	if (!(node instanceof Y.XmlElement) || node.nodeName !== 'paragraph') return false;
	return node.toArray().every((child) => child instanceof Y.XmlText && child.length === 0);
}

/**
 * Writes `lines` at the end of section `section` of `doc` (after its last block, or into its
 * last block when that is an empty paragraph, as a person tapping there and typing would).
 * False, and nothing changed, when the document has no such section.
 */
export function writeAddition(doc: Y.Doc, section: string, lines: string[]): boolean {
	const fragment = doc.getXmlFragment(CONTENT_FIELD);
	const blocks = fragment.toArray();
	let start: number;
	if (section === WHOLE_DOCUMENT) {
		start = 0;
	} else {
		const at = blocks.findIndex((node) => promptIdOf(node) === section);
		if (at < 0) return false;
		start = at + 1;
	}
	let end = start;
	while (end < blocks.length && promptIdOf(blocks[end]) === null) end++;
	doc.transact(() => {
		const last = end > start ? blocks[end - 1] : undefined;
		let rest = lines;
		if (isEmptyParagraph(last) && lines.length > 0) {
			const [first = '', ...others] = lines;
			const text = new Y.XmlText();
			last.insert(last.length, [text]);
			text.insert(0, first);
			rest = others;
		}
		const paragraphs = rest.map((line) => {
			const paragraph = new Y.XmlElement('paragraph');
			const text = new Y.XmlText();
			paragraph.insert(0, [text]);
			text.insert(0, line);
			return paragraph;
		});
		if (paragraphs.length > 0) fragment.insert(end, paragraphs);
	});
	return true;
}

/**
 * The update that adds `lines` to a section of `doc`, made under `clientId` (a client id nobody
 * has used in this document) on a copy, so `doc` itself is untouched until the update is applied
 * the ordinary way. Null when the document has no such section.
 */
export function additionUpdate(
	doc: Y.Doc,
	section: string,
	lines: string[],
	clientId: number
): Uint8Array | null {
	const copy = new Y.Doc();
	copy.clientID = clientId;
	try {
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		const before = Y.encodeStateVector(copy);
		if (!writeAddition(copy, section, lines)) return null;
		return Y.encodeStateAsUpdate(copy, before);
	} finally {
		copy.destroy();
	}
}

/** A client id unused in `doc` and not in `taken`, for one addition's items. */
export function freshClientId(doc: Y.Doc, taken: ReadonlyMap<number, unknown>): number {
	for (;;) {
		// Yjs's own client ids are random uint32s; collisions are what this loop rules out.
		const id = Math.floor(Math.random() * 0xffffffff);
		if (!doc.store.clients.has(id) && !taken.has(id)) return id;
	}
}
