import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';

/**
 * A ticket lets one signed-in person open one document on the collab server. The app issues it
 * (after checking access and writing the audit row); the collab server verifies it at the HTTP
 * upgrade. It travels as a Sec-WebSocket-Protocol value, never in the URL, so it stays out of
 * logs. Imports stay relative with `.ts` so the collab server also runs under plain Node.
 */
export interface CollabTicket {
	/** The person (auth user id); the collab server writes their edits as them, under RLS. */
	sub: string;
	/** The document id. */
	doc: string;
	access: 'edit' | 'comment' | 'view';
	/** Shown beside their caret: a display name and a colour, nothing more. */
	name: string;
	colour: string;
	/** Seconds since the epoch when the person's session ends unless a new ticket arrives. */
	sessionExp: number;
}

export { COLLAB_PROTOCOL } from '../../collab/protocol.ts';

/** A ticket only has to survive the connection handshake. */
export const TICKET_TTL_SECONDS = 60;

/** Raised for a missing, malformed, forged or expired ticket: the upgrade answers 401. */
export class TicketError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'TicketError';
	}
}

const ISSUER = 'in-my-words-app';
const AUDIENCE = 'in-my-words-collab';

/** The shared secret from configuration, as bytes; at least 32 characters. */
export function ticketSecret(value: string | undefined): Uint8Array {
	if (!value || value.length < 32) {
		throw new TicketError('COLLAB_TICKET_SECRET must be set to at least 32 characters');
	}
	return new TextEncoder().encode(value);
}

export async function signTicket(
	secret: Uint8Array,
	ticket: CollabTicket,
	now = Math.floor(Date.now() / 1000)
): Promise<string> {
	return new SignJWT({ ...ticket })
		.setProtectedHeader({ alg: 'HS256' })
		.setIssuer(ISSUER)
		.setAudience(AUDIENCE)
		.setIssuedAt(now)
		.setExpirationTime(now + TICKET_TTL_SECONDS)
		.sign(secret);
}

const ACCESS = new Set(['edit', 'comment', 'view']);

export async function verifyTicket(secret: Uint8Array, token: string): Promise<CollabTicket> {
	try {
		const { payload } = await jwtVerify(token, secret, {
			issuer: ISSUER,
			audience: AUDIENCE,
			algorithms: ['HS256']
		});
		const { sub, doc, access, name, colour, sessionExp } = payload;
		if (
			typeof sub !== 'string' ||
			typeof doc !== 'string' ||
			typeof access !== 'string' ||
			!ACCESS.has(access) ||
			typeof name !== 'string' ||
			typeof colour !== 'string' ||
			typeof sessionExp !== 'number'
		) {
			throw new TicketError('ticket is missing fields');
		}
		return { sub, doc, access: access as CollabTicket['access'], name, colour, sessionExp };
	} catch (error) {
		if (error instanceof TicketError) throw error;
		if (error instanceof joseErrors.JOSEError) throw new TicketError(error.code);
		throw error;
	}
}
