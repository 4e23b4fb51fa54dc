/**
 * How much JavaScript each page makes a phone download before anyone does anything: for every
 * page route, every script its HTML loads or preloads, gzipped at level 9, summed. Worked out
 * from the production build alone (SvelteKit's server manifest and node files), the same way
 * SvelteKit's renderer builds a page's module preloads (sent in its `Link` header, beside the
 * start script's imports in the HTML), so there is no
 * hand-kept list of routes or chunks to fall out of date. Scripts a page imports later (the
 * document page's editor, once the page is up) are not counted: they are not in its HTML.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Bytes in the KB the target is written in: 1000, the stricter reading of "100 KB". */
export const KB = 1000;

/** engineering.md: young people's pages, first-load JS compressed, ≤ 100 KB. */
export const PAGE_SCRIPT_TARGET_KB = 100;

/** The young person's document page, which the target names. */
export const DOCUMENT_ROUTE = '/documents/[id]';

/** What SvelteKit's server manifest says about one route (only what this needs). */
export interface ManifestRoute {
	id: string;
	page: { layouts: (number | undefined)[]; leaf: number } | null;
}

/** What SvelteKit's server manifest says about the app's own scripts. */
export interface BuiltManifest {
	client: { imports: string[] };
	routes: ManifestRoute[];
	/** Each node's `imports`, by node index. */
	nodeImports: string[][];
}

export interface RouteWeight {
	/** How many scripts the page's HTML loads or preloads. */
	scripts: number;
	/** Their size as served, uncompressed, in KB. */
	rawKB: number;
	/** Their size gzipped at level 9, in KB: the figure judged against the target. */
	gzipKB: number;
	/** What the page imports once it is up (laterScripts), gzipped, when it imports anything. */
	later?: { scripts: number; gzipKB: number };
}

export class BuildMissingError extends Error {
	constructor(where: string) {
		super(`No SvelteKit build at ${where}: run \`vite build\` first`);
		this.name = 'BuildMissingError';
	}
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** A node file's `export const imports = [...]`: a JSON array of paths under the client output. */
export function nodeImportsFrom(source: string): string[] {
	const match = /export const imports = (\[[^\]]*\]);/.exec(source);
	if (!match?.[1]) throw new Error('A SvelteKit node file without `export const imports`');
	return JSON.parse(match[1]) as string[];
}

/**
 * The scripts a page route's HTML names, as SvelteKit's renderer (runtime/server/page/render.js)
 * collects them: the client entry's imports, then each layout's and the page's own.
 */
export function routeScripts(manifest: BuiltManifest, route: ManifestRoute): string[] {
	if (!route.page) return [];
	const scripts = new Set(manifest.client.imports);
	const nodes = [...route.page.layouts, route.page.leaf].filter(
		(n): n is number => typeof n === 'number'
	);
	for (const node of nodes) {
		const imports = manifest.nodeImports[node];
		if (!imports) throw new Error(`Route ${route.id} names node ${node}, which the build lacks`);
		for (const script of imports) scripts.add(script);
	}
	return [...scripts];
}

/** Vite's client manifest (.svelte-kit/output/client/.vite/manifest.json), what this needs of it. */
export type ViteManifest = Record<
	string,
	{ file: string; imports?: string[]; dynamicImports?: string[] }
>;

/**
 * The scripts a page fetches after it is up, by `import()` from its own code (the document
 * page's editor): every dynamic import of the page's scripts, with everything those import,
 * less what the page already has. SvelteKit's own entry scripts are left out: their dynamic
 * imports are the other pages, fetched only on going there.
 */
export function laterScripts(vite: ViteManifest, entry: string[], scripts: string[]): string[] {
	const byFile = new Map(Object.values(vite).map((chunk) => [chunk.file, chunk]));
	const have = new Set(scripts);
	const later = new Set<string>();
	const add = (key: string) => {
		const chunk = vite[key];
		if (!chunk || have.has(chunk.file) || later.has(chunk.file)) return;
		later.add(chunk.file);
		for (const imported of chunk.imports ?? []) add(imported);
	};
	for (const script of scripts) {
		if (entry.includes(script)) continue;
		for (const key of byFile.get(script)?.dynamicImports ?? []) add(key);
	}
	return [...later];
}

/** Every page route's weight, from the scripts' bytes (`read` gives a client path's bytes). */
export function weighRoutes(
	manifest: BuiltManifest,
	read: (clientPath: string) => Buffer,
	vite: ViteManifest = {}
): Record<string, RouteWeight> {
	const sizes = new Map<string, { raw: number; gzip: number }>();
	const sizeOf = (script: string) => {
		let size = sizes.get(script);
		if (!size) {
			const bytes = read(script);
			size = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
			sizes.set(script, size);
		}
		return size;
	};
	const weights: Record<string, RouteWeight> = {};
	for (const route of [...manifest.routes].sort((a, b) => a.id.localeCompare(b.id))) {
		if (!route.page) continue;
		const scripts = routeScripts(manifest, route);
		const total = scripts.reduce(
			(sum, s) => {
				const size = sizeOf(s);
				return { raw: sum.raw + size.raw, gzip: sum.gzip + size.gzip };
			},
			{ raw: 0, gzip: 0 }
		);
		const after = laterScripts(vite, manifest.client.imports, scripts);
		const afterGzip = after.reduce((sum, s) => sum + sizeOf(s).gzip, 0);
		weights[route.id] = {
			scripts: scripts.length,
			rawKB: round1(total.raw / KB),
			gzipKB: round1(total.gzip / KB),
			...(after.length > 0
				? { later: { scripts: after.length, gzipKB: round1(afterGzip / KB) } }
				: {})
		};
	}
	return weights;
}

/**
 * Reads the build under `outputDir` (.svelte-kit/output): the server manifest (imported: its
 * nodes and endpoints are lazy imports, so nothing of the app runs) and each node file's
 * `imports` (read as text: importing a node would load its server code).
 */
export async function readBuild(outputDir: string): Promise<BuiltManifest> {
	const manifestFile = path.join(outputDir, 'server/manifest.js');
	let mod: { manifest: { _: { client: { imports: string[] }; routes: ManifestRoute[] } } };
	try {
		mod = (await import(pathToFileURL(manifestFile).href)) as typeof mod;
	} catch {
		throw new BuildMissingError(manifestFile);
	}
	const source = readFileSync(manifestFile, 'utf8');
	const nodeCount = [...source.matchAll(/import\('\.\/nodes\/(\d+)\.js'\)/g)].length;
	const nodeImports = Array.from({ length: nodeCount }, (_, i) =>
		nodeImportsFrom(readFileSync(path.join(outputDir, `server/nodes/${i}.js`), 'utf8'))
	);
	return {
		client: { imports: mod.manifest._.client.imports },
		routes: mod.manifest._.routes.map((r) => ({ id: r.id, page: r.page })),
		nodeImports
	};
}

/** The files that make a folder a page (a page with only a server part, like /sign-out, too). */
const PAGE_FILE = /^\+page(\.server)?\.(svelte|ts|js)$/;

/** The page routes under src/routes, as SvelteKit names them ("(group)" folders left out). */
export function pageRoutesInSource(routesDir: string, files: string[]): string[] {
	const routes = files
		.filter((f) => PAGE_FILE.test(path.basename(f)))
		.map((f) => {
			const parts = path
				.relative(routesDir, path.dirname(f))
				.split(path.sep)
				.filter((p) => p !== '' && !/^\(.*\)$/.test(p));
			return '/' + parts.join('/');
		});
	return [...new Set(routes)].sort((a, b) => a.localeCompare(b));
}
