import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

/**
 * With TEST_CANARY set (by `npm test`'s canary gate, to a marker path), each project runs only
 * its deliberately failing fixture in tests/canary, under this same config and global setup, to
 * prove the gate can fail. Nothing matches `.canary.ts` otherwise.
 */
const canary = Boolean(process.env.TEST_CANARY);
const tests = (real: string[], fixture: string) => (canary ? [fixture] : real);

export default defineConfig({
	plugins: [sveltekit()],
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
					testTimeout: 30_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
