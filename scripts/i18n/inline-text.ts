import ts from 'typescript';

/**
 * Finds words written straight into the code (not taken from the catalogues) that a person would
 * see: what src/lib/no-inline-text.test.ts fails on. TypeScript here; Svelte markup in
 * inline-text-svelte.ts, which runs these same rules on its scripts and {expressions}.
 *
 * A string is judged by where it is used:
 * - Surely shown to a person ("strong"): the message of `fail(…)`, `error(…)`, `forbidden(…)`, a
 *   valibot check, a field label given to requiredText/optionalText/noNul, an error class whose
 *   message is shown (USER_FACING_ERRORS), a property named like words (TEXT_KEYS), and what a
 *   Svelte {expression} or text attribute renders. Any string with a letter counts, unless it
 *   is a code (one token: `young_person`, `/home`, `camelCase`, `CONSTANT`).
 * - Never shown: imports, types, object keys, comparisons and `case`s, SQL (tagged templates,
 *   Kysely aliases), log calls, HTTP header names and values, and the messages of other errors
 *   (they are for logs; the pages turn them into catalogue messages).
 * - Anywhere else ("weak"): only what reads like words: two words or more (`Done in time`), or one
 *   capitalised word (`Saved`, `Someone`). A string the code also uses as a value of a
 *   string-literal type, in a comparison or `as const` is a code (`'not yours'`, `'met late'`).
 */
export interface Finding {
	file: string;
	line: number;
	text: string;
}

export interface Context {
	file: string;
	/** Strings the project uses as codes (see collectCodes). */
	codes: ReadonlySet<string>;
	/** 1-based line of an offset in the whole file. */
	lineOf: (offset: number) => number;
	findings: Finding[];
}

/** Object properties whose string values are words for people. */
const TEXT_KEYS = new Set([
	'message',
	'error',
	'label',
	'heading',
	'title',
	'hint',
	'description',
	'text',
	'prompt',
	'alt',
	'placeholder',
	'ariaLabel',
	'aria-label',
	'aria-description'
]);

/**
 * Error classes whose message is shown to a person (a page puts `e.message` into its form
 * result): every other error's message is for logs, and is not flagged.
 */
export const USER_FACING_ERRORS = new Set([
	'InviteAccountError',
	'AlreadyAnsweredError',
	'ResponseRefusedError'
]);

/** Calls whose string arguments are words for people (valibot's `v.…` checks: see isValibot). */
const MESSAGE_CALLS = new Set(['fail', 'error', 'forbidden']);
const LABEL_CALLS = new Set(['requiredText', 'optionalText', 'noNul']);
const LOG_METHODS = new Set(['log', 'warn', 'info', 'debug', 'trace']);
const HEADER_METHODS = new Set(['get', 'set', 'append', 'has', 'delete', 'setHeader']);
const COMPARISONS = new Set([
	ts.SyntaxKind.EqualsEqualsEqualsToken,
	ts.SyntaxKind.ExclamationEqualsEqualsToken,
	ts.SyntaxKind.EqualsEqualsToken,
	ts.SyntaxKind.ExclamationEqualsToken,
	ts.SyntaxKind.InKeyword
]);
/** Object properties whose string values are never words (a class list: `button secondary`). */
const CODE_KEYS = new Set(['class', 'className', 'rel', 'role', 'autocomplete', 'inputmode']);
const HEADER_KEY =
	/^(authorization|vary|location|(content|cache|x|accept|access-control|strict-transport|referrer|permissions|cross-origin)-[a-z-]+)$/;
const SQL_WORDS = new Set(
	(
		'select insert update delete from where as is not null and or in like ilike asc desc nulls ' +
		'first last read committed uncommitted repeatable serializable only write distinct on join ' +
		'left inner order by group limit offset returning set values into with'
	).split(' ')
);

export const hasLetter = (text: string) => /\p{L}/u.test(text);

/** One token that names something rather than saying something: an id, path, URL or constant. */
export function isCode(text: string): boolean {
	const t = withoutHoles(text).replaceAll(HOLE, 'x');
	if (/\s/.test(t)) return false;
	return (
		/^[\p{Ll}\d_\-.:/#?=&%+@*[\]()'",;]*$/u.test(t) ||
		/^[a-z][A-Za-z0-9]*$/.test(t) ||
		/^[A-Z][A-Z0-9_-]*$/.test(t) ||
		/^[/.#]/.test(t) ||
		t.includes('://')
	);
}

/** Lower-case SQL: `p.preferred_name as author_name`, `repeatable read`, `is not`. */
function isSql(text: string): boolean {
	if (/^\s*(select|insert|update|delete|with|begin|listen|notify|set)\s/i.test(text)) return true;
	const tokens = text.trim().split(/\s+/);
	return tokens.every((t) => /^[a-z_][a-z0-9_.]*$/.test(t)) && tokens.some((t) => SQL_WORDS.has(t));
}

/** Stands for a `${…}` in a template: a word, but not letters. */
const HOLE = '\uE000';

/** A template's text with each `${…}` (however deeply nested) replaced by HOLE. */
export function withoutHoles(text: string): string {
	let out = '';
	let depth = 0;
	for (let i = 0; i < text.length; i++) {
		if (depth === 0 && text.startsWith('${', i)) {
			depth = 1;
			i++;
			out += HOLE;
		} else if (depth > 0) {
			if (text[i] === '{') depth++;
			else if (text[i] === '}') depth--;
		} else out += text[i];
	}
	return out;
}

/**
 * Reads like words for people, wherever it is used (see "weak" above): two words or more (a
 * `${…}` counts as one: `${n} days`), or one capitalised word (`Saved`, `January`). With `strict`
 * (static component properties), words all in lower case without a sentence's punctuation are
 * taken for a class list or ids (`button secondary`).
 */
export function readsLikeWords(text: string, strict = false): boolean {
	// Markup built in a string (an SVG chart, a printed page): only the text between its tags.
	const plain = withoutHoles(text)
		.replace(/<(style|script)\b[^>]*>[\s\S]*?<\/\1>/g, ' ')
		// Declarations and comments (<!doctype html>, <!-- … -->) are not words either.
		.replace(/<!(--[\s\S]*?--|[^>]*)>/g, ' ')
		// A tag built over several strings: its attributes, its name and its end, without the rest.
		.replace(/[\w:-]+=("[^"]*"|'[^']*')/g, ' ')
		.replace(/<\/?[a-zA-Z][\w:-]*|\/?>/g, ' ')
		.replace(/<\/?[a-zA-Z][^>]*>/g, ' ')
		.trim();
	if (!/\p{L}{2}/u.test(plain) || isSql(plain) || isPolicy(plain)) return false;
	const words = plain.split(/\s+/).filter((t) => hasLetter(t) || t.includes(HOLE));
	if (words.length >= 2) return !strict || /\p{Lu}|[.!?…]$|[,;:] |[()“”‘’"—–]/u.test(plain);
	return /^\p{Lu}\p{Ll}+[.!?…]?$/u.test(plain);
}

/** A Content-Security-Policy (`connect-src 'self'`) or other header value with directives. */
function isPolicy(text: string): boolean {
	return /(^|\s)[a-z-]+-src\s|'(self|none)'|\bcharset=|\bno-store\b|^attachment;/.test(text);
}

type StringNode = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression;

function isStringNode(node: ts.Node): node is StringNode {
	return (
		ts.isStringLiteral(node) ||
		ts.isNoSubstitutionTemplateLiteral(node) ||
		ts.isTemplateExpression(node)
	);
}

/** The words as written: a template keeps its `${…}` (that is how a developer finds it). */
function textOf(node: StringNode, sf: ts.SourceFile): string {
	return ts.isTemplateExpression(node) ? node.getText(sf).slice(1, -1) : node.text;
}

/** Nodes a string passes through unchanged on its way to where it is used. */
function passesThrough(node: ts.Node, child: ts.Node): boolean {
	if (
		ts.isParenthesizedExpression(node) ||
		ts.isAsExpression(node) ||
		ts.isSatisfiesExpression(node) ||
		ts.isNonNullExpression(node) ||
		ts.isTemplateSpan(node) ||
		(ts.isTemplateExpression(node) && child !== node.head)
	) {
		return true;
	}
	if (ts.isConditionalExpression(node)) return child !== node.condition;
	if (ts.isBinaryExpression(node)) {
		const op = node.operatorToken.kind;
		return (
			op === ts.SyntaxKind.QuestionQuestionToken ||
			op === ts.SyntaxKind.BarBarToken ||
			op === ts.SyntaxKind.AmpersandAmpersandToken ||
			op === ts.SyntaxKind.PlusToken
		);
	}
	return ts.isArrowFunction(node) && child === node.body;
}

function calleeName(call: ts.CallExpression | ts.NewExpression): string {
	const e = call.expression;
	if (ts.isIdentifier(e)) return e.text;
	if (ts.isPropertyAccessExpression(e)) return e.name.text;
	return '';
}

function isValibot(call: ts.CallExpression): boolean {
	const e = call.expression;
	return (
		ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'v'
	);
}

/** The class a `super(…)` call is in, if that class extends something. */
function superClass(call: ts.CallExpression): ts.ClassLikeDeclaration | undefined {
	if (call.expression.kind !== ts.SyntaxKind.SuperKeyword) return undefined;
	let node: ts.Node = call;
	while (!ts.isClassLike(node)) node = node.parent;
	return node;
}

function isErrorName(name: string): boolean {
	return /(Error|Refused)$/.test(name);
}

function isHeaders(object: ts.Node): boolean {
	const owner = object.parent;
	return (
		ts.isPropertyAssignment(owner) && ts.isIdentifier(owner.name) && owner.name.text === 'headers'
	);
}

type Verdict = 'ignore' | 'strong' | 'weak';

/** Where a string is used decides whether it is words for people (see the top of this file). */
function judge(node: StringNode, root: ts.Node | undefined): Verdict {
	for (let n: ts.Node = node.parent; n; n = n.parent) {
		if (ts.isTypeNode(n) || ts.isTaggedTemplateExpression(n) || ts.isImportDeclaration(n)) {
			return 'ignore';
		}
		if (ts.isExportDeclaration(n) || ts.isCaseClause(n)) return 'ignore';
	}
	let top: ts.Node = node;
	while (top.parent && top !== root && passesThrough(top.parent, top)) top = top.parent;
	if (top === root) return 'strong';
	const use = top.parent;
	if (ts.isBinaryExpression(use) && COMPARISONS.has(use.operatorToken.kind)) return 'ignore';
	if (ts.isElementAccessExpression(use) && use.argumentExpression === top) return 'ignore';
	if (ts.isPropertyAssignment(use) || ts.isPropertyDeclaration(use)) {
		if (use.name === top || ts.isComputedPropertyName(use.name)) return 'ignore';
		const key = ts.isIdentifier(use.name) || ts.isStringLiteral(use.name) ? use.name.text : '';
		if (TEXT_KEYS.has(key)) return 'strong';
		// HTTP headers ('cache-control': 'private, no-store'), and anything in `headers: {…}`.
		if (HEADER_KEY.test(key) || isHeaders(use.parent) || CODE_KEYS.has(key)) return 'ignore';
	}
	// Inside an object or array given to a call: that call decides (fail(400, { errors: … })).
	let arg: ts.Node = top;
	while (
		(ts.isPropertyAssignment(arg.parent) && arg.parent.initializer === arg) ||
		ts.isObjectLiteralExpression(arg.parent) ||
		ts.isArrayLiteralExpression(arg.parent) ||
		passesThrough(arg.parent, arg)
	) {
		arg = arg.parent;
	}
	const call = arg.parent;
	if (ts.isCallExpression(call) && call.arguments.includes(arg as ts.Expression)) {
		return judgeCall(call, arg === top);
	}
	if (ts.isNewExpression(call) && call.arguments?.includes(arg as ts.Expression)) {
		const name = calleeName(call);
		if (USER_FACING_ERRORS.has(name)) return 'strong';
		if (isErrorName(name)) return 'ignore';
	}
	return 'weak';
}

function judgeCall(call: ts.CallExpression, direct: boolean): Verdict {
	const name = calleeName(call);
	const callee = call.expression;
	if (ts.isPropertyAccessExpression(callee)) {
		const object = callee.expression.getText();
		if (object === 'console' || LOG_METHODS.has(name)) return 'ignore';
		if (HEADER_METHODS.has(name) && /headers$/i.test(object)) return 'ignore';
		if (name === 'setHeader' || name === 'writeHead') return 'ignore';
	}
	if (name === 'log' || name === 'require') return 'ignore';
	if (MESSAGE_CALLS.has(name) && ts.isIdentifier(callee)) return 'strong';
	if (LABEL_CALLS.has(name)) return 'strong';
	// A valibot check's message (its last argument); not the values of v.picklist/v.literal.
	if (isValibot(call) && direct && call.arguments.length > 0) return 'strong';
	const cls = superClass(call);
	if (cls) {
		const className = cls.name?.text ?? '';
		if (USER_FACING_ERRORS.has(className)) return 'strong';
		const base = cls.heritageClauses?.[0]?.types[0]?.expression.getText() ?? '';
		if (isErrorName(base) || isErrorName(className)) return 'ignore';
	}
	return 'weak';
}

function flags(text: string, verdict: Verdict, codes: ReadonlySet<string>): boolean {
	if (verdict === 'ignore' || codes.has(text)) return false;
	if (verdict === 'strong') return hasLetter(withoutHoles(text)) && !isCode(text);
	return readsLikeWords(text);
}

/**
 * Scans TypeScript (a file, a Svelte script, or one Svelte {expression} when `expression` is
 * set: then what the expression gives is shown to people if `rendered`). `offset` is where the
 * code starts in its file.
 */
export function scanCode(
	code: string,
	offset: number,
	ctx: Context,
	options: { expression?: boolean; rendered?: boolean } = {}
): void {
	const wrapped = options.expression ? `(${code})` : code;
	const shift = options.expression ? offset - 1 : offset;
	const sf = ts.createSourceFile('x.ts', wrapped, ts.ScriptTarget.Latest, true);
	const first = sf.statements[0];
	const root =
		options.expression && options.rendered && first && ts.isExpressionStatement(first)
			? first.expression
			: undefined;
	const visit = (node: ts.Node): void => {
		if (isStringNode(node)) {
			const text = textOf(node, sf).replace(/\s+/g, ' ').trim();
			if (flags(text, judge(node, root), ctx.codes)) {
				ctx.findings.push({ file: ctx.file, line: ctx.lineOf(shift + node.getStart(sf)), text });
			}
			// A template's own words were judged whole; strings inside its ${…} are judged alone.
			if (!ts.isTemplateExpression(node)) return;
		}
		ts.forEachChild(node, visit);
	};
	visit(sf);
}

/**
 * Strings the code uses as codes, not words: values of string-literal types, either side of a
 * comparison or a `case`, and `'…' as const`. Collected over the whole project, because a code
 * is often defined in one file and used in another.
 */
export function collectCodes(code: string, codes: Set<string>): void {
	const sf = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
	const add = (node: ts.Node | undefined) => {
		if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) {
			codes.add(node.text);
		}
	};
	const visit = (node: ts.Node): void => {
		if (ts.isLiteralTypeNode(node)) add(node.literal);
		if (ts.isBinaryExpression(node) && COMPARISONS.has(node.operatorToken.kind)) {
			add(node.left);
			add(node.right);
		}
		if (ts.isCaseClause(node)) add(node.expression);
		if (ts.isAsExpression(node) && node.type.getText(sf) === 'const') add(node.expression);
		ts.forEachChild(node, visit);
	};
	visit(sf);
}

/** The 1-based line of each offset in `source`. */
export function lineFinder(source: string): (offset: number) => number {
	const starts = [0];
	for (let i = 0; i < source.length; i++) if (source[i] === '\n') starts.push(i + 1);
	return (offset) => {
		let lo = 0;
		let hi = starts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (starts[mid]! <= offset) lo = mid;
			else hi = mid - 1;
		}
		return lo + 1;
	};
}
