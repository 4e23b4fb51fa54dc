import type { IncomingMessage, ServerResponse } from 'node:http';
import { claimsFor, UUID, type Store } from './store.ts';
import { TicketError, verifyTicket, type CollabTicket } from './ticket.ts';
import type { Additions } from './additions.ts';

/**
 * The collab service's two plain HTTP requests, asked by the app: save a named version, and
 * record a suggestion. Both write content (a version's state, a suggestion's quoted words) that
 * only this service may write, built from the stored log, never sent by anyone.
 *
 *   POST /documents/<id>/versions     {"name": "…", "isReview": false}
 *   POST /documents/<id>/suggestions  {"anchorStart": base64, "anchorEnd": base64, "suggested": "…"}
 *   POST /documents/<id>/additions    {"section": "<prompt id>", "text": "…"}
 *
 * (An addition is a person's own edit from a form without JavaScript: see additions.ts.)
 *
 * Authorised by the same short-lived ticket the app issues for the live editor, in
 * `Authorization: Bearer <ticket>`, for the person and the document; the database then decides
 * as that person (edit to save a version; comment or edit, and not the young person, to
 * suggest). No cookies, and no CORS headers: a browser page elsewhere cannot read an answer.
 */

/** Big enough for a 120-character name or two anchors and 4000 characters of suggestion. */
const MAX_BODY_BYTES = 64 * 1024;

type Log = (event: string, fields?: Record<string, unknown>) => void;

interface Context {
	store: Store;
	secret: Uint8Array;
	log: Log;
	additions: Pick<Additions, 'add'>;
}

const KINDS = { versions: 'version', suggestions: 'suggestion', additions: 'addition' } as const;

class RequestRefused extends Error {
	status: number;
	constructor(status: number, message: string) {
		super(message);
		this.name = 'RequestRefused';
		this.status = status;
	}
}

function answer(res: ServerResponse, status: number, body: Record<string, unknown>): void {
	res
		.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
		.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.byteLength;
		if (size > MAX_BODY_BYTES) throw new RequestRefused(413, 'body too large');
		chunks.push(chunk);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
	} catch {
		throw new RequestRefused(400, 'body is not JSON');
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new RequestRefused(400, 'body is not an object');
	}
	return parsed as Record<string, unknown>;
}

function text(body: Record<string, unknown>, field: string, max: number, min = 0): string {
	const value = body[field];
	if (
		typeof value !== 'string' ||
		value.length < min ||
		value.length > max ||
		value.includes('\0')
	) {
		throw new RequestRefused(400, `${field} is missing or not allowed`);
	}
	return value;
}

function anchor(body: Record<string, unknown>, field: string): Uint8Array {
	const value = text(body, field, 344, 2);
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value))
		throw new RequestRefused(400, `${field} is not base64`);
	return new Uint8Array(Buffer.from(value, 'base64'));
}

function isPgError(error: unknown, code: string): boolean {
	return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * Answers a plain HTTP request if it is one of ours (true), otherwise leaves it (false). Never
 * throws: every failure is an HTTP status.
 */
export function handleRequest(
	req: IncomingMessage,
	res: ServerResponse,
	context: Context
): boolean {
	const path = new URL(req.url ?? '/', 'http://collab').pathname;
	const match = /^\/documents\/([^/]+)\/(versions|suggestions|additions)$/.exec(path);
	if (!match) return false;
	const [, documentId = '', what = 'versions'] = match;
	serve(req, documentId, KINDS[what as keyof typeof KINDS], context).then(
		({ status, body }) => answer(res, status, body),
		(error: unknown) => {
			if (error instanceof RequestRefused) {
				context.log('request refused', { status: error.status, reason: error.message });
				answer(res, error.status, { error: error.message });
			} else if (isPgError(error, '42501')) {
				context.log('request refused by the database', { documentId });
				answer(res, 403, { error: 'not allowed' });
			} else if (isPgError(error, '54000')) {
				answer(res, 429, { error: 'too many' });
			} else {
				context.log('request failed', { documentId, error: String(error) });
				answer(res, 500, { error: 'could not save' });
			}
		}
	);
	return true;
}

async function serve(
	req: IncomingMessage,
	documentId: string,
	what: (typeof KINDS)[keyof typeof KINDS],
	{ store, secret, log, additions }: Context
): Promise<{ status: number; body: Record<string, unknown> }> {
	if (req.method !== 'POST') throw new RequestRefused(405, 'POST only');
	const auth = req.headers.authorization ?? '';
	const token = /^Bearer (\S+)$/.exec(auth)?.[1];
	if (!token) throw new RequestRefused(401, 'no ticket');
	let ticket: CollabTicket;
	try {
		ticket = await verifyTicket(secret, token);
		if (ticket.sessionExp * 1000 <= Date.now()) throw new TicketError('session ended');
		if (ticket.doc !== documentId || !UUID.test(documentId)) {
			throw new RequestRefused(403, 'ticket is for another document');
		}
		if (!UUID.test(ticket.sub)) throw new TicketError('ticket names no person');
	} catch (error) {
		if (error instanceof TicketError) throw new RequestRefused(401, `ticket: ${error.message}`);
		throw error;
	}
	const sub = ticket.sub;
	const body = await readJson(req);
	const claims = claimsFor(sub);
	if (what === 'addition') {
		// The words are judged by additions.ts (422 with the reason); here only their shape.
		const section = text(body, 'section', 200);
		const words = text(body, 'text', 16_000);
		// One spelling per document, as admission keys rooms and leases.
		const outcome = await additions.add(ticket, documentId.toLowerCase(), section, words);
		if (outcome.saved) return { status: 201, body: { saved: true } };
		return { status: outcome.status, body: { refused: outcome.reason } };
	}
	if (what === 'version') {
		const name = text(body, 'name', 120, 1);
		if (typeof body.isReview !== 'boolean') throw new RequestRefused(400, 'isReview is missing');
		const id = await store.saveVersion(claims, documentId, { name, isReview: body.isReview });
		log('version saved', { documentId, sub });
		return { status: 201, body: { id } };
	}
	const outcome = await store.suggest(claims, documentId, {
		anchorStart: anchor(body, 'anchorStart'),
		anchorEnd: anchor(body, 'anchorEnd'),
		suggested: text(body, 'suggested', 4000)
	});
	if ('refused' in outcome) return { status: 422, body: { refused: outcome.refused } };
	log('suggestion recorded', { documentId, sub });
	return { status: 201, body: { id: outcome.id } };
}
