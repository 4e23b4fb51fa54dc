/**
 * End-to-end tests against the real thing: the production build of the app, started exactly as
 * `npm start` starts it (scripts/local-stack/app.ts), the local stack on a throwaway database
 * with the demo seed, and Debian's Chromium driven by Playwright. Every part binds a free port,
 * so this can run beside `npm start`.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { runCommand } from './support/commands.ts';
import { ensureChromium } from './support/ensure-chromium.ts';
import { freePort } from './support/free-port.ts';
import { makeTempDataDir } from './local-stack/postgres.ts';
import { buildIfStale, startApp } from './local-stack/app.ts';
import { startLocalStack } from './local-stack/stack.ts';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);

const chromium = ensureChromium();
// The same build step as `npm start`: only when the build is missing or older than the sources.
if (!process.env.E2E_SKIP_BUILD) await buildIfStale();

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
let status = 1;
try {
	const app = await startApp({ port: appPort, origin: baseUrl, env: stack.env });
	try {
		status = await runCommand(bin('playwright'), ['test', ...process.argv.slice(2)], {
			...process.env,
			BASE_URL: baseUrl,
			CHROMIUM_PATH: chromium,
			E2E_ADMIN_DATABASE_URL: stack.adminDatabaseUrl,
			// For tests that start a second app process on the same stack (shared state).
			E2E_APP_ENV: JSON.stringify(stack.env)
		});
	} finally {
		await app.stop();
	}
} finally {
	await stack.stop();
	rmSync(path.dirname(dataDir), { recursive: true, force: true });
}
process.exit(status);
