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

function pageServerFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((entry) => {
		const full = path.join(dir, entry);
		if (statSync(full).isDirectory()) return pageServerFiles(full);
		return entry === '+page.server.ts' ? [full] : [];
	});
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
	return pageServerFiles(ROUTES).flatMap((file) => {
		const dir = path.relative(ROUTES, path.dirname(file));
		const segments = dir === '' ? [] : dir.split(path.sep);
		const route = '/' + segments.join('/');
		const concrete =
			'/' +
			segments
				.filter((s) => !/^\(.*\)$/.test(s))
				.map((s) => (/^\[.*\]$/.test(s) ? fill(route, s.slice(1, -1)) : s))
				.join('/');
		return actionNames(file).map((name) => ({
			route,
			path: name === 'default' ? concrete : `${concrete}?/${name}`,
			name
		}));
	});
}
