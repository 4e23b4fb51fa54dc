/**
 * Page weight (issue 16): for every page route, the JavaScript its HTML loads or preloads,
 * gzipped at level 9 (bench/page-weight.ts), from the production build (built first when it is
 * missing or older than the sources). Judged against engineering.md's ≤ 100 KB for young
 * people's pages, the document page included, in bench/targets.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildIfStale } from '../scripts/local-stack/app.ts';
import {
	DOCUMENT_ROUTE,
	KB,
	PAGE_SCRIPT_TARGET_KB,
	readBuild,
	weighRoutes,
	type ViteManifest
} from './page-weight.ts';

const root = path.resolve(import.meta.dirname, '..');
const output = path.join(root, '.svelte-kit/output');

export default async function pageWeight() {
	await buildIfStale((line) => console.error(line));
	const manifest = await readBuild(output);
	const vite = JSON.parse(
		readFileSync(path.join(output, 'client/.vite/manifest.json'), 'utf8')
	) as ViteManifest;
	const routes = weighRoutes(
		manifest,
		(script) => readFileSync(path.join(output, 'client', script)),
		vite
	);
	const document = routes[DOCUMENT_ROUTE];
	if (!document) throw new Error(`The build has no ${DOCUMENT_ROUTE} page`);
	return {
		how: `every script a page's HTML loads or preloads, gzip level 9, 1 KB = ${KB} bytes`,
		targetKB: PAGE_SCRIPT_TARGET_KB,
		documentPageGzipKB: document.gzipKB,
		// The editor, fetched once the document page is up (not counted against the target).
		documentPageEditorGzipKB: document.later?.gzipKB ?? 0,
		routes
	};
}
