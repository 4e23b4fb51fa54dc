import { DEFAULT_HEADER_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS } from './timeouts.ts';

/** A setting is missing or wrong: the process stops before listening. */
export class CollabConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CollabConfigError';
	}
}

/** How often each collab process asks Postgres whether its sockets' sessions are still live. */
export const DEFAULT_SESSION_RECHECK_MS = 5_000;
/** The app's default idle limit (SESSION_IDLE_HOURS, src/lib/server/config.ts). */
export const DEFAULT_SESSION_IDLE_HOURS = 12;
/**
 * How long a document's lease lasts unless renewed (every third of it): how long a dead node's
 * documents wait before another node may serve them (lease.ts).
 */
export const DEFAULT_LEASE_MS = 10_000;

/** The collab settings about time, read from the environment by whoever starts the server. */
export interface CollabTimings {
	sessionRecheckMs: number;
	sessionIdleSeconds: number;
	headerTimeoutMs: number;
	idleTimeoutMs: number;
	leaseMs: number;
}

/**
 * COLLAB_SESSION_RECHECK_MS, COLLAB_HEADER_TIMEOUT_MS, COLLAB_IDLE_TIMEOUT_MS, COLLAB_LEASE_MS, and
 * SESSION_IDLE_HOURS, the app's own setting: the collab server must judge a session idle exactly
 * when the app does, so both read the same variable with the same default. Read when called,
 * never at import (main.ts and the local stack call it).
 */
export function collabTimings(
	env: Record<string, string | undefined> = process.env
): CollabTimings {
	return {
		sessionRecheckMs: positive(env, 'COLLAB_SESSION_RECHECK_MS', DEFAULT_SESSION_RECHECK_MS),
		sessionIdleSeconds: Math.round(
			positive(env, 'SESSION_IDLE_HOURS', DEFAULT_SESSION_IDLE_HOURS) * 3600
		),
		headerTimeoutMs: positive(env, 'COLLAB_HEADER_TIMEOUT_MS', DEFAULT_HEADER_TIMEOUT_MS),
		idleTimeoutMs: positive(env, 'COLLAB_IDLE_TIMEOUT_MS', DEFAULT_IDLE_TIMEOUT_MS),
		leaseMs: positive(env, 'COLLAB_LEASE_MS', DEFAULT_LEASE_MS)
	};
}

function positive(env: Record<string, string | undefined>, name: string, fallback: number): number {
	const raw = env[name];
	if (!raw) return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0) {
		throw new CollabConfigError(`${name} must be a positive number; it is "${raw}"`);
	}
	return value;
}
