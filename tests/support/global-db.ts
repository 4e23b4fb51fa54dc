import type { TestProject } from 'vitest/node';
import { createServer } from 'node:net';
import { startPostgres, makeTempDataDir } from '../../scripts/local-stack/postgres.ts';
import {
	appDatabaseUrl,
	applyMigrations,
	bootstrapPlatform
} from '../../scripts/local-stack/database.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Superuser URL: fixtures and assertions only, never the code under test. */
		adminDatabaseUrl: string;
		/** The app's login role (neither owner nor superuser), as the app connects. */
		appDatabaseUrl: string;
	}
}

/** A free loopback port: Postgres needs a number up front, so ask the OS for one. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))
			);
		});
	});
}

/**
 * One real, throwaway Postgres for the db test project, with the platform bootstrap and every
 * migration applied (no demo seed: each test file creates the data it needs).
 */
export default async function setup(project: TestProject) {
	const port = await freePort();
	const pg = await startPostgres({ dataDir: makeTempDataDir(), port });
	await bootstrapPlatform(pg.adminUrl);
	await applyMigrations(pg.adminUrl);
	project.provide('adminDatabaseUrl', pg.adminUrl);
	project.provide('appDatabaseUrl', appDatabaseUrl(port));
	return async () => {
		await pg.stop();
	};
}
