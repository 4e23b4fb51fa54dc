import { defineConfig, devices } from '@playwright/test';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Run through `npm run test:e2e` (scripts/e2e.ts), which builds the app, starts the stack on
 * free ports and sets BASE_URL. Flags keep Debian's Chromium from reaching for the network.
 */
export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 2,
	retries: 0,
	forbidOnly: true,
	reporter: process.env.CI ? [['list']] : [['list']],
	timeout: 60_000,
	expect: { timeout: 10_000 },
	use: {
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
			use: { ...devices['Pixel 5'], viewport: { width: 360, height: 740 }, browserName: 'chromium' }
		},
		{
			name: 'desktop',
			use: { ...devices['Desktop Chrome'], browserName: 'chromium' },
			testMatch: /desktop\..*\.test\.ts|a11y\.test\.ts/
		}
	]
});
