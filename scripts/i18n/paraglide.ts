/**
 * How the message catalogues (messages/{locale}.json) become `$lib/paraglide`: one set of Paraglide
 * options shared by the Vite plugin (build, dev, vitest) and `npm run check` (scripts/i18n/compile.ts,
 * which runs before svelte-check, since svelte-check runs no Vite plugins).
 *
 * Paraglide only *warns* when a plugin in project.inlang/settings.json does not load: the build
 * would then go on with no messages at all. Plugins are loaded from node_modules (never a CDN:
 * there is no internet here or in CI), and `assertInlangProjectLoads` makes any project error —
 * a plugin that did not load above all — stop the build with the reason.
 */
import fs from 'node:fs';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { loadProjectFromDirectory } from '@inlang/sdk';
import type { Plugin } from 'vite';

export const PARAGLIDE_OPTIONS = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	// The locale is decided per request on the server (src/hooks.server.ts) and read back from
	// <html lang> in the browser (src/hooks.client.ts), both through overwriteGetLocale; this is
	// only the fallback anywhere else (unit tests, scripts).
	strategy: ['baseLocale'],
	// Our own AsyncLocalStorage holds the request's locale (src/lib/server/i18n.ts).
	disableAsyncLocalStorage: true,
	// One module per message in dev, test, check and build alike, so pages only ship the
	// messages they use, and what svelte-check sees is what the build makes.
	outputStructure: 'message-modules',
	emitTsDeclarations: false,
	emitReadme: false,
	// What Paraglide's Vite plugin uses; said here too so that the check's compile writes exactly
	// what the build writes (and leaves those files untouched).
	isServer: "import.meta.env?.SSR ?? typeof window === 'undefined'"
} as const;

export class InlangProjectError extends Error {
	constructor(problems: readonly unknown[]) {
		super(
			'The message catalogues could not be loaded (project.inlang/settings.json):\n' +
				problems.map((p) => `  - ${p instanceof Error ? p.message : String(p)}`).join('\n')
		);
		this.name = 'InlangProjectError';
	}
}

/**
 * Loads the inlang project as Paraglide does and throws unless every plugin loaded and the
 * project reports no error (a missing plugin, a catalogue that does not parse).
 */
export async function assertInlangProjectLoads(projectPath = PARAGLIDE_OPTIONS.project) {
	const project = await loadProjectFromDirectory({ path: projectPath, fs });
	try {
		const problems: unknown[] = [...(await project.errors.get())];
		const settings = await project.settings.get();
		const plugins = await project.plugins.get();
		const modules = settings.modules ?? [];
		if (plugins.length < modules.length) {
			problems.push(`${modules.length} plugin(s) listed, ${plugins.length} loaded`);
		}
		const bundles = await project.db.selectFrom('bundle').select('id').execute();
		if (bundles.length === 0) problems.push('no messages were found');
		if (problems.length > 0) throw new InlangProjectError(problems);
	} finally {
		await project.close();
	}
}

/**
 * The catalogues for Vite (build, dev, vitest): a guard that fails when a plugin or catalogue
 * does not load, then Paraglide's own Vite plugin, which compiles them to `$lib/paraglide`.
 */
export function catalogues(): Plugin[] {
	const guard: Plugin = {
		name: 'in-my-words:inlang-guard',
		enforce: 'pre',
		buildStart: () => assertInlangProjectLoads()
	};
	const paraglide = paraglideVitePlugin({
		...PARAGLIDE_OPTIONS,
		strategy: [...PARAGLIDE_OPTIONS.strategy]
	});
	return [guard, ...(Array.isArray(paraglide) ? paraglide : [paraglide])];
}
