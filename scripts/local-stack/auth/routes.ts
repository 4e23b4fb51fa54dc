import type { IncomingMessage } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { JWTPayload } from 'jose';
import { AuthHttpError, invalidCredentials, validationFailed } from './errors.ts';
import { readJsonBody, type JsonObject } from './http.ts';
import { verifyJwt } from './keys.ts';
import {
	refreshSession,
	startSession,
	withTransaction,
	type AuthContext,
	type AuthMethod
} from './sessions.ts';
import {
	assertPasswordAllowed,
	findUserByEmail,
	findUserById,
	findUserByPhone,
	hashLinkToken,
	hashPassword,
	INSTANCE_ID,
	isBanned,
	isBcryptHash,
	isUuid,
	mergeMetadata,
	normaliseEmail,
	normalisePhone,
	optionalBoolean,
	optionalObject,
	optionalString,
	passwordMatches,
	toUserJson,
	USER_COLUMNS,
	type UserRow
} from './users.ts';

/** A handler's answer: JSON, or 204 with no body. */
export type Reply = { status: 200; body: unknown } | { status: 204 };

const ok = (body: unknown): Reply => ({ status: 200, body });

/** GoTrue's mailer OTP lifetime: invite and magic links are good for 24 hours. */
const LINK_TTL_MS = 24 * 60 * 60 * 1000;

/** The admin roles GoTrue accepts by default. */
const ADMIN_ROLES = new Set(['service_role', 'supabase_admin']);

// --- authentication of the caller ------------------------------------------------------------

function bearerToken(req: IncomingMessage): string {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
	if (!match?.[1]) {
		throw new AuthHttpError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
	}
	return match[1];
}

interface Caller {
	user: UserRow;
	sessionId: string | undefined;
	claims: JWTPayload;
}

/**
 * GoTrue's `requireAuthentication`: a valid token is not enough, its user must still exist and
 * its session must not have been signed out, so logout takes effect before the token expires.
 */
async function requireUser(ctx: AuthContext, req: IncomingMessage): Promise<Caller> {
	const claims = await verifyJwt(ctx.key, bearerToken(req));
	if (!claims.sub) throw new AuthHttpError(403, 'bad_jwt', 'invalid claim: missing sub claim');
	if (!isUuid(claims.sub)) {
		throw new AuthHttpError(400, 'bad_jwt', 'invalid claim: sub claim must be a UUID');
	}
	const user = await findUserById(ctx.pool, claims.sub);
	if (!user) {
		throw new AuthHttpError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
	}
	const rawSession = claims.session_id;
	let sessionId: string | undefined;
	if (typeof rawSession === 'string' && rawSession !== '' && rawSession !== INSTANCE_ID) {
		if (!isUuid(rawSession)) {
			throw new AuthHttpError(403, 'bad_jwt', 'invalid claim: session_id claim must be a UUID');
		}
		const { rowCount } = await ctx.pool.query('select 1 from auth.sessions where id = $1', [
			rawSession
		]);
		if (!rowCount) {
			throw new AuthHttpError(
				403,
				'session_not_found',
				'Session from session_id claim in JWT does not exist'
			);
		}
		sessionId = rawSession;
	}
	if (isBanned(user)) throw new AuthHttpError(403, 'user_banned', 'User is banned');
	return { user, sessionId, claims };
}

async function requireAdmin(ctx: AuthContext, req: IncomingMessage): Promise<void> {
	const claims = await verifyJwt(ctx.key, bearerToken(req));
	if (typeof claims.role !== 'string' || !ADMIN_ROLES.has(claims.role)) {
		throw new AuthHttpError(403, 'not_admin', 'User not allowed');
	}
}

function mapUniqueViolation(error: unknown): never {
	if (error instanceof pg.DatabaseError && error.code === '23505') {
		if (error.constraint === 'users_phone_key') {
			throw new AuthHttpError(
				422,
				'phone_exists',
				'A user with this phone number has already been registered'
			);
		}
		if (error.constraint === 'users_pkey') {
			throw new AuthHttpError(422, 'user_already_exists', 'User already exists');
		}
		throw emailExists();
	}
	throw error;
}

const emailExists = () =>
	new AuthHttpError(
		422,
		'email_exists',
		'A user with this email address has already been registered'
	);

// --- POST /token -----------------------------------------------------------------------------

async function passwordGrant(ctx: AuthContext, body: JsonObject): Promise<Reply> {
	const email = optionalString(body, 'email');
	const phone = optionalString(body, 'phone');
	const password = optionalString(body, 'password') ?? '';
	if (email && phone) {
		throw validationFailed('Only an email address or phone number should be provided on login.');
	}
	if (!email && !phone) throw validationFailed('An email address or phone number is required');
	const user = email
		? await findUserByEmail(ctx.pool, email.trim())
		: await findUserByPhone(ctx.pool, (phone ?? '').replace(/\D/g, ''));
	// Always one bcrypt comparison, so response time does not reveal whether the account exists.
	const matches = await passwordMatches(password, user?.encrypted_password ?? null);
	if (!user || !matches) throw invalidCredentials();
	if (isBanned(user)) throw new AuthHttpError(400, 'user_banned', 'User is banned');
	if (email && !user.email_confirmed_at) {
		throw new AuthHttpError(400, 'email_not_confirmed', 'Email not confirmed');
	}
	if (phone && !user.phone_confirmed_at) {
		throw new AuthHttpError(400, 'phone_not_confirmed', 'Phone not confirmed');
	}
	return ok(
		await withTransaction(ctx.pool, (client) => startSession(ctx, client, user, 'password'))
	);
}

async function token(ctx: AuthContext, req: IncomingMessage, url: URL): Promise<Reply> {
	const body = await readJsonBody(req);
	const grantType = url.searchParams.get('grant_type');
	if (grantType === 'password') {
		if (ctx.signInLimiter && !ctx.signInLimiter.allow(req.socket.remoteAddress ?? 'unknown')) {
			throw new AuthHttpError(429, 'over_request_rate_limit', 'Request rate limit reached');
		}
		return passwordGrant(ctx, body);
	}
	if (grantType === 'refresh_token') {
		const refreshToken = optionalString(body, 'refresh_token');
		if (!refreshToken) throw validationFailed('refresh_token required');
		return ok(await refreshSession(ctx, refreshToken));
	}
	throw validationFailed('unsupported_grant_type');
}

// --- /user -----------------------------------------------------------------------------------

async function getUser(ctx: AuthContext, req: IncomingMessage): Promise<Reply> {
	const { user } = await requireUser(ctx, req);
	return ok(toUserJson(user));
}

/**
 * PUT /user. A new password signs the user out everywhere else (GoTrue does the same) so a
 * stolen session does not outlive a password change. Email changes apply at once: the local stack
 * sends no mail, so there is no confirmation step to wait for.
 */
async function updateUser(ctx: AuthContext, req: IncomingMessage): Promise<Reply> {
	const caller = await requireUser(ctx, req);
	const body = await readJsonBody(req);
	const password = optionalString(body, 'password');
	const data = optionalObject(body, 'data');
	const rawEmail = optionalString(body, 'email');
	if (optionalString(body, 'phone')) {
		throw validationFailed('Changing the phone number is not supported by the local auth server');
	}
	const email = rawEmail ? normaliseEmail(rawEmail) : undefined;
	if (password !== undefined) assertPasswordAllowed(password);

	const updated = await withTransaction(ctx.pool, async (client) => {
		const user = await findUserById(client, caller.user.id, true);
		if (!user) throw new AuthHttpError(404, 'user_not_found', 'User not found');
		let passwordHash: string | undefined;
		if (password !== undefined) {
			if (await passwordMatches(password, user.encrypted_password)) {
				throw new AuthHttpError(
					422,
					'same_password',
					'New password should be different from the old password.'
				);
			}
			passwordHash = await hashPassword(password);
		}
		if (email && email !== user.email?.toLowerCase()) {
			const other = await findUserByEmail(client, email);
			if (other && other.id !== user.id) throw emailExists();
		}
		const { rows } = await client
			.query<UserRow>(
				`update auth.users set
					encrypted_password = coalesce($2, encrypted_password),
					raw_user_meta_data = $3,
					email = coalesce($4, email),
					updated_at = now()
				where id = $1
				returning ${USER_COLUMNS}`,
				[
					user.id,
					passwordHash ?? null,
					data ? mergeMetadata(user.raw_user_meta_data, data) : user.raw_user_meta_data,
					email ?? null
				]
			)
			.catch(mapUniqueViolation);
		if (passwordHash) {
			await client.query(
				'delete from auth.sessions where user_id = $1 and id is distinct from $2',
				[user.id, caller.sessionId ?? null]
			);
		}
		return rows[0];
	});
	if (!updated) throw new AuthHttpError(404, 'user_not_found', 'User not found');
	return ok(toUserJson(updated));
}

// --- POST /logout ----------------------------------------------------------------------------

/**
 * Deletes sessions (their refresh tokens go with them): `local` this one, `others` all but this
 * one, `global` (the default) all of the user's. Access tokens of a deleted session stop working
 * at once on /user, as on Supabase.
 */
async function logout(ctx: AuthContext, req: IncomingMessage, url: URL): Promise<Reply> {
	const scope = url.searchParams.get('scope') || 'global';
	if (!['global', 'local', 'others'].includes(scope)) {
		throw validationFailed(`Unsupported logout scope "${scope}"`);
	}
	const { user, sessionId } = await requireUser(ctx, req);
	if (!sessionId || scope === 'global') {
		await ctx.pool.query('delete from auth.sessions where user_id = $1', [user.id]);
	} else if (scope === 'local') {
		await ctx.pool.query('delete from auth.sessions where id = $1', [sessionId]);
	} else {
		await ctx.pool.query('delete from auth.sessions where user_id = $1 and id <> $2', [
			user.id,
			sessionId
		]);
	}
	return { status: 204 };
}

// --- POST /verify ----------------------------------------------------------------------------

type LinkType = 'invite' | 'signup' | 'magiclink' | 'recovery' | 'email';
const LINK_TYPES: readonly LinkType[] = ['invite', 'signup', 'magiclink', 'recovery', 'email'];
const isLinkType = (value: string): value is LinkType =>
	(LINK_TYPES as readonly string[]).includes(value);

const linkExpired = () =>
	new AuthHttpError(403, 'otp_expired', 'Email link is invalid or has expired');

const METHOD_FOR: Record<LinkType, AuthMethod> = {
	invite: 'invite',
	signup: 'email/signup',
	magiclink: 'magiclink',
	recovery: 'recovery',
	email: 'otp'
};

interface LinkUserRow extends UserRow {
	confirmation_token: string | null;
	recovery_token: string | null;
}

/**
 * `verifyOtp({ token_hash, type })`: one use only (the stored hash is cleared), 24 hours from when
 * the link was made, and it confirms the email address, since only its owner could have the link.
 */
async function verify(ctx: AuthContext, req: IncomingMessage): Promise<Reply> {
	const body = await readJsonBody(req);
	const type = optionalString(body, 'type') ?? '';
	if (!isLinkType(type)) {
		throw validationFailed(`Verify type "${type}" is not supported by the local auth server`);
	}
	const tokenHash = optionalString(body, 'token_hash');
	if (!tokenHash) {
		throw validationFailed(
			optionalString(body, 'token')
				? 'One-time codes are not supported by the local auth server; verify with token_hash'
				: 'Verify requires either a token or a token hash'
		);
	}
	const stored = hashLinkToken(tokenHash);
	const column =
		type === 'invite' || type === 'signup'
			? 'confirmation_token = $1'
			: type === 'email'
				? '(confirmation_token = $1 or recovery_token = $1)'
				: 'recovery_token = $1';
	return ok(
		await withTransaction(ctx.pool, async (client) => {
			const { rows } = await client.query<LinkUserRow>(
				`select ${USER_COLUMNS}, confirmation_token, recovery_token from auth.users
				where deleted_at is null and ${column} for update`,
				[stored]
			);
			const user = rows[0];
			if (!user) throw linkExpired();
			const viaConfirmation = user.confirmation_token === stored;
			const sentAt = viaConfirmation ? user.confirmation_sent_at : user.recovery_sent_at;
			if (!sentAt || sentAt.getTime() + LINK_TTL_MS < Date.now()) throw linkExpired();
			if (isBanned(user)) throw new AuthHttpError(403, 'user_banned', 'User is banned');
			const { rows: confirmed } = await client.query<UserRow>(
				`update auth.users set
					${viaConfirmation ? 'confirmation_token' : 'recovery_token'} = null,
					email_confirmed_at = coalesce(email_confirmed_at, now()),
					updated_at = now()
				where id = $1 returning ${USER_COLUMNS}`,
				[user.id]
			);
			const fresh = confirmed[0];
			if (!fresh) throw linkExpired();
			return startSession(ctx, client, fresh, METHOD_FOR[type]);
		})
	);
}

// --- admin -----------------------------------------------------------------------------------

/**
 * POST /admin/users. Like GoTrue: email or phone required, duplicates are 422, `email_confirm`
 * marks the address confirmed (needed to sign in with a password), `password_hash` takes an
 * existing bcrypt hash.
 */
async function adminCreateUser(ctx: AuthContext, req: IncomingMessage): Promise<Reply> {
	await requireAdmin(ctx, req);
	const body = await readJsonBody(req);
	const rawEmail = optionalString(body, 'email');
	const rawPhone = optionalString(body, 'phone');
	const password = optionalString(body, 'password');
	const passwordHash = optionalString(body, 'password_hash');
	const id = optionalString(body, 'id') ?? randomUUID();
	const emailConfirm = optionalBoolean(body, 'email_confirm') ?? false;
	const phoneConfirm = optionalBoolean(body, 'phone_confirm') ?? false;
	const userMetadata = optionalObject(body, 'user_metadata') ?? {};
	const appMetadata = optionalObject(body, 'app_metadata') ?? {};
	if (!rawEmail && !rawPhone) {
		throw validationFailed('Cannot create a user without either an email or phone');
	}
	if (!isUuid(id)) throw validationFailed('id must be a UUID');
	const email = rawEmail ? normaliseEmail(rawEmail) : null;
	const phone = rawPhone ? normalisePhone(rawPhone) : null;
	if (password !== undefined && passwordHash !== undefined) {
		throw validationFailed('Only one of password or password_hash can be set');
	}
	if (password !== undefined) assertPasswordAllowed(password);
	if (passwordHash !== undefined && !isBcryptHash(passwordHash)) {
		throw validationFailed('password_hash must be a bcrypt hash');
	}
	const encrypted = password !== undefined ? await hashPassword(password) : (passwordHash ?? null);
	const provider = email ? 'email' : 'phone';

	const user = await withTransaction(ctx.pool, async (client) => {
		if (email && (await findUserByEmail(client, email))) throw emailExists();
		const { rows } = await client
			.query<UserRow>(
				`insert into auth.users (instance_id, id, aud, role, email, phone, encrypted_password,
					email_confirmed_at, phone_confirmed_at, raw_app_meta_data, raw_user_meta_data,
					created_at, updated_at, is_sso_user, is_anonymous)
				values ($1, $2, 'authenticated', 'authenticated', $3, $4, $5,
					case when $6 then now() end, case when $7 then now() end, $8, $9,
					now(), now(), false, false)
				returning ${USER_COLUMNS}`,
				[
					INSTANCE_ID,
					id,
					email,
					phone,
					encrypted,
					emailConfirm && email !== null,
					phoneConfirm && phone !== null,
					{ provider, providers: [provider], ...appMetadata },
					userMetadata
				]
			)
			.catch(mapUniqueViolation);
		return rows[0];
	});
	if (!user) throw new AuthHttpError(500, 'unexpected_failure', 'User was not created');
	return ok(toUserJson(user));
}

/** A link may only send people back to the app itself (GoTrue's redirect allow-list, simplified). */
function resolveRedirect(ctx: AuthContext, requested: string | undefined): string {
	const site = ctx.siteUrl;
	if (!requested) return site ?? '';
	let target: URL;
	try {
		target = new URL(requested);
	} catch {
		return site ?? '';
	}
	if (!site) return target.href;
	return target.origin === new URL(site).origin ? target.href : site;
}

/**
 * POST /admin/generate_link for `invite` (creating the invited user, without a password, if
 * needed), `magiclink` and `recovery`. The token is 28 random bytes (hex, like GoTrue's SHA-224
 * hashed_token) and only its SHA-256 is stored. The local server sends no mail and has no
 * one-time codes, so `email_otp` is empty: callers build their link from `hashed_token`.
 */
async function adminGenerateLink(ctx: AuthContext, req: IncomingMessage, url: URL): Promise<Reply> {
	await requireAdmin(ctx, req);
	const body = await readJsonBody(req);
	const type = optionalString(body, 'type') ?? '';
	if (type !== 'invite' && type !== 'magiclink' && type !== 'recovery') {
		throw validationFailed(`Link type "${type}" is not supported by the local auth server`);
	}
	const rawEmail = optionalString(body, 'email');
	if (!rawEmail) throw validationFailed('Email is required');
	const email = normaliseEmail(rawEmail);
	const data = optionalObject(body, 'data');
	const redirectTo = resolveRedirect(
		ctx,
		optionalString(body, 'redirect_to') ?? url.searchParams.get('redirect_to') ?? undefined
	);
	const hashedToken = randomBytes(28).toString('hex');
	const stored = hashLinkToken(hashedToken);

	const user = await withTransaction(ctx.pool, async (client) => {
		let existing = await findUserByEmail(client, email, true);
		if (type === 'invite') {
			if (existing?.email_confirmed_at) throw emailExists();
			if (!existing) {
				const { rows } = await client
					.query<UserRow>(
						`insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data,
							raw_user_meta_data, created_at, updated_at, is_sso_user, is_anonymous)
						values ($1, $2, 'authenticated', 'authenticated', $3, $4, $5, now(), now(),
							false, false)
						returning ${USER_COLUMNS}`,
						[
							INSTANCE_ID,
							randomUUID(),
							email,
							{ provider: 'email', providers: ['email'] },
							data ?? {}
						]
					)
					.catch(mapUniqueViolation);
				existing = rows[0];
			}
			if (!existing) throw new AuthHttpError(500, 'unexpected_failure', 'User was not created');
			const { rows } = await client.query<UserRow>(
				`update auth.users set invited_at = now(), confirmation_token = $2,
					confirmation_sent_at = now(), raw_user_meta_data = $3, updated_at = now()
				where id = $1 returning ${USER_COLUMNS}`,
				[
					existing.id,
					stored,
					data ? mergeMetadata(existing.raw_user_meta_data, data) : existing.raw_user_meta_data
				]
			);
			return rows[0];
		}
		if (!existing) {
			throw new AuthHttpError(404, 'user_not_found', 'User with this email not found');
		}
		const { rows } = await client.query<UserRow>(
			`update auth.users set recovery_token = $2, recovery_sent_at = now(), updated_at = now()
			where id = $1 returning ${USER_COLUMNS}`,
			[existing.id, stored]
		);
		return rows[0];
	});
	if (!user) throw new AuthHttpError(500, 'unexpected_failure', 'Link was not created');
	const actionLink = new URL(`${ctx.issuer}/verify`);
	actionLink.searchParams.set('token', hashedToken);
	actionLink.searchParams.set('type', type);
	actionLink.searchParams.set('redirect_to', redirectTo);
	// auth-js splits these five keys into `properties` and keeps the rest as the user.
	return ok({
		...toUserJson(user),
		action_link: actionLink.href,
		email_otp: '',
		hashed_token: hashedToken,
		redirect_to: redirectTo,
		verification_type: type
	});
}

function userIdParam(raw: string): string {
	if (!isUuid(raw)) throw new AuthHttpError(404, 'validation_failed', 'user_id must be an UUID');
	return raw;
}

async function adminGetUser(ctx: AuthContext, req: IncomingMessage, id: string): Promise<Reply> {
	await requireAdmin(ctx, req);
	const user = await findUserById(ctx.pool, userIdParam(id));
	if (!user) throw new AuthHttpError(404, 'user_not_found', 'User not found');
	return ok(toUserJson(user));
}

/**
 * DELETE /admin/users/:id. Hard delete removes the row (sessions and the profile cascade); soft
 * delete keeps it but marks it deleted, drops its password, links and sessions.
 */
async function adminDeleteUser(ctx: AuthContext, req: IncomingMessage, id: string): Promise<Reply> {
	await requireAdmin(ctx, req);
	const body = await readJsonBody(req);
	const soft = optionalBoolean(body, 'should_soft_delete') ?? false;
	const userId = userIdParam(id);
	const user = await withTransaction(ctx.pool, async (client) => {
		const found = await findUserById(client, userId, true);
		if (!found) throw new AuthHttpError(404, 'user_not_found', 'User not found');
		if (!soft) {
			await client.query('delete from auth.users where id = $1', [userId]);
			return found;
		}
		await client.query('delete from auth.sessions where user_id = $1', [userId]);
		const { rows } = await client.query<UserRow>(
			`update auth.users set deleted_at = now(), encrypted_password = null,
				confirmation_token = null, recovery_token = null, updated_at = now()
			where id = $1 returning ${USER_COLUMNS}`,
			[userId]
		);
		return rows[0] ?? found;
	});
	return ok(toUserJson(user));
}

// --- routing ---------------------------------------------------------------------------------

/**
 * Dispatches one request (path already stripped of `/auth/v1`). Unknown paths are 404 and known
 * paths with the wrong method 405, both in GoTrue's error shape.
 */
export async function route(
	ctx: AuthContext,
	req: IncomingMessage,
	url: URL,
	path: string
): Promise<Reply> {
	const method = req.method ?? 'GET';
	const allow = (...methods: string[]) => {
		if (!methods.includes(method)) {
			throw new AuthHttpError(405, 'method_not_allowed', `Method ${method} is not allowed here`);
		}
	};
	switch (path) {
		case '/health':
			allow('GET');
			return ok({ version: 'local', name: 'GoTrue', description: 'In My Words local stand-in' });
		case '/.well-known/jwks.json':
			allow('GET');
			return ok({ keys: [ctx.key.publicJwk] });
		case '/token':
			allow('POST');
			return token(ctx, req, url);
		case '/user':
			allow('GET', 'PUT');
			return method === 'GET' ? getUser(ctx, req) : updateUser(ctx, req);
		case '/logout':
			allow('POST');
			return logout(ctx, req, url);
		case '/verify':
			allow('POST');
			return verify(ctx, req);
		case '/admin/users':
			allow('POST');
			return adminCreateUser(ctx, req);
		case '/admin/generate_link':
			allow('POST');
			return adminGenerateLink(ctx, req, url);
	}
	const userPath = /^\/admin\/users\/([^/]+)$/.exec(path);
	if (userPath?.[1]) {
		allow('GET', 'DELETE');
		const id = userPath[1];
		return method === 'GET' ? adminGetUser(ctx, req, id) : adminDeleteUser(ctx, req, id);
	}
	throw new AuthHttpError(404, 'not_found', 'Not found');
}
