import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { collabTimings } from '../../src/lib/server/collab/config.ts';
import { createCollabServer } from '../../src/lib/server/collab/server.ts';
import { startAuthServer } from './auth-server.ts';
import {
	appDatabaseUrl,
	applyMigrations,
	bootstrapPlatform,
	collabDatabaseUrl,
	seedIfEmpty
} from './database.ts';
import { startPostgres } from './postgres.ts';

export interface LocalStack {
	/** The settings the app reads, exactly as it would for a hosted Supabase project. */
	env: {
		DATABASE_URL: string;
		SUPABASE_URL: string;
		SUPABASE_ANON_KEY: string;
		SUPABASE_SERVICE_ROLE_KEY: string;
		COLLAB_URL: string;
		COLLAB_TICKET_SECRET: string;
	};
	adminDatabaseUrl: string;
	seeded: boolean;
	stop(): Promise<void>;
}

/**
 * Starts the local parts in order: embedded Postgres (data under `dataDir`), the Supabase
 * platform bootstrap, migrations, the demo seed on an empty database, then the local auth
 * service and the collab server. Stopping reverses the order.
 */
export async function startLocalStack(options: {
	dataDir: string;
	postgresPort: number;
	authPort: number;
	collabPort: number;
	/** Where the app is served: the only Origin the collab server accepts. */
	appOrigin: string;
	seed: boolean;
	log?: (line: string) => void;
}): Promise<LocalStack> {
	const log = options.log ?? (() => {});
	const pg = await startPostgres({
		dataDir: path.join(options.dataDir, 'postgres'),
		port: options.postgresPort
	});
	try {
		await bootstrapPlatform(pg.adminUrl);
		const applied = await applyMigrations(pg.adminUrl);
		for (const file of applied) log(`applied migration ${file}`);
		const seeded = options.seed
			? await seedIfEmpty(pg.adminUrl, collabDatabaseUrl(pg.port))
			: false;
		if (seeded) log('loaded demo data from supabase/seed.sql');
		const auth = await startAuthServer({
			databaseUrl: pg.adminUrl,
			port: options.authPort,
			host: '127.0.0.1',
			keyFile: path.join(options.dataDir, 'auth-signing-key.json')
		});
		// A new ticket secret each start: tickets live for a minute, so none outlives a restart.
		const ticketSecret = randomBytes(32).toString('base64url');
		const collab = createCollabServer({
			// Its own login role: the only one that can write document content.
			databaseUrl: collabDatabaseUrl(pg.port),
			ticketSecret,
			allowedOrigins: [options.appOrigin],
			// The app's SESSION_IDLE_HOURS too, so both judge a session idle at the same moment.
			...collabTimings(),
			log: (event, fields) => log(`[collab] ${event} ${fields ? JSON.stringify(fields) : ''}`)
		});
		const collabPort = await collab.listen(options.collabPort, '127.0.0.1');
		return {
			env: {
				DATABASE_URL: appDatabaseUrl(pg.port),
				SUPABASE_URL: auth.url,
				SUPABASE_ANON_KEY: auth.anonKey,
				SUPABASE_SERVICE_ROLE_KEY: auth.serviceRoleKey,
				COLLAB_URL: `ws://localhost:${collabPort}`,
				COLLAB_TICKET_SECRET: ticketSecret
			},
			adminDatabaseUrl: pg.adminUrl,
			seeded,
			stop: async () => {
				await collab.close();
				await auth.stop();
				await pg.stop();
			}
		};
	} catch (error) {
		await pg.stop();
		throw error;
	}
}
