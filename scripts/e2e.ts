/**
 * End-to-end tests against the real thing: the production build of the app (adapter-node), the
 * local stack on a throwaway database with the demo seed, and Debian's Chromium driven by
 * Playwright. Every part binds a free port, so this can run beside `npm start`.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ensureChromium } from './support/ensure-chromium.ts';
import { freePort } from './support/free-port.ts';
import { makeTempDataDir } from './local-stack/postgres.ts';
import { startLocalStack } from './local-stack/stack.ts';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);

/** Runs a command, keeping this process's event loop free (the auth service runs in it). */
function runAsync(
	cmd: string,
	args: string[],
	env: NodeJS.ProcessEnv = process.env
): Promise<number> {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { stdio: 'inherit', cwd: root, env });
		child.once('error', reject);
		child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
	});
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
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

const chromium = ensureChromium();
if (
	!process.env.E2E_SKIP_BUILD &&
	(await runAsync(bin('vite'), ['build', '--logLevel', 'warn'])) !== 0
) {
	process.exit(1);
}

const dataDir = makeTempDataDir('in-my-words-e2e-');
const appPort = await freePort();
const baseUrl = `http://localhost:${appPort}`;
const stack = await startLocalStack({
	dataDir,
	postgresPort: await freePort(),
	authPort: 0,
	collabPort: 0,
	appOrigin: baseUrl,
	seed: true
});
const app = spawn(process.execPath, [path.join(root, 'build/index.js')], {
	cwd: root,
	stdio: ['ignore', 'inherit', 'inherit'],
	env: {
		...process.env,
		...stack.env,
		PORT: String(appPort),
		HOST: '127.0.0.1',
		ORIGIN: baseUrl,
		// As the README's configuration says: above the 5 MB photo limit plus the form around it,
		// so a story photo near the limit reaches the app, which explains any refusal itself.
		BODY_SIZE_LIMIT: '6M'
	}
});

let status = 1;
try {
	await waitForHttp(`${baseUrl}/sign-in`, 30_000);
	status = await runAsync(bin('playwright'), ['test', ...process.argv.slice(2)], {
		...process.env,
		BASE_URL: baseUrl,
		CHROMIUM_PATH: chromium,
		E2E_ADMIN_DATABASE_URL: stack.adminDatabaseUrl
	});
} finally {
	const exited = new Promise((resolve) => app.once('exit', resolve));
	app.kill('SIGTERM');
	await exited;
	await stack.stop();
	rmSync(path.dirname(dataDir), { recursive: true, force: true });
}
process.exit(status);
