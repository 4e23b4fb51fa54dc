import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { config } from '$lib/server/config';
import type { Database } from './schema';

export type Tx = Transaction<Database>;

/** Claims from a verified access token; `sub` is the person, `role` must be `authenticated`. */
export interface VerifiedClaims {
	sub: string;
	role: string;
	[claim: string]: unknown;
}

let shared: Kysely<Database> | undefined;

/** Builds a Kysely instance over a pg pool. Tests build their own against their own database. */
export function createDb(connectionString: string, max = 10): Kysely<Database> {
	const pool = new pg.Pool({ connectionString, max });
	// An idle connection dropped by the server (restart, failover) must not crash the app: the
	// pool replaces it on next use. Without this listener pg re-throws it as an uncaught error.
	pool.on('error', (error) => console.error('database connection lost:', error.message));
	return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** The app's pool, made on first use from DATABASE_URL (the app's login role, never an owner). */
export function appDb(): Kysely<Database> {
	shared ??= createDb(config.databaseUrl());
	return shared;
}

/**
 * Runs `work` in one transaction as role `authenticated` with the verified claims, exactly as
 * PostgREST does, so every query is subject to RLS. Use the `tx` it passes for every query.
 */
export function asUser<T>(
	db: Kysely<Database>,
	claims: VerifiedClaims,
	work: (tx: Tx) => Promise<T>
): Promise<T> {
	if (claims.role !== 'authenticated') {
		throw new Error(`Refusing to run queries for a token with role "${claims.role}"`);
	}
	return db.transaction().execute(async (tx) => {
		await sql`select set_config('role', 'authenticated', true),
			set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`.execute(tx);
		return work(tx);
	});
}

/**
 * Runs `work` as `anon` (no claims): for the few public pages that read data. RLS still applies
 * and anon holds almost no grants.
 */
export function asAnon<T>(db: Kysely<Database>, work: (tx: Tx) => Promise<T>): Promise<T> {
	return db.transaction().execute(async (tx) => {
		await sql`select set_config('role', 'anon', true)`.execute(tx);
		return work(tx);
	});
}
