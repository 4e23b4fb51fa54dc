import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
	DOCUMENT_ROUTE,
	laterScripts,
	nodeImportsFrom,
	pageRoutesInSource,
	routeScripts,
	weighRoutes,
	type BuiltManifest
} from './page-weight.ts';
import { evaluateTargets, missLines, type Results } from './targets.ts';

const root = path.join(import.meta.dirname, '..');
const routesDir = path.join(root, 'src/routes');
const latest = () =>
	JSON.parse(readFileSync(path.join(root, 'bench/results/latest.json'), 'utf8')) as Results;

/** A build in miniature: an entry, a root layout, a nested layout and two pages. */
const manifest: BuiltManifest = {
	client: { imports: ['entry/start.js', 'chunks/shared.js', 'entry/app.js'] },
	routes: [
		{ id: '/b', page: { layouts: [0, undefined, 2], leaf: 4 } },
		{ id: '/a', page: { layouts: [0], leaf: 3 } },
		{ id: '/api', page: null }
	],
	nodeImports: [
		['nodes/0.js', 'chunks/shared.js'],
		['nodes/1.js'],
		['nodes/2.js', 'chunks/layout.js'],
		['nodes/3.js', 'chunks/shared.js'],
		['nodes/4.js', 'chunks/big.js', 'chunks/layout.js']
	]
};

const files: Record<string, Buffer> = Object.fromEntries(
	[
		'entry/start.js',
		'chunks/shared.js',
		'entry/app.js',
		'nodes/0.js',
		'nodes/1.js',
		'nodes/2.js',
		'chunks/layout.js',
		'nodes/3.js',
		'nodes/4.js',
		'chunks/big.js'
	].map((name, i) => [name, Buffer.from(`export const x${i} = "${name}";`.repeat(50 * (i + 1)))])
);

describe('page weight', () => {
	it("counts each script a page's HTML names once: the entry's, its layouts' and its own", () => {
		expect(routeScripts(manifest, manifest.routes[0]!)).toEqual([
			'entry/start.js',
			'chunks/shared.js',
			'entry/app.js',
			'nodes/0.js',
			'nodes/2.js',
			'chunks/layout.js',
			'nodes/4.js',
			'chunks/big.js'
		]);
		// Not the error pages', nor other pages'.
		expect(routeScripts(manifest, manifest.routes[1]!)).not.toContain('nodes/1.js');
	});

	it('sums gzip level 9 sizes for every page route (endpoints have no page), in KB of 1000 bytes', () => {
		const weights = weighRoutes(manifest, (s) => files[s]!);
		expect(Object.keys(weights)).toEqual(['/a', '/b']);
		const scripts = routeScripts(manifest, manifest.routes[1]!);
		const gzip = scripts.reduce((n, s) => n + gzipSync(files[s]!, { level: 9 }).length, 0);
		const raw = scripts.reduce((n, s) => n + files[s]!.length, 0);
		expect(weights['/a']).toEqual({
			scripts: 5,
			rawKB: Math.round(raw / 100) / 10,
			gzipKB: Math.round(gzip / 100) / 10
		});
	});

	it('counts apart what a page imports once it is up, and not the other pages', () => {
		const vite = {
			'app.js': { file: 'entry/app.js', dynamicImports: ['node3.js', 'node4.js'] },
			'node3.js': { file: 'nodes/3.js', imports: ['shared.js'], dynamicImports: ['Editor.svelte'] },
			'shared.js': { file: 'chunks/shared.js' },
			'Editor.svelte': { file: 'chunks/editor.js', imports: ['shared.js', 'yjs.js'] },
			'yjs.js': { file: 'chunks/yjs.js' },
			'node4.js': { file: 'nodes/4.js' }
		};
		const scripts = routeScripts(manifest, manifest.routes[1]!);
		expect(laterScripts(vite, manifest.client.imports, scripts)).toEqual([
			'chunks/editor.js',
			'chunks/yjs.js'
		]);
		const weights = weighRoutes(manifest, (s) => files[s] ?? Buffer.from(s.repeat(100)), vite);
		expect(weights['/a']?.later).toEqual({
			scripts: 2,
			gzipKB:
				Math.round(
					['chunks/editor.js', 'chunks/yjs.js'].reduce(
						(n, s) => n + gzipSync(Buffer.from(s.repeat(100)), { level: 9 }).length,
						0
					) / 100
				) / 10
		});
		expect(weights['/b']?.later).toBeUndefined();
	});

	it("reads a node's imports as SvelteKit writes them, and refuses a node file without", () => {
		const source =
			'export const index = 5;\nexport const imports = ["_app/immutable/nodes/5.js","_app/immutable/chunks/a.js"];\nexport const stylesheets = [];';
		expect(nodeImportsFrom(source)).toEqual([
			'_app/immutable/nodes/5.js',
			'_app/immutable/chunks/a.js'
		]);
		expect(() => nodeImportsFrom('export const index = 5;')).toThrow(/imports/);
	});

	it('names routes as SvelteKit does, leaving (group) folders out', () => {
		expect(
			pageRoutesInSource('/r', [
				'/r/+page.svelte',
				'/r/(app)/home/+page.svelte',
				'/r/documents/[id]/+page.svelte',
				'/r/documents/[id]/+page.server.ts',
				'/r/documents/[id]/photos/[photoId]/+server.ts',
				'/r/documents/[id]/+layout.svelte',
				'/r/sign-out/+page.server.ts',
				'/r/+page.test.ts'
			])
		).toEqual(['/', '/documents/[id]', '/home', '/sign-out']);
	});

	it('was recorded in latest.json for exactly the page routes in src/routes (run `npm run bench page-weight` after adding one)', () => {
		const all = readdirSync(routesDir, { recursive: true, encoding: 'utf8' }).map((f) =>
			path.join(routesDir, f)
		);
		const inSource = pageRoutesInSource(routesDir, all);
		expect(inSource).toContain(DOCUMENT_ROUTE);
		const figures = latest().benchmarks['page-weight']?.figures as
			{ routes?: Record<string, unknown> } | undefined;
		expect(Object.keys(figures?.routes ?? {}).sort((a, b) => a.localeCompare(b))).toEqual(inSource);
		// Every route is judged against the target, the document page first.
		const judged = latest().targets.filter((t) => t.source === 'page-weight');
		expect(judged).toHaveLength(inSource.length);
		expect(judged[0]?.what).toContain(DOCUMENT_ROUTE);
	});

	it('shows a page over 100 KB as a miss', () => {
		const run = (routes: Record<string, unknown>) => ({
			ranAt: '2026-12-05T10:00:00.000Z',
			seconds: 1,
			figures: { routes }
		});
		const targets = evaluateTargets({
			'page-weight': run({ '/a': { gzipKB: 40 }, [DOCUMENT_ROUTE]: { gzipKB: 178.2 } })
		});
		const pages = targets.filter((t) => t.source === 'page-weight');
		expect(pages.map((t) => [t.what, t.met])).toEqual([
			[`young-person pages, first-load JS (gzip -9): the document page, ${DOCUMENT_ROUTE}`, false],
			['first-load JS (gzip -9): /a', true]
		]);
		expect(missLines(targets)).toContain(
			`MISS: young-person pages, first-load JS (gzip -9): the document page, ${DOCUMENT_ROUTE}: 178.2 KB (target ≤ 100 KB)`
		);
	});
});
