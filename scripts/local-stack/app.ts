/**
 * The production app, as a council pilots it: the adapter-node build (compressed assets, the
 * CSRF Origin check on), built first when it is missing or older than the sources. `npm start`
 * and the e2e runner both start the app through here, so what the tests exercise is what people
 * run, with the same ORIGIN, BODY_SIZE_LIMIT and headers, and CI builds once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { runCommand } from '../support/commands.ts';

const root = path.resolve(import.meta.dirname, '../..');
const BUILD_ENTRY = path.join(root, 'build/index.js');
/** What the build is made from: any of these newer than the build means building again. */
const SOURCES = [
	'src',
	'static',
	// The message catalogues and how they compile (into src/lib/paraglide, during the build).
	'messages',
	'project.inlang/settings.json',
	'scripts/i18n',
	'svelte.config.js',
	'vite.config.ts',
	'package-lock.json',
	'tsconfig.json'
];

/**
 * As the README's configuration says: above the 5 MB photo limit plus the form around it, so a
 * story photo near the limit reaches the app, which explains any refusal itself.
 */
export const BODY_SIZE_LIMIT = '6M';

function newestChange(target: string): number {
	if (!existsSync(target)) return 0;
	const stat = statSync(target);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(target)) {
		newest = Math.max(newest, newestChange(path.join(target, entry)));
	}
	return newest;
}

/** Is there no build, or is any source newer than it? */
function buildIsStale(): boolean {
	if (!existsSync(BUILD_ENTRY)) return true;
	const built = statSync(BUILD_ENTRY).mtimeMs;
	return SOURCES.some((source) => newestChange(path.join(root, source)) > built);
}

/** Named so a failed build says what failed, not just "exit 1". */
export class BuildFailedError extends Error {
	override name = 'BuildFailedError';
}

/** Builds the production app when the build is missing or stale; says whether it built. */
export async function buildIfStale(log: (line: string) => void = console.log): Promise<boolean> {
	if (!buildIsStale()) return false;
	log('Building the app (vite build) …');
	const status = await runCommand(path.join(root, 'node_modules/.bin/vite'), [
		'build',
		'--logLevel',
		'warn'
	]);
	if (status !== 0) throw new BuildFailedError(`vite build exited with ${status}`);
	return true;
}

export interface RunningApp {
	url: string;
	process: ChildProcess;
	stop(): Promise<void>;
}

/**
 * Starts `node build/index.js` on `port` with the stack's settings and waits until it answers.
 * ORIGIN is the one address people open (SvelteKit checks form posts against it).
 */
export async function startApp(options: {
	port: number;
	origin: string;
	host?: string;
	env: Record<string, string>;
}): Promise<RunningApp> {
	const child = spawn(process.execPath, [BUILD_ENTRY], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'inherit'],
		env: {
			...process.env,
			BODY_SIZE_LIMIT,
			...options.env,
			PORT: String(options.port),
			HOST: options.host ?? '127.0.0.1',
			ORIGIN: options.origin,
			// Opened under another name for this machine, a page says where to go (hooks.server.ts).
			IN_MY_WORDS_EXPLAIN_OTHER_HOSTS: '1'
		}
	});
	// Everything the app prints, but its own "Listening on http://127.0.0.1:…": people are told
	// the one address to open (ORIGIN), and a second, bound address would only confuse.
	createInterface({ input: child.stdout! }).on('line', (line) => {
		if (!/^Listening on /.test(line)) console.log(line);
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
		await exited;
	};
	try {
		await waitForHttp(`${options.origin}/sign-in`, child, 60_000);
	} catch (error) {
		await stop();
		throw error;
	}
	return { url: options.origin, process: child, stop };
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}) on start`);
		try {
			const res = await fetch(url, { redirect: 'manual' });
			if (res.status < 500) return;
		} catch {
			// not listening yet
		}
		await delay(200);
	}
	throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
