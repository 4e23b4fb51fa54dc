import path from 'node:path';
import { DOCUMENT_ROUTE, readBuild, routeScripts } from '../../bench/page-weight.ts';
import { DEMO, expect, signIn, test } from './support';

const CARE_PLAN = '/documents/00000000-0000-4000-8000-0000000000d1';

/**
 * The scripts a page names: the module preloads SvelteKit sends in its `Link` header (and would
 * put in the HTML of a prerendered page) and the imports of its start script.
 */
function scriptsNamed(html: string, link: string, pageUrl: string): string[] {
	const named = [
		...[...link.matchAll(/<([^>]+)>;\s*rel="modulepreload"/g)].map((m) => m[1]!),
		...[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*>/g)].map(
			(m) => /href="([^"]+)"/.exec(m[0])?.[1] ?? ''
		),
		...[...html.matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1]!)
	];
	return [...new Set(named.filter(Boolean).map((href) => new URL(href, pageUrl).pathname))].sort();
}

test("the document page's HTML names exactly the scripts `npm run bench` weighs for it, and the editor comes after, by itself", async ({
	page,
	baseURL
}) => {
	// What bench/page-weight.ts works out from the build this app is running.
	const manifest = await readBuild(path.resolve(import.meta.dirname, '../../.svelte-kit/output'));
	const route = manifest.routes.find((r) => r.id === DOCUMENT_ROUTE);
	expect(route).toBeDefined();
	const weighed = routeScripts(manifest, route!)
		.map((s) => `/${s}`)
		.sort();

	await signIn(page, DEMO.youngPerson.signIn);
	const pageUrl = new URL(CARE_PLAN, baseURL).href;
	const response = await page.request.get(pageUrl);
	const named = scriptsNamed(await response.text(), response.headers()['link'] ?? '', pageUrl);
	expect(named).toEqual(weighed);

	// Loading the page: the browser fetches the named scripts, then the editor's without being
	// asked, and the editor becomes live with no tap.
	const fetched = new Set<string>();
	page.on('request', (request) => {
		if (request.resourceType() === 'script') fetched.add(new URL(request.url()).pathname);
	});
	await page.goto(CARE_PLAN);
	await expect(page.getByRole('textbox', { name: 'Document text' })).toBeVisible();
	await expect(page.getByRole('status')).toHaveText('Saved');
	const later = [...fetched].filter((s) => !weighed.includes(s));
	expect(later.length, 'the editor arrives in scripts the page did not name').toBeGreaterThan(0);
});
