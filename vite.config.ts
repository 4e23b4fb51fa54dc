import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { catalogues } from './scripts/i18n/paraglide.ts';

/**
 * With TEST_CANARY set (by `npm test`'s canary gate, to a marker path), each project runs only
 * its deliberately failing fixture in tests/canary, under this same config and global setup, to
 * prove the gate can fail. Nothing matches `.canary.ts` otherwise.
 */
const canary = Boolean(process.env.TEST_CANARY);
const tests = (real: string[], fixture: string) => (canary ? [fixture] : real);

export default defineConfig({
	plugins: [
		// Catalogues (messages/*.json) compile to $lib/paraglide on every build, dev start and test
		// run; the guard stops all three when a plugin or catalogue does not load (see README).
		...catalogues(),
		sveltekit()
	],
	server: { fs: { allow: ['supabase'] } },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: tests(['src/**/*.test.ts', 'bench/**/*.test.ts'], 'tests/canary/unit.canary.ts'),
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'db',
					include: tests(
						[
							'tests/db/**/*.test.ts',
							'tests/auth/**/*.test.ts',
							'tests/stack/**/*.test.ts',
							'tests/collab/**/*.test.ts'
						],
						'tests/canary/db.canary.ts'
					),
					environment: 'node',
					globalSetup: ['tests/support/global-db.ts'],
					// One real Postgres for the whole run; files run one after another so the
					// 2-core CI machine is not oversubscribed and each file owns its data.
					fileParallelism: false,
					// Limits say when waiting is hopeless, not how fast things must be: generous
					// enough for a loaded 2-core machine (npm run test:loaded), where the RLS
					// mutation tests take minutes and a timed-out test's work would keep running
					// under the next one. Tests wait for states with expect.poll.
					testTimeout: 300_000,
					hookTimeout: 300_000,
					expect: { poll: { timeout: 60_000, interval: 50 } }
				}
			}
		]
	}
});
