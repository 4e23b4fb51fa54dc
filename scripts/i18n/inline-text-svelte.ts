import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'svelte/compiler';
import { collectCodes, hasLetter, lineFinder, readsLikeWords, scanCode } from './inline-text.ts';
import type { Context, Finding } from './inline-text.ts';

/**
 * Svelte markup for src/lib/no-inline-text.test.ts (rules in inline-text.ts): text between tags
 * (a <title> too), the text attributes of HTML elements, words given to components, and what
 * {expressions} show. <script> blocks and every {expression} go through the TypeScript rules.
 */

/** HTML attributes people read or hear. (`value` only on buttons: elsewhere it is data.) */
const TEXT_ATTRIBUTES = new Set([
	'aria-label',
	'aria-description',
	'aria-roledescription',
	'aria-placeholder',
	'aria-valuetext',
	'alt',
	'title',
	'placeholder',
	'label'
]);
const BUTTON_INPUTS = new Set(['submit', 'button', 'reset']);
/** Component properties that carry words (any other static property is judged by its look). */
const TEXT_PROPS = new Set([
	...TEXT_ATTRIBUTES,
	'hint',
	'text',
	'heading',
	'legend',
	'description',
	'message',
	'error'
]);

interface Node {
	type: string;
	start: number;
	end: number;
	[key: string]: unknown;
}
interface TextNode extends Node {
	data: string;
}
interface Attribute extends Node {
	name: string;
	value: true | Node | Node[];
}

const ELEMENTS = new Set([
	'RegularElement',
	'Component',
	'SvelteElement',
	'SvelteHead',
	'SvelteBody',
	'SvelteWindow',
	'SvelteDocument',
	'SvelteBoundary',
	'SvelteComponent',
	'SvelteSelf',
	'SvelteFragment',
	'SlotElement',
	'TitleElement'
]);

/** Elements whose content is not shown as text. */
const NOT_TEXT = new Set(['script', 'style']);

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

class SvelteScan {
	constructor(
		private source: string,
		private ctx: Context
	) {}

	text(node: TextNode, at = node.start) {
		if (!hasLetter(node.data)) return;
		const lead = node.data.length - node.data.trimStart().length;
		this.ctx.findings.push({
			file: this.ctx.file,
			line: this.ctx.lineOf(at + lead),
			text: normalise(node.data)
		});
	}

	expression(node: unknown, rendered: boolean) {
		const e = node as Node | null | undefined;
		if (!e || typeof e.start !== 'number') return;
		scanCode(this.source.slice(e.start, e.end), e.start, this.ctx, { expression: true, rendered });
	}

	fragment(fragment: unknown) {
		const nodes = (fragment as { nodes?: Node[] } | null)?.nodes ?? [];
		for (const node of nodes) this.node(node);
	}

	node(node: Node) {
		switch (node.type) {
			case 'Text':
				return this.text(node as TextNode);
			case 'ExpressionTag':
			case 'HtmlTag':
				return this.expression(node.expression, true);
			case 'RenderTag':
			case 'KeyBlock':
				this.expression(node.expression, false);
				return this.fragment(node.fragment);
			case 'ConstTag': {
				const declaration = node.declaration as Node;
				const code = this.source.slice(declaration.start, declaration.end);
				return scanCode(code, declaration.start, this.ctx);
			}
			case 'IfBlock':
				this.expression(node.test, false);
				this.fragment(node.consequent);
				return this.fragment(node.alternate);
			case 'EachBlock':
				this.expression(node.expression, false);
				this.fragment(node.body);
				return this.fragment(node.fallback);
			case 'AwaitBlock':
				this.expression(node.expression, false);
				for (const part of ['pending', 'then', 'catch']) this.fragment(node[part]);
				return;
			case 'SnippetBlock':
				return this.fragment(node.body);
		}
		if (ELEMENTS.has(node.type)) {
			const name = String(node.name);
			if (NOT_TEXT.has(name)) return;
			this.attributes(node);
			this.fragment(node.fragment);
		}
	}

	attributes(element: Node) {
		const isComponent = element.type === 'Component' || element.type === 'SvelteComponent';
		const attributes = element.attributes as Attribute[];
		const typeAttribute = attributes.find((a) => a.name === 'type');
		const type =
			Array.isArray(typeAttribute?.value) && typeAttribute.value[0]?.type === 'Text'
				? (typeAttribute.value[0] as TextNode).data
				: '';
		for (const attribute of attributes) {
			if (attribute.type !== 'Attribute') {
				// Directives, spreads and {@attach}: code, judged by the TypeScript rules.
				this.expression(attribute.expression, false);
				continue;
			}
			const name = attribute.name;
			const isText =
				TEXT_ATTRIBUTES.has(name) ||
				(isComponent && TEXT_PROPS.has(name)) ||
				(name === 'value' && element.name === 'input' && BUTTON_INPUTS.has(type));
			// Other attributes of HTML elements (class, href, id, name…) are never read out; event
			// handlers are code, judged by the TypeScript rules.
			if (!isText && !isComponent) {
				if (/^on[a-z]+$/.test(name) && !Array.isArray(attribute.value)) {
					const value = attribute.value;
					if (value !== true) this.expression(value.expression, false);
				}
				continue;
			}
			const parts = attribute.value === true ? [] : [attribute.value].flat();
			for (const part of parts) {
				if (part.type === 'Text') {
					const text = part as TextNode;
					if (isText || readsLikeWords(text.data, true)) this.text(text);
				} else {
					this.expression(part.expression, isText);
				}
			}
		}
	}
}

interface SvelteRoot {
	fragment: Node;
	instance: { content: Node } | null;
	module: { content: Node } | null;
}

const scripts = (root: SvelteRoot) =>
	[root.module, root.instance].flatMap((script) => (script ? [script.content] : []));

/** Findings in one Svelte file. */
export function scanSvelte(source: string, file: string, codes: ReadonlySet<string>): Finding[] {
	const root = parse(source, { modern: true }) as unknown as SvelteRoot;
	const ctx: Context = { file, codes, lineOf: lineFinder(source), findings: [] };
	for (const content of scripts(root)) {
		scanCode(source.slice(content.start, content.end), content.start, ctx);
	}
	new SvelteScan(source, ctx).fragment(root.fragment);
	return ctx.findings;
}

/** Codes used in a Svelte file's scripts (see collectCodes). */
export function collectSvelteCodes(source: string, codes: Set<string>): void {
	const root = parse(source, { modern: true }) as unknown as SvelteRoot;
	for (const content of scripts(root)) {
		collectCodes(source.slice(content.start, content.end), codes);
	}
}

/** Findings in one TypeScript file. */
export function scanTypeScript(
	source: string,
	file: string,
	codes: ReadonlySet<string>
): Finding[] {
	const ctx: Context = { file, codes, lineOf: lineFinder(source), findings: [] };
	scanCode(source, 0, ctx);
	return ctx.findings;
}

/**
 * The files whose words must come from the catalogues: Svelte and TypeScript under src/, apart
 * from tests, type declarations and the catalogues' generated code.
 */
export function sourceFiles(root: string): string[] {
	return readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' })
		.map((f) => `src/${f.split(path.sep).join('/')}`)
		.filter(
			(f) =>
				/\.(svelte|ts)$/.test(f) &&
				!/\.test\.ts$|\.d\.ts$/.test(f) &&
				!f.startsWith('src/lib/paraglide/')
		)
		.sort();
}

/** Every finding under `root`/src, in file order. */
export function scanProject(root: string): Finding[] {
	const files = sourceFiles(root).map((file) => ({
		file,
		source: readFileSync(path.join(root, file), 'utf8')
	}));
	const codes = new Set<string>();
	for (const { file, source } of files) {
		if (file.endsWith('.svelte')) collectSvelteCodes(source, codes);
		else collectCodes(source, codes);
	}
	return files.flatMap(({ file, source }) =>
		file.endsWith('.svelte') ? scanSvelte(source, file, codes) : scanTypeScript(source, file, codes)
	);
}
