import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAuthServer, type AuthServer } from '../../scripts/local-stack/auth-server.ts';

// Contract tests: the local auth server driven by supabase-js itself, so what passes here is what
// the app will see. Each test makes its own users (unique emails); the database is shared.

const PASSWORD = 'correct horse battery';

let server: AuthServer;
let db: pg.Pool;
let keyDir: string;
let keyFile: string;

beforeAll(async () => {
	keyDir = await mkdtemp(path.join(tmpdir(), 'in-my-words-auth-'));
	keyFile = path.join(keyDir, 'nested', 'auth-key.json');
	db = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });
	// Reuse interval 0: a rotated refresh token is dead at once, so reuse is observable.
	server = await startAuthServer({
		databaseUrl: inject('adminDatabaseUrl'),
		port: 0,
		keyFile,
		refreshTokenReuseIntervalSeconds: 0,
		siteUrl: 'http://localhost:5173'
	});
});

afterAll(async () => {
	await server?.stop();
	await db?.end();
	if (keyDir) await rm(keyDir, { recursive: true, force: true });
});

/** A fresh client, as the app makes one per request: nothing shared between checks. */
function client(key = server.anonKey, url = server.url): SupabaseClient {
	return createClient(url, key, { auth: { persistSession: false, autoRefreshToken: false } });
}

const admin = () => client(server.serviceRoleKey);

function uniqueEmail(label: string): string {
	return `${label}-${randomUUID()}@example.test`;
}

async function createConfirmedUser(label: string, password = PASSWORD) {
	const email = uniqueEmail(label);
	const { data, error } = await admin().auth.admin.createUser({
		email,
		password,
		email_confirm: true,
		user_metadata: { preferred_name: `Name ${label}` }
	});
	expect(error).toBeNull();
	if (!data.user) throw new Error('createUser returned no user');
	return { email, password, user: data.user };
}

async function signIn(email: string, password = PASSWORD) {
	const supabase = client();
	const { data, error } = await supabase.auth.signInWithPassword({ email, password });
	expect(error).toBeNull();
	if (!data.session) throw new Error('signInWithPassword returned no session');
	return { supabase, session: data.session };
}

/** Raw HTTP, for what supabase-js would never send. */
async function call(
	pathname: string,
	init: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<{ status: number; json: Record<string, unknown> | null; headers: Headers }> {
	const response = await fetch(`${server.url}/auth/v1${pathname}`, {
		method: init.method ?? 'GET',
		headers: init.headers ?? { apikey: server.anonKey },
		body: init.body
	});
	const text = await response.text();
	return {
		status: response.status,
		json: text ? (JSON.parse(text) as Record<string, unknown>) : null,
		headers: response.headers
	};
}

/** Signs with the server's own key (read from its key file), e.g. to make an expired token. */
async function signWithServerKey(claims: JWTPayload): Promise<string> {
	const jwk = JSON.parse(await readFile(keyFile, 'utf8')) as JWK & { kid: string };
	const privateKey = await importJWK(jwk, 'ES256');
	return new SignJWT(claims)
		.setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: 'JWT' })
		.sign(privateKey);
}

function decodePayload(jwt: string): Record<string, unknown> {
	const part = jwt.split('.')[1] ?? '';
	return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('admin users', () => {
	it('creates a confirmed user with a $2a$ bcrypt hash, and the profile trigger runs', async () => {
		const { email, user } = await createConfirmedUser('create');
		expect(user.email).toBe(email);
		expect(user.aud).toBe('authenticated');
		expect(user.role).toBe('authenticated');
		expect(user.email_confirmed_at).toEqual(expect.any(String));
		expect(user.app_metadata).toEqual({ provider: 'email', providers: ['email'] });
		expect(user.user_metadata).toEqual({ preferred_name: 'Name create' });

		const { rows } = await db.query<{ encrypted_password: string; preferred_name: string }>(
			`select u.encrypted_password, p.preferred_name
			from auth.users u join public.profiles p on p.id = u.id where u.id = $1`,
			[user.id]
		);
		expect(rows[0]?.preferred_name).toBe('Name create');
		expect(rows[0]?.encrypted_password).toMatch(/^\$2a\$10\$/);
		expect(rows[0]?.encrypted_password).not.toContain(PASSWORD);
	});

	it('refuses a duplicate email and a short password with GoTrue codes', async () => {
		const { email } = await createConfirmedUser('duplicate');
		const duplicate = await admin().auth.admin.createUser({ email, password: PASSWORD });
		expect(duplicate.error?.status).toBe(422);
		expect(duplicate.error?.code).toBe('email_exists');

		const weak = await admin().auth.admin.createUser({
			email: uniqueEmail('weak'),
			password: 'short'
		});
		expect(weak.error?.name).toBe('AuthWeakPasswordError');
		expect(weak.error?.status).toBe(422);
	});

	it('refuses the anon key, a user token and a missing bearer', async () => {
		const viaAnon = await client().auth.admin.createUser({ email: uniqueEmail('anon') });
		expect(viaAnon.error?.status).toBe(403);
		expect(viaAnon.error?.code).toBe('not_admin');

		const viaAnonLink = await client().auth.admin.generateLink({
			type: 'invite',
			email: uniqueEmail('anon-link')
		});
		expect(viaAnonLink.error?.status).toBe(403);
		expect(viaAnonLink.data.user).toBeNull();

		const { email } = await createConfirmedUser('not-admin');
		const { session } = await signIn(email);
		const viaUser = await client(server.anonKey).auth.admin.deleteUser(session.user.id);
		expect(viaUser.error?.status).toBe(403);
		const asUser = await call('/admin/users', {
			method: 'POST',
			headers: { apikey: server.anonKey, authorization: `Bearer ${session.access_token}` },
			body: JSON.stringify({ email: uniqueEmail('as-user') })
		});
		expect(asUser.status).toBe(403);
		expect(asUser.json?.code).toBe('not_admin');

		const noBearer = await call('/admin/users', {
			method: 'POST',
			headers: { apikey: server.serviceRoleKey },
			body: JSON.stringify({ email: uniqueEmail('no-bearer') })
		});
		expect(noBearer.status).toBe(401);
		expect(noBearer.json?.code).toBe('no_authorization');
		const { rowCount } = await db.query('select 1 from auth.users where email like $1', [
			'no-bearer-%'
		]);
		expect(rowCount).toBe(0);
	});

	it('deletes a user, with their sessions', async () => {
		const { email, user } = await createConfirmedUser('delete');
		const { session } = await signIn(email);
		const { error } = await admin().auth.admin.deleteUser(user.id);
		expect(error).toBeNull();
		const { rowCount } = await db.query('select 1 from auth.users where id = $1', [user.id]);
		expect(rowCount).toBe(0);
		const after = await client().auth.signInWithPassword({ email, password: PASSWORD });
		expect(after.error?.code).toBe('invalid_credentials');
		const { error: userError } = await client().auth.getUser(session.access_token);
		expect(userError?.status).toBe(403);
	});
});

describe('password sign-in', () => {
	it('returns an ES256 session whose claims getClaims() verifies via the JWKS', async () => {
		const { email, user } = await createConfirmedUser('sign-in');
		const { supabase, session } = await signIn(email);
		expect(session.token_type).toBe('bearer');
		expect(session.expires_in).toBe(3600);
		expect(session.expires_at).toBeGreaterThan(Date.now() / 1000 + 3500);
		expect(session.user.id).toBe(user.id);
		expect(session.user.last_sign_in_at).toEqual(expect.any(String));

		const { data, error } = await supabase.auth.getClaims();
		expect(error).toBeNull();
		expect(data?.header.alg).toBe('ES256');
		const jwks = await call('/.well-known/jwks.json');
		const keys = jwks.json?.keys as Array<Record<string, unknown>>;
		expect(data?.header.kid).toBe(keys[0]?.kid);
		const claims = data?.claims;
		expect(claims?.sub).toBe(user.id);
		expect(claims?.iss).toBe(`${server.url}/auth/v1`);
		expect(claims?.aud).toBe('authenticated');
		expect(claims?.role).toBe('authenticated');
		expect(claims?.email).toBe(email);
		expect(claims?.aal).toBe('aal1');
		expect(claims?.is_anonymous).toBe(false);
		expect(claims?.user_metadata).toEqual({ preferred_name: 'Name sign-in' });
		expect(claims?.amr).toEqual([{ method: 'password', timestamp: expect.any(Number) }]);
		const { rowCount } = await db.query(
			'select 1 from auth.sessions where id = $1 and user_id = $2',
			[claims?.session_id, user.id]
		);
		expect(rowCount).toBe(1);

		const fetched = await supabase.auth.getUser();
		expect(fetched.error).toBeNull();
		expect(fetched.data.user?.id).toBe(user.id);
		expect(fetched.data.user?.email).toBe(email);
	});

	it('accepts a pgcrypto ($2a$) hash like the seed writes, matching email case-insensitively', async () => {
		const email = uniqueEmail('seeded');
		const id = randomUUID();
		await db.query(
			`insert into auth.users (instance_id, id, aud, role, email, encrypted_password,
				email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
			values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2,
				extensions.crypt($3, extensions.gen_salt('bf', 10)), now(),
				'{"provider":"email","providers":["email"]}', '{}', now(), now())`,
			[id, email, 'in-my-words-demo']
		);
		const { data, error } = await client().auth.signInWithPassword({
			email: email.toUpperCase(),
			password: 'in-my-words-demo'
		});
		expect(error).toBeNull();
		expect(data.user?.id).toBe(id);
	});

	it('answers wrong password, unknown user and invited user alike: invalid_credentials', async () => {
		const { email } = await createConfirmedUser('wrong');
		const invited = uniqueEmail('invited-no-password');
		const link = await admin().auth.admin.generateLink({ type: 'invite', email: invited });
		expect(link.error).toBeNull();

		for (const [address, password] of [
			[email, 'not the password'],
			[uniqueEmail('nobody'), PASSWORD],
			[invited, PASSWORD],
			[invited, '']
		] as const) {
			const { data, error } = await client().auth.signInWithPassword({ email: address, password });
			expect(data.session).toBeNull();
			expect(error?.name).toBe('AuthApiError');
			expect(error?.status).toBe(400);
			expect(error?.code).toBe('invalid_credentials');
			expect(error?.message).toBe('Invalid login credentials');
		}
	});

	it('answers 429 over_request_rate_limit past its per-address sign-in limit, as Supabase does', async () => {
		const limited = await startAuthServer({
			databaseUrl: inject('adminDatabaseUrl'),
			keyFile,
			signInRateLimit: { max: 3, windowSeconds: 300 }
		});
		try {
			const { email } = await createConfirmedUser('rate-limited');
			const supabase = client(limited.anonKey, limited.url);
			const statuses: (number | undefined)[] = [];
			for (let i = 0; i < 3; i++) {
				const { error } = await supabase.auth.signInWithPassword({ email, password: 'wrong one' });
				statuses.push(error?.status);
			}
			expect(statuses).toEqual([400, 400, 400]);
			// The right password too, once the limit is reached.
			const { data, error } = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
			expect(data.session).toBeNull();
			expect(error?.status).toBe(429);
			expect(error?.code).toBe('over_request_rate_limit');
		} finally {
			await limited.stop();
		}
	});

	it('refuses banned, soft-deleted and unconfirmed users', async () => {
		const banned = await createConfirmedUser('banned');
		await db.query("update auth.users set banned_until = now() + interval '1 day' where id = $1", [
			banned.user.id
		]);
		const bannedTry = await client().auth.signInWithPassword({
			email: banned.email,
			password: PASSWORD
		});
		expect(bannedTry.error?.code).toBe('user_banned');

		const deleted = await createConfirmedUser('soft-deleted');
		await db.query('update auth.users set deleted_at = now() where id = $1', [deleted.user.id]);
		const deletedTry = await client().auth.signInWithPassword({
			email: deleted.email,
			password: PASSWORD
		});
		expect(deletedTry.error?.code).toBe('invalid_credentials');

		const unconfirmed = uniqueEmail('unconfirmed');
		const created = await admin().auth.admin.createUser({ email: unconfirmed, password: PASSWORD });
		expect(created.error).toBeNull();
		const unconfirmedTry = await client().auth.signInWithPassword({
			email: unconfirmed,
			password: PASSWORD
		});
		expect(unconfirmedTry.error?.code).toBe('email_not_confirmed');
	});
});

describe('refresh tokens', () => {
	it('rotates: a new token whose parent is the old one, and the old one is revoked', async () => {
		const { email } = await createConfirmedUser('refresh');
		const { session } = await signIn(email);
		const { data, error } = await client().auth.refreshSession({
			refresh_token: session.refresh_token
		});
		expect(error).toBeNull();
		const next = data.session;
		expect(next?.refresh_token).toEqual(expect.any(String));
		expect(next?.refresh_token).not.toBe(session.refresh_token);
		expect(next?.access_token).not.toBe(session.access_token);
		expect(decodePayload(next?.access_token ?? '').session_id).toBe(
			decodePayload(session.access_token).session_id
		);

		const { rows } = await db.query<{ token: string; revoked: boolean; parent: string | null }>(
			'select token, revoked, parent from auth.refresh_tokens where token = any($1) order by id',
			[[session.refresh_token, next?.refresh_token]]
		);
		expect(rows).toEqual([
			{ token: session.refresh_token, revoked: true, parent: null },
			{ token: next?.refresh_token, revoked: false, parent: session.refresh_token }
		]);
	});

	it('gives back the live token for its parent (lost response), and no branch', async () => {
		const { email } = await createConfirmedUser('refresh-parent');
		const { session } = await signIn(email);
		const first = await client().auth.refreshSession({ refresh_token: session.refresh_token });
		const again = await client().auth.refreshSession({ refresh_token: session.refresh_token });
		expect(again.error).toBeNull();
		expect(again.data.session?.refresh_token).toBe(first.data.session?.refresh_token);
	});

	it('refreshes racing with one token all succeed, with one and the same new token', async () => {
		const { email } = await createConfirmedUser('refresh-race');
		const { session } = await signIn(email);
		// Warm the server's connection pool first, or the first refresh finishes while the others
		// are still connecting and nothing actually races.
		await Promise.all(
			Array.from({ length: 5 }, () =>
				call('/user', {
					headers: { apikey: server.anonKey, authorization: `Bearer ${session.access_token}` }
				})
			)
		);
		// Raw requests, so nothing in the client spaces them out: five truly concurrent refreshes.
		const results = await Promise.all(
			Array.from({ length: 5 }, () =>
				call('/token?grant_type=refresh_token', {
					method: 'POST',
					headers: { apikey: server.anonKey, 'content-type': 'application/json' },
					body: JSON.stringify({ refresh_token: session.refresh_token })
				})
			)
		);
		expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
		expect(new Set(results.map((r) => r.json?.refresh_token)).size).toBe(1);
		const { rows } = await db.query<{ n: string }>(
			'select count(*) as n from auth.refresh_tokens where parent = $1',
			[session.refresh_token]
		);
		expect(rows[0]?.n).toBe('1');
	});

	it('once the next rotation happened, the old token fails and the whole session is revoked', async () => {
		const { email } = await createConfirmedUser('refresh-reuse');
		const { session } = await signIn(email);
		const second = await client().auth.refreshSession({ refresh_token: session.refresh_token });
		const secondToken = second.data.session?.refresh_token ?? '';
		const third = await client().auth.refreshSession({ refresh_token: secondToken });
		const thirdToken = third.data.session?.refresh_token ?? '';
		expect(thirdToken).not.toBe('');

		const reused = await client().auth.refreshSession({ refresh_token: session.refresh_token });
		expect(reused.data.session).toBeNull();
		expect(reused.error?.status).toBe(400);
		expect(reused.error?.code).toBe('refresh_token_already_used');

		// Reuse means the token may have been stolen: the live token is revoked too.
		const live = await client().auth.refreshSession({ refresh_token: thirdToken });
		expect(live.error?.code).toBe('refresh_token_already_used');
	});

	it('refuses an unknown refresh token', async () => {
		const { error } = await client().auth.refreshSession({ refresh_token: 'not-a-real-token' });
		expect(error?.status).toBe(400);
		expect(error?.code).toBe('refresh_token_not_found');
	});
});

describe('access token checks', () => {
	it('rejects an expired token in getClaims() and getUser()', async () => {
		const { email, user } = await createConfirmedUser('expired');
		const { session } = await signIn(email);
		const claims = decodePayload(session.access_token);
		const now = Math.floor(Date.now() / 1000);
		const expired = await signWithServerKey({ ...claims, iat: now - 7200, exp: now - 3600 });
		expect(decodePayload(expired).sub).toBe(user.id);

		const viaClaims = await client().auth.getClaims(expired);
		expect(viaClaims.data).toBeNull();
		expect(viaClaims.error?.name).toBe('AuthInvalidJwtError');
		expect(viaClaims.error?.message).toMatch(/expired/i);

		const viaUser = await client().auth.getUser(expired);
		expect(viaUser.data.user).toBeNull();
		expect(viaUser.error?.status).toBe(403);
		expect(viaUser.error?.code).toBe('bad_jwt');
		expect(viaUser.error?.message).toMatch(/expired/);
	});

	it('expires tokens after accessTokenTtlSeconds', async () => {
		const shortLived = await startAuthServer({
			databaseUrl: inject('adminDatabaseUrl'),
			accessTokenTtlSeconds: 1
		});
		try {
			const { email, user } = await createConfirmedUser('ttl');
			const supabase = client(shortLived.anonKey, shortLived.url);
			const { data } = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
			const token = data.session?.access_token ?? '';
			expect(data.session?.expires_in).toBe(1);
			expect(decodePayload(token).exp).toBe(Number(decodePayload(token).iat) + 1);
			expect((await supabase.auth.getUser(token)).data.user?.id).toBe(user.id);
			await expect
				.poll(async () => (await supabase.auth.getUser(token)).error?.code, {
					interval: 250
				})
				.toBe('bad_jwt');
		} finally {
			await shortLived.stop();
		}
	});

	it('rejects a token signed by another key, with our kid or its own', async () => {
		const { email } = await createConfirmedUser('forged');
		const { session } = await signIn(email);
		const claims = decodePayload(session.access_token);
		const { privateKey } = await generateKeyPair('ES256');
		const ourKid = (await call('/.well-known/jwks.json')).json?.keys as Array<{ kid: string }>;
		const forge = (kid: string) =>
			new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(privateKey);

		const sameKid = await forge(ourKid[0]?.kid ?? '');
		const viaClaims = await client().auth.getClaims(sameKid);
		expect(viaClaims.error?.name).toBe('AuthInvalidJwtError');
		expect(viaClaims.error?.message).toBe('Invalid JWT signature');
		const viaUser = await client().auth.getUser(sameKid);
		expect(viaUser.error?.status).toBe(403);
		expect(viaUser.error?.code).toBe('bad_jwt');

		// Unknown kid: getClaims() cannot find the key and asks the server, which refuses.
		const otherKid = await forge(randomUUID());
		const unknown = await client().auth.getClaims(otherKid);
		expect(unknown.data).toBeNull();
		expect(unknown.error?.status).toBe(403);
	});

	it('rejects an HS256 token and the anon key as a user token', async () => {
		const hs = await new SignJWT({ sub: randomUUID(), role: 'authenticated' })
			.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
			.setExpirationTime('1h')
			.sign(new TextEncoder().encode('super-secret-jwt-token-with-at-least-32-characters'));
		const viaHs = await call('/user', {
			headers: { apikey: server.anonKey, authorization: `Bearer ${hs}` }
		});
		expect(viaHs.status).toBe(403);
		expect(viaHs.json?.code).toBe('bad_jwt');

		const viaAnon = await client().auth.getUser(server.anonKey);
		expect(viaAnon.error?.status).toBe(403);
		expect(viaAnon.error?.message).toBe('invalid claim: missing sub claim');
	});
});

describe('sign-out', () => {
	it('signOut() revokes the session: refresh and getUser() with the old tokens fail', async () => {
		const { email } = await createConfirmedUser('sign-out');
		const { supabase, session } = await signIn(email);
		const { error } = await supabase.auth.signOut();
		expect(error).toBeNull();

		const refreshed = await client().auth.refreshSession({ refresh_token: session.refresh_token });
		expect(refreshed.error?.status).toBe(400);
		expect(refreshed.error?.code).toBe('refresh_token_not_found');

		const viaUser = await client().auth.getUser(session.access_token);
		expect(viaUser.data.user).toBeNull();
		expect(viaUser.error?.name).toBe('AuthSessionMissingError');
		const raw = await call('/user', {
			headers: { apikey: server.anonKey, authorization: `Bearer ${session.access_token}` }
		});
		expect(raw.status).toBe(403);
		expect(raw.json?.code).toBe('session_not_found');
	});

	it('local scope ends only this session; global ends every session', async () => {
		const { email, user } = await createConfirmedUser('scopes');
		const phone = await signIn(email);
		const laptop = await signIn(email);
		const tablet = await signIn(email);

		expect((await phone.supabase.auth.signOut({ scope: 'local' })).error).toBeNull();
		expect((await client().auth.getUser(phone.session.access_token)).error?.name).toBe(
			'AuthSessionMissingError'
		);
		expect((await client().auth.getUser(laptop.session.access_token)).data.user?.id).toBe(user.id);

		expect((await laptop.supabase.auth.signOut({ scope: 'global' })).error).toBeNull();
		const tabletRefresh = await client().auth.refreshSession({
			refresh_token: tablet.session.refresh_token
		});
		expect(tabletRefresh.error?.code).toBe('refresh_token_not_found');
		const { rowCount } = await db.query('select 1 from auth.sessions where user_id = $1', [
			user.id
		]);
		expect(rowCount).toBe(0);
	});
});

describe('updateUser', () => {
	it('changes the password: the new one signs in, the old one no longer does', async () => {
		const { email } = await createConfirmedUser('password');
		const { supabase } = await signIn(email);
		const other = await signIn(email);
		const { data, error } = await supabase.auth.updateUser({ password: 'a brand new passphrase' });
		expect(error).toBeNull();
		expect(data.user?.email).toBe(email);

		const withNew = await client().auth.signInWithPassword({
			email,
			password: 'a brand new passphrase'
		});
		expect(withNew.error).toBeNull();
		const withOld = await client().auth.signInWithPassword({ email, password: PASSWORD });
		expect(withOld.error?.code).toBe('invalid_credentials');

		// Other sessions end with the password change; the one that changed it stays.
		expect((await client().auth.getUser(other.session.access_token)).error?.name).toBe(
			'AuthSessionMissingError'
		);
		expect((await supabase.auth.getUser()).error).toBeNull();
	});

	it('refuses a short password and the same password', async () => {
		const { email } = await createConfirmedUser('weak-update');
		const { supabase } = await signIn(email);
		const weak = await supabase.auth.updateUser({ password: 'short' });
		expect(weak.error?.name).toBe('AuthWeakPasswordError');
		expect(weak.error?.status).toBe(422);
		expect(weak.error?.code).toBe('weak_password');
		expect((weak.error as { reasons?: string[] } | null)?.reasons).toEqual(['length']);

		const same = await supabase.auth.updateUser({ password: PASSWORD });
		expect(same.error?.status).toBe(422);
		expect(same.error?.code).toBe('same_password');
	});

	it('merges data into user_metadata (null removes a key)', async () => {
		const { email, user } = await createConfirmedUser('metadata');
		const { supabase } = await signIn(email);
		await supabase.auth.updateUser({ data: { pronouns: 'they/them', colour: 'blue' } });
		const { data, error } = await supabase.auth.updateUser({ data: { colour: null } });
		expect(error).toBeNull();
		expect(data.user?.user_metadata).toEqual({
			preferred_name: 'Name metadata',
			pronouns: 'they/them'
		});
		const { rows } = await db.query<{ raw_user_meta_data: unknown }>(
			'select raw_user_meta_data from auth.users where id = $1',
			[user.id]
		);
		expect(rows[0]?.raw_user_meta_data).toEqual(data.user?.user_metadata);
	});
});

describe('invite links', () => {
	it('generateLink invite → verifyOtp gives a session once; the link is one-time', async () => {
		const email = uniqueEmail('invite');
		const { data, error } = await admin().auth.admin.generateLink({
			type: 'invite',
			email,
			options: { data: { preferred_name: 'Robin' }, redirectTo: 'http://localhost:5173/welcome' }
		});
		expect(error).toBeNull();
		const { properties, user } = data;
		expect(user?.email).toBe(email);
		expect(user?.invited_at).toEqual(expect.any(String));
		expect(user?.user_metadata).toEqual({ preferred_name: 'Robin' });
		expect(properties?.verification_type).toBe('invite');
		expect(properties?.redirect_to).toBe('http://localhost:5173/welcome');
		expect(properties?.hashed_token).toMatch(/^[0-9a-f]{56}$/);
		expect(properties?.action_link).toContain(`token=${properties?.hashed_token}`);

		const { rows } = await db.query<{
			encrypted_password: string | null;
			confirmation_token: string;
			preferred_name: string;
		}>(
			`select u.encrypted_password, u.confirmation_token, p.preferred_name
			from auth.users u join public.profiles p on p.id = u.id where u.id = $1`,
			[user?.id]
		);
		expect(rows[0]?.encrypted_password).toBeNull();
		expect(rows[0]?.preferred_name).toBe('Robin');
		// Stored hashed: reading auth.users does not give a usable link.
		expect(rows[0]?.confirmation_token).toMatch(/^[0-9a-f]{64}$/);
		expect(rows[0]?.confirmation_token).not.toBe(properties?.hashed_token);

		const invitee = client();
		const verified = await invitee.auth.verifyOtp({
			token_hash: properties?.hashed_token ?? '',
			type: 'invite'
		});
		expect(verified.error).toBeNull();
		expect(verified.data.user?.id).toBe(user?.id);
		expect(verified.data.user?.email_confirmed_at).toEqual(expect.any(String));
		expect(decodePayload(verified.data.session?.access_token ?? '').amr).toEqual([
			{ method: 'invite', timestamp: expect.any(Number) }
		]);

		const again = await client().auth.verifyOtp({
			token_hash: properties?.hashed_token ?? '',
			type: 'invite'
		});
		expect(again.data.session).toBeNull();
		expect(again.error?.status).toBe(403);
		expect(again.error?.code).toBe('otp_expired');

		// The invitee sets a password and can then sign in with it.
		expect((await invitee.auth.updateUser({ password: 'my own passphrase' })).error).toBeNull();
		const signedIn = await client().auth.signInWithPassword({
			email,
			password: 'my own passphrase'
		});
		expect(signedIn.data.user?.id).toBe(user?.id);
	});

	it('refuses a link older than 24 hours, and sends foreign redirects to the site', async () => {
		const email = uniqueEmail('stale-invite');
		const { data } = await admin().auth.admin.generateLink({
			type: 'invite',
			email,
			options: { redirectTo: 'https://evil.example/steal' }
		});
		expect(data.properties?.redirect_to).toBe('http://localhost:5173');
		await db.query(
			"update auth.users set confirmation_sent_at = now() - interval '25 hours' where id = $1",
			[data.user?.id]
		);
		const { error } = await client().auth.verifyOtp({
			token_hash: data.properties?.hashed_token ?? '',
			type: 'invite'
		});
		expect(error?.code).toBe('otp_expired');
	});

	it('will not invite someone who already has an account', async () => {
		const { email } = await createConfirmedUser('already-here');
		const { error } = await admin().auth.admin.generateLink({ type: 'invite', email });
		expect(error?.status).toBe(422);
		expect(error?.code).toBe('email_exists');
	});
});

describe('HTTP edges', () => {
	it('answers malformed JSON with 400 and keeps serving', async () => {
		const malformed = await call('/token?grant_type=password', {
			method: 'POST',
			headers: { apikey: server.anonKey, 'content-type': 'application/json' },
			body: '{"email": "x@example.test", "password": '
		});
		expect(malformed.status).toBe(400);
		expect(malformed.json?.code).toBe('bad_json');
		expect(malformed.json?.msg).toMatch(/^Could not parse request body as JSON/);

		const notObject = await call('/token?grant_type=password', {
			method: 'POST',
			headers: { apikey: server.anonKey },
			body: '["x@example.test"]'
		});
		expect(notObject.status).toBe(400);
		expect(notObject.json?.msg).toBe('Request body must be a JSON object');

		const wrongType = await call('/token?grant_type=password', {
			method: 'POST',
			headers: { apikey: server.anonKey },
			body: JSON.stringify({ email: { $ne: null }, password: 'x' })
		});
		expect(wrongType.status).toBe(400);
		expect(wrongType.json?.code).toBe('validation_failed');

		const tooLarge = await call('/token?grant_type=password', {
			method: 'POST',
			headers: { apikey: server.anonKey },
			body: JSON.stringify({ email: 'x@example.test', password: 'x'.repeat(70_000) })
		});
		expect(tooLarge.status).toBe(413);

		// Chunked, so no Content-Length to refuse up front: the limit applies while reading.
		const chunked = await new Promise<number>((resolve, reject) => {
			const req = request(
				`${server.url}/auth/v1/token?grant_type=password`,
				{ method: 'POST', headers: { apikey: server.anonKey, 'transfer-encoding': 'chunked' } },
				(res) => {
					res.resume();
					resolve(res.statusCode ?? 0);
				}
			);
			req.on('error', reject);
			for (let i = 0; i < 10; i++) req.write('x'.repeat(8 * 1024));
			req.end();
		});
		expect(chunked).toBe(413);

		const health = await call('/health');
		expect(health.status).toBe(200);
		const { email } = await createConfirmedUser('after-bad-input');
		await signIn(email);
	});

	it('requires a project key on every endpoint except the JWKS', async () => {
		const none = await call('/health', { headers: {} });
		expect(none.status).toBe(401);
		const { privateKey } = await generateKeyPair('ES256');
		const foreign = await new SignJWT({ role: 'anon' })
			.setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
			.sign(privateKey);
		const wrong = await call('/health', { headers: { apikey: foreign } });
		expect(wrong.status).toBe(401);
		// A user's access token is signed by the right key but is not a project key.
		const { email } = await createConfirmedUser('token-as-key');
		const { session } = await signIn(email);
		const userToken = await call('/health', { headers: { apikey: session.access_token } });
		expect(userToken.status).toBe(401);
		expect(userToken.json?.code).toBe('invalid_api_key');
		const viaClient = await client(foreign).auth.signInWithPassword({
			email: uniqueEmail('no-key'),
			password: PASSWORD
		});
		expect(viaClient.error?.status).toBe(401);

		const jwks = await call('/.well-known/jwks.json', { headers: {} });
		expect(jwks.status).toBe(200);
		const keys = jwks.json?.keys as Array<Record<string, unknown>>;
		expect(keys).toHaveLength(1);
		expect(keys[0]).toMatchObject({
			kty: 'EC',
			crv: 'P-256',
			alg: 'ES256',
			use: 'sig',
			key_ops: ['verify'],
			kid: expect.any(String)
		});
		expect(keys[0]).not.toHaveProperty('d');
	});

	it('answers CORS preflights with the headers supabase-js sends', async () => {
		const response = await fetch(`${server.url}/auth/v1/token?grant_type=password`, {
			method: 'OPTIONS',
			headers: {
				origin: 'http://localhost:5173',
				'access-control-request-method': 'POST',
				'access-control-request-headers': 'apikey, authorization, content-type, x-client-info'
			}
		});
		expect(response.status).toBe(204);
		expect(response.headers.get('access-control-allow-origin')).toBe('*');
		const allowed = response.headers.get('access-control-allow-headers') ?? '';
		for (const header of [
			'apikey',
			'authorization',
			'content-type',
			'x-client-info',
			'x-supabase-api-version'
		]) {
			expect(allowed).toContain(header);
		}
		expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
	});

	it('answers unknown paths and wrong methods in GoTrue error shape, never caching', async () => {
		const unknown = await call('/nope');
		expect(unknown.status).toBe(404);
		expect(unknown.json?.code).toBe('not_found');
		const wrongMethod = await call('/token', { method: 'GET' });
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.headers.get('cache-control')).toBe('no-store');
	});
});

describe('key file', () => {
	it('keeps the signing key owner-only and reuses it after a restart', async () => {
		const mode = (await stat(keyFile)).mode & 0o777;
		expect(mode).toBe(0o600);
		const jwk = JSON.parse(await readFile(keyFile, 'utf8')) as JWK;
		expect(jwk.d).toEqual(expect.any(String));

		const { email, user } = await createConfirmedUser('restart');
		const { session } = await signIn(email);
		const restarted = await startAuthServer({ databaseUrl: inject('adminDatabaseUrl'), keyFile });
		try {
			const jwks = await fetch(`${restarted.url}/auth/v1/.well-known/jwks.json`);
			const { keys } = (await jwks.json()) as { keys: Array<{ kid: string }> };
			expect(keys[0]?.kid).toBe(jwk.kid);
			const { data, error } = await client(restarted.anonKey, restarted.url).auth.getUser(
				session.access_token
			);
			expect(error).toBeNull();
			expect(data.user?.id).toBe(user.id);
			// The previous run's project key still opens the door.
			const oldKey = await fetch(`${restarted.url}/auth/v1/health`, {
				headers: { apikey: server.anonKey }
			});
			expect(oldKey.status).toBe(200);
		} finally {
			await restarted.stop();
		}
	});

	it('refuses to start with a key file that is not an ES256 private key', async () => {
		const { publicKey } = await generateKeyPair('ES256', { extractable: true });
		const bad = path.join(keyDir, 'public-only.json');
		await writeFile(bad, JSON.stringify(await exportJWK(publicKey)));
		await expect(
			startAuthServer({ databaseUrl: inject('adminDatabaseUrl'), keyFile: bad })
		).rejects.toThrow(/private JWK/);
	});
});
