import * as Y from 'yjs';
import { CONTENT_FIELD } from '../../collab/protocol';
import { localPromptWords } from '../../collab/prompt-catalogue';
import { PROMPT_NODE } from '../../collab/prompts';
import { WHOLE_DOCUMENT } from '../../collab/section-additions';
import { renderNode, type Attribution } from './render-html';

/**
 * The saved document as HTML cut at its template sections, so the page can put an "Add to this
 * section" form after each (the page without JavaScript). Same rendering as renderDocumentHtml:
 * the sections' HTML joined is the whole document's.
 */

export interface RenderedSection {
	/** The section's prompt id, which the form sends back ('' for a document without sections). */
	id: string;
	/** Its heading, in the request's language, for the form's label. */
	heading: string;
	html: string;
}

export interface RenderedSections {
	/** Anything before the first section. */
	before: string;
	sections: RenderedSection[];
}

export function renderDocumentSections(doc: Y.Doc, attribution: Attribution): RenderedSections {
	const result: RenderedSections = { before: '', sections: [] };
	let current: RenderedSection | null = null;
	for (const node of doc.getXmlFragment(CONTENT_FIELD).toArray()) {
		const html = renderNode(node, attribution, undefined);
		const id =
			node instanceof Y.XmlElement && node.nodeName === PROMPT_NODE
				? node.getAttribute('promptId')
				: null;
		if (typeof id === 'string' && node instanceof Y.XmlElement) {
			current = { id, heading: localPromptWords(node.getAttributes()).heading, html };
			result.sections.push(current);
		} else if (current) {
			current.html += html;
		} else {
			result.before += html;
		}
	}
	if (result.sections.length === 0) {
		// A document without a template: one form, adding at its end.
		result.sections.push({ id: WHOLE_DOCUMENT, heading: '', html: result.before });
		result.before = '';
	}
	return result;
}
