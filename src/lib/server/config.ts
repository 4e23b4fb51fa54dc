import { env } from '$env/dynamic/private';

/** Raised at request time when the deployment is missing a setting it cannot run without. */
export class MissingConfigError extends Error {
	constructor(name: string) {
		super(`${name} is not set. See README.md, "Configuration".`);
		this.name = 'MissingConfigError';
	}
}

/** Raised at request time when a setting is there but cannot be used as it is. */
export class BadConfigError extends Error {
	override name = 'BadConfigError';
}

function required(name: string): string {
	const value = env[name];
	if (!value) throw new MissingConfigError(name);
	return value;
}

/**
 * Settings read when a request needs them (never at import), so the same build runs against the
 * local stack or a hosted Supabase project by configuration alone.
 */
export const config = {
	databaseUrl: () => required('DATABASE_URL'),
	supabaseUrl: () => required('SUPABASE_URL'),
	supabaseAnonKey: () => required('SUPABASE_ANON_KEY'),
	supabaseServiceRoleKey: () => required('SUPABASE_SERVICE_ROLE_KEY'),
	/** Where browsers reach the collab server, e.g. wss://collab.example.org (ws:// locally). */
	collabUrl: () => required('COLLAB_URL'),
	/**
	 * Where the app itself asks the collab service to save versions and record suggestions
	 * (server to server): COLLAB_INTERNAL_URL, or else COLLAB_URL with http(s) for ws(s).
	 */
	collabInternalUrl: () =>
		env.COLLAB_INTERNAL_URL || required('COLLAB_URL').replace(/^ws(s?):\/\//, 'http$1://'),
	/** Shared with the collab server to sign and verify document tickets (32+ characters). */
	collabTicketSecret: () => required('COLLAB_TICKET_SECRET'),
	/** Young people without an email sign in with a username, kept as `username@<this domain>`. */
	usernameDomain: () => env.USERNAME_DOMAIN || 'people.inmywords.invalid',
	/**
	 * A session unused for this long is over (phones are often shared): SESSION_IDLE_HOURS,
	 * 12 by default. The session cookies live no longer.
	 */
	sessionIdleSeconds: () => Math.round(positiveNumber('SESSION_IDLE_HOURS', 12) * 3600)
};

function positiveNumber(name: string, fallback: number): number {
	const raw = env[name];
	if (!raw) return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0) {
		throw new BadConfigError(`${name} must be a positive number; it is "${raw}".`);
	}
	return value;
}
