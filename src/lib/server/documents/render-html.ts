import * as Y from 'yjs';

/**
 * Renders a document's saved Yjs content as HTML on the server, so it can be read before the
 * editor loads, without JavaScript, and in print. Only a whitelist of Tiptap node and mark types
 * becomes markup; everything else is rendered as its text, and all text is escaped, so stored
 * content can never inject markup or script.
 */
export const CONTENT_FIELD = 'default';

const BLOCKS: Record<string, string> = {
	paragraph: 'p',
	bulletList: 'ul',
	orderedList: 'ol',
	listItem: 'li',
	blockquote: 'blockquote',
	codeBlock: 'pre'
};

const MARKS: [string, string][] = [
	['bold', 'strong'],
	['italic', 'em'],
	['strike', 's'],
	['code', 'code'],
	['underline', 'u']
];

export function escapeHtml(text: string): string {
	return text
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}

/** Links keep only web, mail and phone addresses; anything else (javascript:, data:) is dropped. */
export function safeHref(href: unknown): string | null {
	if (typeof href !== 'string') return null;
	try {
		const url = new URL(href);
		return ['http:', 'https:', 'mailto:', 'tel:'].includes(url.protocol) ? url.href : null;
	} catch {
		return null;
	}
}

interface DeltaOp {
	insert?: unknown;
	attributes?: Record<string, unknown>;
}

function renderText(text: Y.XmlText): string {
	return (text.toDelta() as DeltaOp[])
		.map((op) => {
			if (typeof op.insert !== 'string') return '';
			let html = escapeHtml(op.insert);
			const attrs = op.attributes ?? {};
			for (const [mark, tag] of MARKS) {
				if (attrs[mark]) html = `<${tag}>${html}</${tag}>`;
			}
			const link = attrs.link as { href?: unknown } | undefined;
			const href = link ? safeHref(link.href) : null;
			if (href) html = `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${html}</a>`;
			return html;
		})
		.join('');
}

function renderNode(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
	if (node instanceof Y.XmlText) return renderText(node);
	if (!(node instanceof Y.XmlElement)) return '';
	const inner = node
		.toArray()
		.map((child) => renderNode(child))
		.join('');
	const name = node.nodeName;
	if (name === 'heading') {
		const level = Number(node.getAttribute('level'));
		// Headings inside a document sit below the page's own h1.
		const tag = `h${Math.min(6, Math.max(2, (Number.isInteger(level) ? level : 2) + 1))}`;
		return `<${tag}>${inner}</${tag}>`;
	}
	if (name === 'hardBreak') return '<br>';
	if (name === 'horizontalRule') return '<hr>';
	const tag = BLOCKS[name];
	return tag ? `<${tag}>${inner}</${tag}>` : `<div>${inner}</div>`;
}

/** HTML of a Y.Doc's Tiptap content. */
export function renderDocumentHtml(doc: Y.Doc): string {
	return doc
		.getXmlFragment(CONTENT_FIELD)
		.toArray()
		.map((node) => renderNode(node))
		.join('');
}

/**
 * Builds a Y.Doc from saved state (snapshot, then updates). A stored update that cannot be
 * applied is skipped and reported, so one bad row never hides the rest of a child's document.
 */
export function docFromSaved(
	saved: { snapshot: Uint8Array | null; updates: Uint8Array[] },
	onBadUpdate: (error: unknown) => void
): Y.Doc {
	const doc = new Y.Doc();
	if (saved.snapshot) {
		// Snapshots are stored in Yjs's V2 encoding (see private.compact_document's caller).
		try {
			Y.applyUpdateV2(doc, saved.snapshot);
		} catch (error) {
			onBadUpdate(error);
		}
	}
	for (const update of saved.updates) {
		try {
			Y.applyUpdate(doc, update);
		} catch (error) {
			onBadUpdate(error);
		}
	}
	return doc;
}
