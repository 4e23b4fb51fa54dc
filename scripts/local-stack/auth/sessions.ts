import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AuthHttpError } from './errors.ts';
import type { JsonObject } from './http.ts';
import { signJwt, type SigningKey } from './keys.ts';
import { findUserById, INSTANCE_ID, isBanned, toUserJson, type UserRow } from './users.ts';

/** What every handler needs; one per server, nothing module-level. */
export interface AuthContext {
	pool: pg.Pool;
	key: SigningKey;
	/** `${url}/auth/v1`: the `iss` claim and the base of generated links. */
	issuer: string;
	accessTokenTtlSeconds: number;
	refreshTokenReuseIntervalSeconds: number;
	siteUrl: string | undefined;
	/** Supabase Auth's per-address sign-in rate limit, when configured (auth-server.ts). */
	signInLimiter?: { allow(address: string): boolean };
}

/** How the session was started, as GoTrue's AMR methods name it. */
export type AuthMethod =
	'password' | 'invite' | 'magiclink' | 'recovery' | 'email/signup' | 'otp' | 'token_refresh';

/** The session JSON supabase-js expects from `/token` and `/verify`. */
export interface SessionJson {
	access_token: string;
	token_type: 'bearer';
	expires_in: number;
	expires_at: number;
	refresh_token: string;
	user: JsonObject;
}

interface RefreshTokenRow {
	id: string;
	token: string;
	revoked: boolean | null;
	updated_at: Date | null;
	parent: string | null;
	session_id: string | null;
}

interface SessionRow {
	id: string;
	user_id: string;
	created_at: Date | null;
	not_after: Date | null;
}

/**
 * Runs `fn` in one transaction on one pooled connection. A connection whose rollback failed is
 * destroyed rather than returned to the pool; the original error is what the caller sees.
 */
export async function withTransaction<T>(
	pool: pg.Pool,
	fn: (client: pg.PoolClient) => Promise<T>
): Promise<T> {
	const client = await pool.connect();
	let broken: Error | undefined;
	try {
		await client.query('begin');
		const result = await fn(client);
		await client.query('commit');
		return result;
	} catch (error) {
		try {
			await client.query('rollback');
		} catch (rollbackError) {
			broken = rollbackError as Error;
		}
		throw error;
	} finally {
		client.release(broken);
	}
}

/** Opaque, unguessable refresh token (GoTrue stores the random string itself, so do we). */
function newRefreshToken(): string {
	return randomBytes(32).toString('base64url');
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function accessToken(
	ctx: AuthContext,
	user: UserRow,
	sessionId: string,
	amr: { method: AuthMethod; timestamp: number }
): Promise<{ token: string; expiresAt: number }> {
	const iat = nowSeconds();
	const expiresAt = iat + ctx.accessTokenTtlSeconds;
	// Claim names and order as Supabase Auth issues them; RLS reads `sub` and `role`.
	const token = await signJwt(ctx.key, {
		iss: ctx.issuer,
		sub: user.id,
		aud: user.aud || 'authenticated',
		exp: expiresAt,
		iat,
		email: user.email ?? '',
		phone: user.phone ?? '',
		app_metadata: user.raw_app_meta_data ?? {},
		user_metadata: user.raw_user_meta_data ?? {},
		role: user.role || 'authenticated',
		aal: 'aal1',
		amr: [amr],
		session_id: sessionId,
		is_anonymous: user.is_anonymous
	});
	return { token, expiresAt };
}

async function sessionJson(
	ctx: AuthContext,
	user: UserRow,
	sessionId: string,
	refreshToken: string,
	amr: { method: AuthMethod; timestamp: number }
): Promise<SessionJson> {
	const { token, expiresAt } = await accessToken(ctx, user, sessionId, amr);
	return {
		access_token: token,
		token_type: 'bearer',
		expires_in: ctx.accessTokenTtlSeconds,
		expires_at: expiresAt,
		refresh_token: refreshToken,
		user: toUserJson(user)
	};
}

/**
 * Starts a new session for a user who has just proved who they are (password, link): a row in
 * auth.sessions, a first refresh token, `last_sign_in_at`, and a signed access token.
 */
export async function startSession(
	ctx: AuthContext,
	client: pg.PoolClient,
	user: UserRow,
	method: AuthMethod
): Promise<SessionJson> {
	const sessionId = randomUUID();
	const refreshToken = newRefreshToken();
	await client.query(
		'insert into auth.sessions (id, user_id, created_at, updated_at) values ($1, $2, now(), now())',
		[sessionId, user.id]
	);
	await client.query(
		`insert into auth.refresh_tokens
			(instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
		values ($1, $2, $3, false, now(), now(), null, $4)`,
		[INSTANCE_ID, refreshToken, user.id, sessionId]
	);
	const { rows } = await client.query<{ last_sign_in_at: Date }>(
		'update auth.users set last_sign_in_at = now() where id = $1 returning last_sign_in_at',
		[user.id]
	);
	const signedIn = { ...user, last_sign_in_at: rows[0]?.last_sign_in_at ?? new Date() };
	return sessionJson(ctx, signedIn, sessionId, refreshToken, {
		method,
		timestamp: nowSeconds()
	});
}

const notFound = () =>
	new AuthHttpError(
		400,
		'refresh_token_not_found',
		'Invalid Refresh Token: Refresh Token Not Found'
	);

/**
 * The refresh-token grant, following GoTrue's rotation rules:
 * - a live token is revoked and replaced by a child (`parent` = the old token);
 * - a revoked token whose child is the session's live token gets that live token back (the client
 *   lost the previous response, or two requests refreshed at once), without branching;
 * - any other revoked token, once the reuse interval is over, is treated as stolen: every token of
 *   the session is revoked (committed) and the answer is `refresh_token_already_used`.
 */
export async function refreshSession(ctx: AuthContext, refreshToken: string): Promise<SessionJson> {
	const outcome = await withTransaction(
		ctx.pool,
		async (client): Promise<SessionJson | AuthHttpError> => {
			// Lock the session, then the token: the order sign-out's cascading delete takes them
			// in, so a refresh racing a sign-out waits instead of deadlocking.
			const { rows: found } = await client.query<{ session_id: string | null }>(
				'select session_id from auth.refresh_tokens where token = $1',
				[refreshToken]
			);
			const sessionId = found[0]?.session_id;
			if (!sessionId) return notFound();
			const { rows: sessions } = await client.query<SessionRow>(
				'select id, user_id, created_at, not_after from auth.sessions where id = $1 for update',
				[sessionId]
			);
			const session = sessions[0];
			if (!session) return notFound();
			const { rows: tokens } = await client.query<RefreshTokenRow>(
				`select id, token, revoked, updated_at, parent, session_id from auth.refresh_tokens
				where token = $1 and session_id = $2 for update`,
				[refreshToken, session.id]
			);
			const token = tokens[0];
			if (!token) return notFound();
			const user = await findUserById(client, session.user_id);
			if (!user) return notFound();
			if (isBanned(user)) return new AuthHttpError(400, 'user_banned', 'User is banned');
			if (session.not_after && session.not_after.getTime() <= Date.now()) {
				return new AuthHttpError(400, 'session_expired', 'Invalid Refresh Token: Session Expired');
			}

			let issued: string | undefined;
			if (token.revoked) {
				const { rows: active } = await client.query<{ token: string; parent: string | null }>(
					`select token, parent from auth.refresh_tokens
					where session_id = $1 and revoked = false order by id desc limit 1`,
					[session.id]
				);
				if (active[0] && active[0].parent === token.token) {
					issued = active[0].token;
				} else {
					const revokedAt = token.updated_at?.getTime() ?? 0;
					if (Date.now() > revokedAt + ctx.refreshTokenReuseIntervalSeconds * 1000) {
						await client.query(
							`update auth.refresh_tokens set revoked = true, updated_at = now()
							where session_id = $1 and revoked = false`,
							[session.id]
						);
						return new AuthHttpError(
							400,
							'refresh_token_already_used',
							'Invalid Refresh Token: Already Used'
						);
					}
				}
			}
			if (!issued) {
				issued = newRefreshToken();
				// Only a live token is stamped: re-stamping a revoked one would stretch its reuse window.
				await client.query(
					`update auth.refresh_tokens set revoked = true, updated_at = now()
					where id = $1 and revoked = false`,
					[token.id]
				);
				await client.query(
					`insert into auth.refresh_tokens
						(instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
					values ($1, $2, $3, false, now(), now(), $4, $5)`,
					[INSTANCE_ID, issued, user.id, token.token, session.id]
				);
			}
			await client.query('update auth.sessions set updated_at = now() where id = $1', [session.id]);
			// How the session began is not stored (no mfa_amr_claims table locally), so the
			// refreshed token says only that it came from a refresh, at the session's start.
			const started = session.created_at ? Math.floor(session.created_at.getTime() / 1000) : 0;
			return sessionJson(ctx, user, session.id, issued, {
				method: 'token_refresh',
				timestamp: started
			});
		}
	);
	if (outcome instanceof AuthHttpError) throw outcome;
	return outcome;
}
