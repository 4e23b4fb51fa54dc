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
	/**
	 * The Supabase session behind the ticket (the access token's `session_id`): every collab
	 * process asks Postgres every few seconds whether it is still live, and closes the socket
	 * (4401) once it is not, so signing out ends co-writing too (session-recheck.ts).
	 */
	sessionId: string;
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
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AUDIENCE = 'in-my-words-collab';

/** The shared secret from configuration, as bytes; at least 32 characters. */
export function ticketSecret(value: string | undefined): Uint8Array {
	if (!value || value.length < 32) {
		throw new TicketError('COLLAB_TICKET_SECRET must be set to at least 32 characters');
	}
	return new TextEncoder().encode(value);
}

/**
 * A ticket's session fields from the person's verified access-token claims: when the token
 * expires and which session it belongs to. The app only issues tickets to live sessions, so a
 * token without a session id here is a bug, not a refusal.
 */
export function ticketSession(
	claims: Readonly<Record<string, unknown>>
): Pick<CollabTicket, 'sessionExp' | 'sessionId'> {
	const { exp, session_id: sessionId } = claims;
	if (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId)) {
		throw new TicketError('the access token names no session');
	}
	return { sessionExp: typeof exp === 'number' ? exp : 0, sessionId };
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
		const { sub, doc, access, name, colour, sessionExp, sessionId } = payload;
		if (
			typeof sub !== 'string' ||
			typeof doc !== 'string' ||
			typeof access !== 'string' ||
			!ACCESS.has(access) ||
			typeof name !== 'string' ||
			typeof colour !== 'string' ||
			typeof sessionExp !== 'number' ||
			typeof sessionId !== 'string' ||
			!SESSION_ID.test(sessionId)
		) {
			throw new TicketError('ticket is missing fields');
		}
		return {
			sub,
			doc,
			access: access as CollabTicket['access'],
			name,
			colour,
			sessionExp,
			sessionId
		};
	} catch (error) {
		if (error instanceof TicketError) throw error;
		if (error instanceof joseErrors.JOSEError) throw new TicketError(error.code);
		throw error;
	}
}
