import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { AuthHttpError } from './auth/errors.ts';
import { sendError, sendJson, setCorsHeaders } from './auth/http.ts';
import { loadOrCreateSigningKey, signJwt, verifyJwt, type SigningKey } from './auth/keys.ts';
import { route } from './auth/routes.ts';
import type { AuthContext } from './auth/sessions.ts';

/** A running local auth server and the project keys clients must present. */
export interface AuthServer {
	/** Base URL for `createClient(url, key)`, e.g. `http://127.0.0.1:54321`; auth is under /auth/v1. */
	url: string;
	/** Public project key (role `anon`), like Supabase's legacy anon key. */
	anonKey: string;
	/** Secret project key (role `service_role`): unlocks the admin API. Server-side only. */
	serviceRoleKey: string;
	stop(): Promise<void>;
}

export interface AuthServerOptions {
	/** Superuser URL (the auth server owns the auth schema, like GoTrue's supabase_auth_admin). */
	databaseUrl: string;
	/** 0 (the default) lets the OS pick a free port. */
	port?: number;
	/** Interface to bind; loopback by default so the local stack is never exposed. */
	host?: string;
	/** Keep the ES256 private JWK here (created if missing) so tokens survive restarts. */
	keyFile?: string;
	/** Access token lifetime; Supabase's default is 3600. */
	accessTokenTtlSeconds?: number;
	/** Where links send people back to; `redirect_to` must share its origin. */
	siteUrl?: string;
	/**
	 * How long a rotated refresh token may still be exchanged (GoTrue's
	 * `REFRESH_TOKEN_REUSE_INTERVAL`, 10 s on Supabase). After it, reuse revokes the session.
	 */
	refreshTokenReuseIntervalSeconds?: number;
	/** Where unexpected failures are reported; never given bodies, headers or tokens. */
	log?: (message: string) => void;
	/**
	 * Password sign-ins allowed per client address in a window, answered past that with 429
	 * `over_request_rate_limit` as Supabase Auth does (its default is 30 per 5 minutes). Off when
	 * not given: the app signs everyone in from its own address, and keeps its own per-account and
	 * per-address throttle in Postgres (src/lib/server/auth/throttle.ts).
	 */
	signInRateLimit?: { max: number; windowSeconds: number };
}

const PREFIX = '/auth/v1';
const PROJECT_KEY_ROLES = new Set(['anon', 'service_role']);
/** Supabase's legacy project keys are valid for ten years. */
const PROJECT_KEY_TTL_SECONDS = 10 * 365 * 24 * 60 * 60;

function positiveInteger(name: string, value: number, allowZero = false): number {
	if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
		throw new RangeError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer`);
	}
	return value;
}

/**
 * Counts per client address in a sliding window. In memory: the stand-in is one process by
 * construction (one per local stack), unlike the app, whose throttle lives in Postgres.
 */
function slidingWindow(limit: { max: number; windowSeconds: number }) {
	const seen = new Map<string, number[]>();
	return {
		allow(address: string): boolean {
			const now = Date.now();
			const recent = (seen.get(address) ?? []).filter((t) => now - t < limit.windowSeconds * 1000);
			if (recent.length >= limit.max) {
				seen.set(address, recent);
				return false;
			}
			recent.push(now);
			seen.set(address, recent);
			return true;
		}
	};
}

function urlHost(host: string): string {
	if (host === '0.0.0.0') return '127.0.0.1';
	if (host === '::') return '[::1]';
	return host.includes(':') ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(server.address() as AddressInfo);
		});
	});
}

async function projectKey(key: SigningKey, role: 'anon' | 'service_role'): Promise<string> {
	const iat = Math.floor(Date.now() / 1000);
	return signJwt(key, {
		iss: 'supabase',
		ref: 'local',
		role,
		iat,
		exp: iat + PROJECT_KEY_TTL_SECONDS
	});
}

/**
 * Like Supabase's gateway, every request needs a project key in `apikey`. Besides the two keys
 * of this run, any project key signed by the same key is accepted, so keys handed out before a
 * restart with the same key file keep working.
 */
async function requireApiKey(
	key: SigningKey,
	keys: readonly string[],
	req: IncomingMessage
): Promise<void> {
	const apikey = req.headers.apikey;
	if (typeof apikey !== 'string' || apikey === '') {
		throw new AuthHttpError(401, 'no_api_key', 'No API key found in request');
	}
	if (keys.includes(apikey)) return;
	const invalid = new AuthHttpError(401, 'invalid_api_key', 'Invalid API key');
	const claims = await verifyJwt(key, apikey).catch(() => {
		throw invalid;
	});
	if (typeof claims.role !== 'string' || !PROJECT_KEY_ROLES.has(claims.role)) throw invalid;
}

async function handle(
	ctx: AuthContext,
	keys: readonly string[],
	log: (message: string) => void,
	req: IncomingMessage,
	res: ServerResponse
): Promise<void> {
	setCorsHeaders(res);
	let path = '';
	try {
		// Browsers send preflights without our headers; they carry no data, so always allow them.
		if (req.method === 'OPTIONS') {
			res.statusCode = 204;
			res.end();
			return;
		}
		let url: URL;
		try {
			url = new URL(`http://localhost${req.url ?? '/'}`);
		} catch {
			throw new AuthHttpError(400, 'validation_failed', 'Malformed request URL');
		}
		if (!url.pathname.startsWith(`${PREFIX}/`))
			throw new AuthHttpError(404, 'not_found', 'Not found');
		path = url.pathname.slice(PREFIX.length);
		// The key set is public by design (Supabase serves it without a project key).
		if (path !== '/.well-known/jwks.json') await requireApiKey(ctx.key, keys, req);
		const reply = await route(ctx, req, url, path);
		if (reply.status === 204) {
			res.statusCode = 204;
			res.setHeader('Cache-Control', 'no-store');
			res.end();
		} else {
			sendJson(res, reply.status, reply.body);
		}
	} catch (error) {
		if (res.headersSent) {
			res.destroy();
			return;
		}
		if (error instanceof AuthHttpError) {
			sendError(res, error);
			return;
		}
		// Only the method, path and error: request bodies and headers hold passwords and tokens.
		log(`[auth] ${req.method} ${path || '?'} failed: ${(error as Error).stack ?? String(error)}`);
		sendError(
			res,
			new AuthHttpError(
				500,
				'unexpected_failure',
				'Unexpected failure, please check server logs for more information'
			)
		);
	}
}

/**
 * Starts a local stand-in for Supabase Auth (GoTrue) serving exactly what supabase-js calls for
 * our flows: password sign-in, refresh, user, logout, invite links and their verification, and the
 * JWKS. Tokens are ES256 and shaped like Supabase's, so the app verifies them the same way here
 * and in production. All state is in Postgres (`auth.*`) and, optionally, the key file.
 */
export async function startAuthServer(options: AuthServerOptions): Promise<AuthServer> {
	const host = options.host ?? '127.0.0.1';
	const accessTokenTtlSeconds = positiveInteger(
		'accessTokenTtlSeconds',
		options.accessTokenTtlSeconds ?? 3600
	);
	const refreshTokenReuseIntervalSeconds = positiveInteger(
		'refreshTokenReuseIntervalSeconds',
		options.refreshTokenReuseIntervalSeconds ?? 10,
		true
	);
	const log = options.log ?? ((message: string) => console.error(message));
	const key = await loadOrCreateSigningKey(options.keyFile);

	const pool = new pg.Pool({
		connectionString: options.databaseUrl,
		max: 5,
		application_name: 'in-my-words-local-auth'
	});
	// An idle connection dropped by Postgres must not take the process down with it.
	pool.on('error', (error) => {
		// 57P01: Postgres is shutting down (Ctrl-C reaches it too); expected, not worth a line.
		if ((error as { code?: string }).code === '57P01') return;
		log(`[auth] idle database connection failed: ${error.message}`);
	});
	const anonKey = await projectKey(key, 'anon');
	const serviceRoleKey = await projectKey(key, 'service_role');
	const keys = [anonKey, serviceRoleKey];
	// The issuer needs the bound port, so the context exists only once listening; the guard
	// answers anything that could arrive before that instead of leaving it hanging.
	let ctx: AuthContext | undefined;
	const server = createServer((req, res) => {
		if (!ctx) {
			setCorsHeaders(res);
			sendError(res, new AuthHttpError(503, 'unexpected_failure', 'Auth server is starting'));
			return;
		}
		handle(ctx, keys, log, req, res).catch((error: unknown) =>
			log(`[auth] response failed: ${(error as Error).message}`)
		);
	});
	try {
		// Fail at start, not on the first sign-in, if the platform schema is missing.
		await pool.query('select 1 from auth.users, auth.sessions, auth.refresh_tokens limit 0');
		const address = await listen(server, options.port ?? 0, host);
		const url = `http://${urlHost(host)}:${address.port}`;
		ctx = {
			pool,
			key,
			issuer: `${url}${PREFIX}`,
			accessTokenTtlSeconds,
			refreshTokenReuseIntervalSeconds,
			siteUrl: options.siteUrl,
			signInLimiter: options.signInRateLimit && slidingWindow(options.signInRateLimit)
		};

		let stopping: Promise<void> | undefined;
		const stop = () => {
			stopping ??= (async () => {
				await new Promise<void>((resolve, reject) => {
					server.close((error) => (error ? reject(error) : resolve()));
					// Keep-alive sockets (fetch keeps them) would otherwise hold close() open.
					server.closeAllConnections();
				});
				await pool.end();
			})();
			return stopping;
		};
		return { url, anonKey, serviceRoleKey, stop };
	} catch (error) {
		if (server.listening) server.close();
		await pool.end();
		throw error;
	}
}
