import * as Y from 'yjs';
import { Ownership } from '../../collab/own-words';
import { CONTENT_FIELD } from '../../collab/protocol';
import type { Locale } from '$lib/i18n';
import { m } from '$lib/paraglide/messages.js';
import { localPromptWords } from '../../collab/prompt-catalogue';
import { PROMPT_NODE } from '../../collab/prompts';

/**
 * Renders a document's saved Yjs content as HTML on the server, so it can be read before the
 * editor loads, without JavaScript, and in print. Only a whitelist of Tiptap node and mark types
 * becomes markup; everything else is rendered as its text, and all text is escaped, so stored
 * content can never inject markup or script.
 */
export { CONTENT_FIELD };

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

/**
 * Whose words are whose: text from these Yjs clients is the young person's own words, shown
 * distinctly and announced to screen readers ("Sam's own words:") wherever the document is shown.
 */
export interface Attribution {
	ownWords: Ownership;
	/** The young person's name, as the announcement says it. */
	name: string;
	/** Shown to the young person themselves: "Your own words:". */
	you?: boolean;
}

const NOBODY: Attribution = { ownWords: new Ownership(), name: '' };

/** A piece of text with one set of formatting and one writer. */
interface Run {
	text: string;
	attrs: Record<string, unknown>;
	own: boolean;
}

/**
 * The text's runs, read item by item (not with toDelta, which forgets who wrote what): format
 * items switch formatting on and off, as Yjs itself reads them; adjacent runs that match merge.
 */
function runsOf(text: Y.XmlText, attribution: Attribution): Run[] {
	const runs: Run[] = [];
	let attrs: Record<string, unknown> = {};
	for (let item = text._start; item !== null; item = item.right) {
		if (item.deleted) continue;
		const content = item.content;
		if (content instanceof Y.ContentFormat) {
			attrs = { ...attrs };
			if (content.value === null) delete attrs[content.key];
			else attrs[content.key] = content.value;
		} else if (content instanceof Y.ContentString) {
			// Per character: words someone moved keep their writer, whatever client moved them.
			let at = 0;
			const push = (to: number, own: boolean) => {
				if (to <= at) return;
				const text = content.str.slice(at, to);
				const last = runs[runs.length - 1];
				if (last && last.own === own && last.attrs === attrs) last.text += text;
				else runs.push({ text, attrs, own });
				at = to;
			};
			for (const [from, to] of attribution.ownWords.spans(
				item.id.client,
				item.id.clock,
				item.length
			)) {
				push(from, false);
				push(to, true);
			}
			push(item.length, false);
		}
	}
	return runs;
}

function renderRun(run: Run): string {
	let html = escapeHtml(run.text);
	for (const [mark, tag] of MARKS) {
		if (run.attrs[mark]) html = `<${tag}>${html}</${tag}>`;
	}
	const link = run.attrs.link as { href?: unknown } | undefined;
	const href = link ? safeHref(link.href) : null;
	if (href) html = `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${html}</a>`;
	return html;
}

function renderText(text: Y.XmlText, attribution: Attribution): string {
	const runs = runsOf(text, attribution);
	let html = '';
	for (let i = 0; i < runs.length; i++) {
		const run = runs[i] as Run;
		if (!run.own) {
			html += renderRun(run);
			continue;
		}
		// One marked span per stretch of their words, however its formatting changes inside.
		let inner = '';
		while (i < runs.length && (runs[i] as Run).own) inner += renderRun(runs[i++] as Run);
		i--;
		html +=
			`<span class="own-words"><span class="visually-hidden">${escapeHtml(ownWordsLabel(attribution.name, attribution.you))} </span>` +
			`${inner}</span>`;
	}
	return html;
}

/**
 * "Sam's own words:" — how a stretch of the young person's words is announced ("Your own
 * words:" to the young person themselves).
 */
export function ownWordsLabel(name: string, you = false): string {
	if (you) return m.record_own_words_yours();
	return name ? m.record_own_words_named({ name }) : m.record_own_words_theirs();
}

/**
 * A template prompt: its heading, and its question labelled as a prompt (on screen, to screen
 * readers and on paper), so it is never read as anyone's words. Its words come from the message
 * catalogues by id, in the reader's language, else from the node itself.
 */
function renderPrompt(node: Y.XmlElement, locale: Locale | undefined): string {
	const words = localPromptWords(node.getAttributes(), locale);
	const id = node.getAttribute('promptId');
	const idAttr = typeof id === 'string' ? ` data-prompt-id="${escapeHtml(id)}"` : '';
	return (
		`<div class="section-prompt"${idAttr}><h3>${escapeHtml(words.heading)}</h3>` +
		`<p class="prompt"><span class="visually-hidden">${promptLabel(locale)} </span>${escapeHtml(words.prompt)}</p></div>`
	);
}

/** How a prompt's question is announced, and labelled on paper (in the reader's language). */
export function promptLabel(locale?: Locale): string {
	return m.record_prompt_label({}, locale ? { locale } : undefined);
}

export function renderNode(
	node: Y.XmlElement | Y.XmlText | Y.XmlHook,
	attribution: Attribution,
	locale: Locale | undefined
): string {
	if (node instanceof Y.XmlText) return renderText(node, attribution);
	if (!(node instanceof Y.XmlElement)) return '';
	const inner = node
		.toArray()
		.map((child) => renderNode(child, attribution, locale))
		.join('');
	const name = node.nodeName;
	if (name === PROMPT_NODE) return renderPrompt(node, locale);
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

/**
 * HTML of a Y.Doc's Tiptap content, with the young person's own words marked. Prompts are in
 * `locale` (a print's chosen language), else the request's language.
 */
export function renderDocumentHtml(
	doc: Y.Doc,
	attribution: Attribution = NOBODY,
	locale?: Locale
): string {
	return doc
		.getXmlFragment(CONTENT_FIELD)
		.toArray()
		.map((node) => renderNode(node, attribution, locale))
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
