import * as Y from 'yjs';
// Relative, with `.ts`: the collab service (plain Node) reads suggestions' words with these.
import { CONTENT_FIELD } from '../../collab/protocol.ts';

/**
 * Reading the words an anchor points at, on the server, from the document as saved. The server
 * decides what a suggestion quotes: a browser only says where.
 */

/** A text's characters, as Yjs counts them (an embedded object counts as one). */
export function plainTextOf(text: Y.XmlText): string {
	let out = '';
	for (let item = text._start; item !== null; item = item.right) {
		if (item.deleted || !item.countable) continue;
		out += item.content instanceof Y.ContentString ? item.content.str : '\uFFFC';
	}
	return out;
}

/**
 * The words between two positions, or null when they do not resolve in this document or are not
 * in the same piece of text (a suggestion changes words within one paragraph).
 */
export function quoteAt(doc: Y.Doc, start: Y.RelativePosition, end: Y.RelativePosition) {
	let a: Y.AbsolutePosition | null;
	let b: Y.AbsolutePosition | null;
	try {
		a = Y.createAbsolutePositionFromRelativePosition(start, doc);
		b = Y.createAbsolutePositionFromRelativePosition(end, doc);
	} catch {
		// A position naming a type this document does not have.
		return null;
	}
	if (!a || !b || a.type !== b.type || b.index < a.index) return null;
	if (a.type instanceof Y.XmlText) return plainTextOf(a.type).slice(a.index, b.index);
	// An empty paragraph (no text in it yet): only an addition can point there.
	return a.index === b.index ? '' : null;
}

/** The whole document's text, one line per block of text. */
export function documentText(doc: Y.Doc): string {
	const lines: string[] = [];
	const walk = (type: Y.XmlFragment | Y.XmlElement) => {
		let line = '';
		let hasText = false;
		for (const child of type.toArray()) {
			if (child instanceof Y.XmlText) {
				line += plainTextOf(child);
				hasText = true;
			} else if (child instanceof Y.XmlElement) walk(child);
		}
		if (hasText) lines.push(line);
	};
	walk(doc.getXmlFragment(CONTENT_FIELD));
	return lines.join('\n');
}
