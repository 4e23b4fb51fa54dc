import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { fs: { allow: ['supabase'] } },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'db',
					include: [
						'tests/db/**/*.test.ts',
						'tests/auth/**/*.test.ts',
						'tests/stack/**/*.test.ts',
						'tests/collab/**/*.test.ts'
					],
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
