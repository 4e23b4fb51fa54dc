import type { VerifiedUser } from '$lib/server/auth/session';
import { signTicket, ticketSecret, ticketSession } from '$lib/server/collab/ticket';
import { config } from '$lib/server/config';
import { colourFor } from './presence';

/**
 * The app asks the collab service to write content it may not write itself (a version's state,
 * a suggestion's quoted words: only the collab service's database role can). The request carries
 * a one-minute ticket for this person and document, exactly as the live editor's; the service
 * checks it, builds the content from the stored log and the database decides as that person.
 */

/** The collab service did not answer as expected (down, or a bug): never shown as a refusal. */
export class CollabRequestError extends Error {
	constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'CollabRequestError';
	}
}

export interface CollabAnswer {
	status: number;
	body: Record<string, unknown>;
}

/**
 * Where to ask about a document: a request about it should reach the process holding it in
 * memory (an addition is applied to its live copy and sent to its editors). With several collab
 * nodes this is the proxy, which hashes the document id in the path exactly as it does for the
 * websockets (deploy/haproxy/collab.cfg), so the request reaches the node serving them; one that
 * lands elsewhere still works, through a handover (docs/architecture.md).
 */
export function collabFor(documentId: string): string {
	void documentId;
	return config.collabInternalUrl();
}

export async function askCollab(
	user: VerifiedUser,
	documentId: string,
	access: 'edit' | 'comment' | 'view',
	what: 'versions' | 'suggestions' | 'additions',
	body: Record<string, unknown>
): Promise<CollabAnswer> {
	const ticket = await signTicket(ticketSecret(config.collabTicketSecret()), {
		sub: user.id,
		doc: documentId,
		access,
		name: '',
		colour: colourFor(user.id),
		...ticketSession(user.claims)
	});
	const url = new URL(`/documents/${documentId}/${what}`, collabFor(documentId));
	let response: Response;
	try {
		response = await fetch(url, {
			method: 'POST',
			headers: { authorization: `Bearer ${ticket}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(15_000)
		});
	} catch (error) {
		throw new CollabRequestError(`collab service unreachable at ${url.origin}`, { cause: error });
	}
	let parsed: unknown;
	try {
		parsed = await response.json();
	} catch (error) {
		throw new CollabRequestError(`collab service answered ${response.status} without JSON`, {
			cause: error
		});
	}
	if (parsed === null || typeof parsed !== 'object') {
		throw new CollabRequestError(`collab service answered ${response.status} with no object`);
	}
	if (response.status >= 500 || response.status === 401 || response.status === 400) {
		// 401/400 mean the app and the service disagree (secret, clock, fields): a fault, not a no.
		throw new CollabRequestError(`collab service answered ${response.status}`);
	}
	return { status: response.status, body: parsed as Record<string, unknown> };
}
