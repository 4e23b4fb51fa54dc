import type { TestProject } from 'vitest/node';
import type {} from 'vitest';
import { startPostgres, makeTempDataDir } from '../../scripts/local-stack/postgres.ts';
import { freePort } from '../../scripts/support/free-port.ts';
import {
	appDatabaseUrl,
	applyMigrations,
	bootstrapPlatform,
	collabDatabaseUrl
} from '../../scripts/local-stack/database.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Superuser URL: fixtures and assertions only, never the code under test. */
		adminDatabaseUrl: string;
		/** The app's login role (neither owner nor superuser), as the app connects. */
		appDatabaseUrl: string;
		/** The collab service's own login role, the only one that writes document content. */
		collabDatabaseUrl: string;
	}
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
	project.provide('collabDatabaseUrl', collabDatabaseUrl(port));
	return async () => {
		await pg.stop();
	};
}
