import pg from 'pg';
import { m } from '$lib/paraglide/messages.js';

/** Too many requests or messages in a short time (per address, account or thread). */
export class AdvocacyRateLimitError extends Error {
	constructor() {
		super('Too many in a short time');
		this.name = 'AdvocacyRateLimitError';
	}
}

/** The request is closed: no more messages or changes. */
export class AdvocacyClosedError extends Error {
	constructor() {
		super('This request is closed');
		this.name = 'AdvocacyClosedError';
	}
}

/** The database refused: not theirs, or a value it does not accept (too long, wrong choice). */
export class AdvocacyRefusedError extends Error {
	constructor(
		readonly code: string,
		message: string
	) {
		super(message);
		this.name = 'AdvocacyRefusedError';
	}
}

/**
 * Turns the SQLSTATEs the advocacy functions raise (see the migration) into named errors, so
 * pages can show a clear message instead of a 500. Anything else is rethrown unchanged.
 */
export function advocacyError(error: unknown): Error {
	if (error instanceof pg.DatabaseError) {
		if (error.code === 'AR429') return new AdvocacyRateLimitError();
		if (error.code === 'AR410') return new AdvocacyClosedError();
		if (error.code === '42501' || error.code === '23514' || error.code === '23503') {
			return new AdvocacyRefusedError(error.code, error.message);
		}
	}
	return error instanceof Error ? error : new Error(String(error));
}

/** The words people see when a limit stops them. Nothing they sent before is lost. */
export function rateLimitMessage(): string {
	return m.advocacy_rate_limited();
}

/** The words people see when the request is closed. */
export function closedMessage(): string {
	return m.advocacy_closed_refusal();
}
