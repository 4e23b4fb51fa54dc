import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** A form action found in src/routes: its route, a path that reaches it, and its name. */
export interface FormAction {
	/** The route id as SvelteKit names it, e.g. `/documents/[id]/versions`. */
	route: string;
	/** A concrete path for that route (parameters filled with a well-formed id). */
	path: string;
	/** `default` or the named action (`?/name`). */
	name: string;
}

const ROUTES = path.resolve(import.meta.dirname, '../../src/routes');
/** A well-formed id that names nothing. */
const SAMPLE_PARAM = '00000000-0000-4000-8000-00000000ffff';

function routeFiles(dir: string, name: string): string[] {
	return readdirSync(dir).flatMap((entry) => {
		const full = path.join(dir, entry);
		if (statSync(full).isDirectory()) return routeFiles(full, name);
		return entry === name ? [full] : [];
	});
}

/** Names a module exports (`export const x`, `export function x`, `export { x }`), from its syntax tree. */
function exportedNames(file: string): string[] {
	const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
	const names: string[] = [];
	for (const statement of source.statements) {
		const exported = ts.canHaveModifiers(statement)
			? ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
			: false;
		if (ts.isVariableStatement(statement) && exported) {
			for (const d of statement.declarationList.declarations) {
				if (ts.isIdentifier(d.name)) names.push(d.name.text);
			}
		} else if (ts.isFunctionDeclaration(statement) && exported && statement.name) {
			names.push(statement.name.text);
		} else if (ts.isExportDeclaration(statement) && statement.exportClause) {
			if (ts.isNamedExports(statement.exportClause)) {
				for (const e of statement.exportClause.elements) names.push(e.name.text);
			}
		}
	}
	return names;
}

/** A route directory as SvelteKit names it, and a concrete path to it with parameters filled. */
function routeOf(file: string, fill: (route: string, param: string) => string) {
	const dir = path.relative(ROUTES, path.dirname(file));
	const segments = dir === '' ? [] : dir.split(path.sep);
	const route = '/' + segments.join('/');
	const concrete =
		'/' +
		segments
			.filter((s) => !/^\(.*\)$/.test(s))
			.map((s) => (/^\[.*\]$/.test(s) ? fill(route, s.slice(1, -1)) : s))
			.join('/');
	return { route, concrete };
}

/** The property names of `export const actions = { … }` in one file, read from its syntax tree. */
function actionNames(file: string): string[] {
	const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
	const names: string[] = [];
	for (const statement of source.statements) {
		if (!ts.isVariableStatement(statement)) continue;
		const exported = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
		if (!exported) continue;
		for (const declaration of statement.declarationList.declarations) {
			if (!ts.isIdentifier(declaration.name) || declaration.name.text !== 'actions') continue;
			let init = declaration.initializer;
			while (init && (ts.isSatisfiesExpression(init) || ts.isAsExpression(init))) {
				init = init.expression;
			}
			if (!init || !ts.isObjectLiteralExpression(init)) {
				throw new Error(`${file}: actions is not an object literal; teach this finder its shape`);
			}
			for (const property of init.properties) {
				const name = property.name;
				if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name))) names.push(name.text);
				// A spread or a computed name would be an action nobody here tests: say so.
				else throw new Error(`${file}: an action this finder cannot name; teach it the shape`);
			}
		}
	}
	return names;
}

/**
 * Every form action under src/routes, found from the source, so a new action is covered by the
 * tests that use this without anyone editing them. `fill` gives a value for a route parameter
 * (e.g. a real document's id); by default any well-formed id.
 */
export function findFormActions(
	fill: (route: string, param: string) => string = () => SAMPLE_PARAM
): FormAction[] {
	return routeFiles(ROUTES, '+page.server.ts').flatMap((file) => {
		const { route, concrete } = routeOf(file, fill);
		return actionNames(file).map((name) => ({
			route,
			path: name === 'default' ? concrete : `${concrete}?/${name}`,
			name
		}));
	});
}

/** An endpoint (`+server.ts`) found in src/routes, and the HTTP methods it answers. */
export interface Endpoint {
	route: string;
	path: string;
	methods: string[];
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'fallback']);

/** Every endpoint under src/routes, found from the source as the form actions are. */
export function findEndpoints(
	fill: (route: string, param: string) => string = () => SAMPLE_PARAM
): Endpoint[] {
	return routeFiles(ROUTES, '+server.ts').map((file) => {
		const { route, concrete } = routeOf(file, fill);
		return { route, path: concrete, methods: exportedNames(file).filter((n) => METHODS.has(n)) };
	});
}

/**
 * What the production build says it serves, from its own output (the e2e runner builds before
 * the tests run): the routes whose server module exports `actions`, and the endpoint routes. A
 * finder that missed a route (a new file shape, say) would find fewer than these.
 */
export function builtRoutes(): { withActions: number; endpoints: number } {
	const entries = path.resolve(import.meta.dirname, '../../.svelte-kit/output/server/entries');
	const pages = routeFiles(path.join(entries, 'pages'), '_page.server.ts.js');
	const withActions = pages.filter((file) => exportedNames(file).includes('actions')).length;
	const endpoints = routeFiles(path.join(entries, 'endpoints'), '_server.ts.js').length;
	return { withActions, endpoints };
}
