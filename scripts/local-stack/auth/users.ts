import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type pg from 'pg';
import { AuthHttpError, validationFailed } from './errors.ts';
import type { JsonObject } from './http.ts';

/** GoTrue stores one instance id, all zeros; the seed does the same. */
export const INSTANCE_ID = '00000000-0000-0000-0000-000000000000';

/** The brief's policy, stricter than GoTrue's default of 6. */
export const MIN_PASSWORD_LENGTH = 8;
/** bcrypt ignores everything after 72 bytes; GoTrue refuses longer passwords instead. */
const MAX_PASSWORD_BYTES = 72;
const BCRYPT_COST = 10;

/** The columns of auth.users this server reads. */
export interface UserRow {
	id: string;
	aud: string | null;
	role: string | null;
	email: string | null;
	phone: string | null;
	encrypted_password: string | null;
	email_confirmed_at: Date | null;
	phone_confirmed_at: Date | null;
	invited_at: Date | null;
	confirmation_sent_at: Date | null;
	recovery_sent_at: Date | null;
	email_change: string | null;
	email_change_sent_at: Date | null;
	last_sign_in_at: Date | null;
	raw_app_meta_data: JsonObject | null;
	raw_user_meta_data: JsonObject | null;
	created_at: Date | null;
	updated_at: Date | null;
	banned_until: Date | null;
	deleted_at: Date | null;
	is_anonymous: boolean;
}

export const USER_COLUMNS = `id, aud, role, email, phone, encrypted_password, email_confirmed_at,
	phone_confirmed_at, invited_at, confirmation_sent_at, recovery_sent_at, email_change,
	email_change_sent_at, last_sign_in_at, raw_app_meta_data, raw_user_meta_data, created_at,
	updated_at, banned_until, deleted_at, is_anonymous`;

type Queryable = pg.Pool | pg.PoolClient;

const iso = (date: Date | null): string | undefined => date?.toISOString();

/**
 * The user object as GoTrue serialises it (same keys, same order, optional timestamps omitted
 * when unset). Identities live in a table the local platform schema does not have: always `[]`.
 */
export function toUserJson(user: UserRow): JsonObject {
	const confirmed = [user.email_confirmed_at, user.phone_confirmed_at]
		.filter((d): d is Date => d !== null)
		.sort((a, b) => a.getTime() - b.getTime())[0];
	const json: Record<string, unknown> = {
		id: user.id,
		aud: user.aud ?? '',
		role: user.role ?? '',
		email: user.email ?? '',
		email_confirmed_at: iso(user.email_confirmed_at),
		invited_at: iso(user.invited_at),
		phone: user.phone ?? '',
		phone_confirmed_at: iso(user.phone_confirmed_at),
		confirmation_sent_at: iso(user.confirmation_sent_at),
		confirmed_at: confirmed ? confirmed.toISOString() : undefined,
		recovery_sent_at: iso(user.recovery_sent_at),
		new_email: user.email_change || undefined,
		email_change_sent_at: iso(user.email_change_sent_at),
		last_sign_in_at: iso(user.last_sign_in_at),
		app_metadata: user.raw_app_meta_data ?? {},
		user_metadata: user.raw_user_meta_data ?? {},
		identities: [],
		created_at: iso(user.created_at) ?? '',
		updated_at: iso(user.updated_at) ?? '',
		banned_until: iso(user.banned_until),
		deleted_at: iso(user.deleted_at),
		is_anonymous: user.is_anonymous
	};
	for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
	return json;
}

/** Banned until a time still to come, as GoTrue's `IsBanned`. */
export function isBanned(user: UserRow, now = new Date()): boolean {
	return user.banned_until !== null && user.banned_until.getTime() > now.getTime();
}

/** Live (not soft-deleted) user by id, optionally locked for the rest of the transaction. */
export async function findUserById(
	db: Queryable,
	id: string,
	forUpdate = false
): Promise<UserRow | undefined> {
	const { rows } = await db.query<UserRow>(
		`select ${USER_COLUMNS} from auth.users where id = $1 and deleted_at is null
		${forUpdate ? 'for update' : ''}`,
		[id]
	);
	return rows[0];
}

/** Emails are matched case-insensitively, as GoTrue does (and its lower(email) index allows). */
export async function findUserByEmail(
	db: Queryable,
	email: string,
	forUpdate = false
): Promise<UserRow | undefined> {
	const { rows } = await db.query<UserRow>(
		`select ${USER_COLUMNS} from auth.users
		where lower(email) = $1 and is_sso_user = false and deleted_at is null
		order by created_at limit 1 ${forUpdate ? 'for update' : ''}`,
		[email.toLowerCase()]
	);
	return rows[0];
}

export async function findUserByPhone(db: Queryable, phone: string): Promise<UserRow | undefined> {
	const { rows } = await db.query<UserRow>(
		`select ${USER_COLUMNS} from auth.users where phone = $1 and deleted_at is null`,
		[phone]
	);
	return rows[0];
}

// --- request field readers: wrong types are 400s, never exceptions deeper down -----------------

export function optionalString(body: JsonObject, field: string): string | undefined {
	const value = body[field];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw validationFailed(`${field} must be a string`);
	return value;
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
	const value = body[field];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'boolean') throw validationFailed(`${field} must be a boolean`);
	return value;
}

export function optionalObject(body: JsonObject, field: string): JsonObject | undefined {
	const value = body[field];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'object' || Array.isArray(value)) {
		throw validationFailed(`${field} must be a JSON object`);
	}
	return value as JsonObject;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
	return UUID_PATTERN.test(value);
}

/** Trimmed and lower-cased, as GoTrue stores addresses; 400 when it cannot be an address. */
export function normaliseEmail(email: string): string {
	const trimmed = email.trim().toLowerCase();
	if (trimmed.length > 255 || !EMAIL_PATTERN.test(trimmed)) {
		throw validationFailed('Unable to validate email address: invalid format');
	}
	return trimmed;
}

/** GoTrue keeps phone numbers as digits only (no '+', spaces or punctuation). */
export function normalisePhone(phone: string): string {
	const digits = phone.replace(/[\s()+\-.]/g, '');
	if (!/^[1-9]\d{7,14}$/.test(digits)) {
		throw validationFailed('Invalid phone number format (E.164 required)');
	}
	return digits;
}

/** GoTrue's weak-password answer: auth-js turns it into `AuthWeakPasswordError` with reasons. */
export function assertPasswordAllowed(password: string): void {
	if ([...password].length < MIN_PASSWORD_LENGTH) {
		throw new AuthHttpError(
			422,
			'weak_password',
			`Password should be at least ${MIN_PASSWORD_LENGTH} characters.`,
			{ weak_password: { reasons: ['length'] } }
		);
	}
	if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
		throw new AuthHttpError(
			422,
			'validation_failed',
			`Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`
		);
	}
}

/**
 * bcrypt, cost 10. bcryptjs writes the `$2b$` prefix; GoTrue (Go) and pgcrypto write `$2a$`, the
 * same algorithm for passwords under 72 bytes, so we store `$2a$` and every tool can check it.
 */
export async function hashPassword(password: string): Promise<string> {
	const hash = await bcrypt.hash(password, BCRYPT_COST);
	return hash.replace(/^\$2b\$/, '$2a$');
}

// A hash of a random string nobody knows, compared against when there is no user or no password,
// so a miss costs as long as a hit.
const DUMMY_HASH = '$2a$10$RcdCp8/8k/MV4qy9/y0Npen0mRh6vznZ2zVMpYU03FQReRbpqtl.S';

/** Constant-effort check: unknown users and users without a password still cost one bcrypt. */
export async function passwordMatches(password: string, hash: string | null): Promise<boolean> {
	if (!hash || !/^\$2[aby]\$\d\d\$/.test(hash)) {
		await bcrypt.compare(password, DUMMY_HASH);
		return false;
	}
	return bcrypt.compare(password, hash);
}

/** True for a bcrypt hash we could check (the admin API's `password_hash`). */
export function isBcryptHash(hash: string): boolean {
	return /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash);
}

/** Link tokens are stored hashed, so reading auth.users never yields a usable link. */
export function hashLinkToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/**
 * Shallow merge as GoTrue's `UpdateUserMetaData`: a key set to null is removed, others replace.
 */
export function mergeMetadata(current: JsonObject | null, update: JsonObject): JsonObject {
	const merged: JsonObject = { ...(current ?? {}) };
	for (const [key, value] of Object.entries(update)) {
		if (value === null) delete merged[key];
		else merged[key] = value;
	}
	return merged;
}
