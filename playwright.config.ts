import { defineConfig, devices } from '@playwright/test';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** `npm test`'s canary gate: run only the deliberately failing fixture (see vite.config.ts). */
const canary = Boolean(process.env.TEST_CANARY);

/**
 * Run through `npm run test:e2e` (scripts/e2e.ts), which builds the app, starts the stack on
 * free ports and sets BASE_URL. Flags keep Debian's Chromium from reaching for the network.
 */
export default defineConfig({
	testDir: canary ? 'tests/canary' : 'tests/e2e',
	testMatch: canary ? 'e2e.canary.ts' : undefined,
	fullyParallel: false,
	workers: 2,
	retries: 0,
	forbidOnly: true,
	reporter: process.env.CI ? [['list']] : [['list']],
	// Every limit lives here and none is below 30 s: the suite must pass on a loaded 2-core
	// machine, so tests wait for conditions, and these limits only say when waiting is hopeless.
	timeout: 240_000,
	expect: { timeout: 30_000 },
	use: {
		actionTimeout: 30_000,
		navigationTimeout: 30_000,
		baseURL: process.env.BASE_URL ?? 'http://localhost:5173',
		trace: 'off',
		launchOptions: {
			executablePath: chromium,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--disable-dev-shm-usage'
			]
		}
	},
	projects: [
		{
			name: 'phone',
			use: {
				...devices['Pixel 5'],
				viewport: { width: 360, height: 740 },
				browserName: 'chromium'
			},
			testIgnore: /\.last\.test\.ts/
		},
		{
			name: 'desktop',
			use: { ...devices['Desktop Chrome'], browserName: 'chromium' },
			testMatch: /desktop\..*\.test\.ts|a11y\.test\.ts/
		},
		{
			// Tests that compare the whole database before and after: alone, after all the others.
			name: 'last',
			use: { ...devices['Desktop Chrome'], browserName: 'chromium' },
			testMatch: /\.last\.test\.ts/,
			dependencies: ['phone', 'desktop'],
			// One at a time: each compares the database before and after its own requests.
			workers: 1
		}
	]
});
