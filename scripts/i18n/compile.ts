/**
 * `npm run check` runs this first: svelte-check and tsc run no Vite plugins, so on a clean clone
 * the generated `$lib/paraglide` would not exist yet. Same options and same guard as the build.
 * Files whose content would not change are left alone (as the Vite plugin does), so a check does
 * not make the build look stale or pull files from under a running dev server.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compile } from '@inlang/paraglide-js';
import { assertInlangProjectLoads, PARAGLIDE_OPTIONS } from './paraglide.ts';

/** The generated files' hashes, as Paraglide's writeOutput computes them (content + full path). */
function outputHashes(outdir: string): Record<string, string> | undefined {
	const root = path.resolve(outdir);
	const hashes: Record<string, string> = {};
	let entries;
	try {
		entries = readdirSync(root, { recursive: true, withFileTypes: true });
	} catch {
		return undefined;
	}
	for (const entry of entries) {
		if (!entry.isFile()) continue;
		const full = path.join(entry.parentPath, entry.name);
		const relative = path.relative(root, full).split(path.sep).join('/');
		hashes[relative] = createHash('sha256')
			.update(readFileSync(full, 'utf8') + full)
			.digest('hex');
	}
	return hashes;
}

await assertInlangProjectLoads();
const previous = outputHashes(PARAGLIDE_OPTIONS.outdir);
await compile({
	...PARAGLIDE_OPTIONS,
	strategy: [...PARAGLIDE_OPTIONS.strategy],
	previousCompilation: previous ? { outputHashes: previous } : undefined,
	// Only what changed is written; wiping the directory would leave it with only those.
	cleanOutdir: false
});
