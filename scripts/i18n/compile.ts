/**
 * `npm run check` runs this first: svelte-check and tsc run no Vite plugins, so on a clean clone
 * the generated `$lib/paraglide` would not exist yet. Same options and same guard as the build.
 */
import { compile } from '@inlang/paraglide-js';
import {
	assertInlangProjectLoads,
	PARAGLIDE_OPTIONS,
	withoutLingeringTimers
} from './paraglide.ts';

await withoutLingeringTimers(async () => {
	await assertInlangProjectLoads();
	await compile({ ...PARAGLIDE_OPTIONS, strategy: [...PARAGLIDE_OPTIONS.strategy] });
});
