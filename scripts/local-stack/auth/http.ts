import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthHttpError } from './errors.ts';

/** Larger bodies are refused before they are buffered: no auth request comes close. */
export const MAX_BODY_BYTES = 64 * 1024;

/** auth-js reads error codes from the body only when the response names this API version. */
export const API_VERSION_HEADER = 'X-Supabase-Api-Version';
export const API_VERSION = '2024-01-01';

/** A parsed JSON request body: always an object, so handlers can read fields without guarding. */
export type JsonObject = Record<string, unknown>;

// What supabase-js sends (its own `corsHeaders` list plus the API version and tracing headers).
const ALLOWED_HEADERS = [
	'apikey',
	'authorization',
	'content-type',
	'accept',
	'x-client-info',
	'x-supabase-api-version',
	'x-retry-count',
	'traceparent',
	'tracestate',
	'baggage'
].join(', ');

/**
 * CORS for browser use of supabase-js. Tokens travel in headers and bodies, never cookies, so a
 * wildcard origin without credentials gives other sites nothing they could not already send.
 */
export function setCorsHeaders(res: ServerResponse): void {
	res.setHeader('Access-Control-Allow-Origin', '*');
	res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
	res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
	res.setHeader('Access-Control-Expose-Headers', API_VERSION_HEADER);
	res.setHeader('Access-Control-Max-Age', '7200');
}

/**
 * Reads the body as one JSON object. An empty body counts as `{}` (auth-js sends none on some
 * calls); anything over {@link MAX_BODY_BYTES}, not JSON, or not an object is a 4xx, never a crash.
 */
export function readJsonBody(req: IncomingMessage): Promise<JsonObject> {
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
		return Promise.reject(tooLarge());
	}
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const fail = (error: Error) => {
			if (settled) return;
			settled = true;
			reject(error);
		};
		req.on('data', (chunk: Buffer) => {
			if (settled) return;
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				// Stop buffering; the response closes the connection (see sendJson).
				chunks.length = 0;
				fail(tooLarge());
				return;
			}
			chunks.push(chunk);
		});
		req.on('error', fail);
		req.on('close', () => {
			if (!req.complete) fail(new AuthHttpError(400, 'bad_json', 'Request was aborted'));
		});
		req.on('end', () => {
			if (settled) return;
			settled = true;
			try {
				resolve(parseObject(Buffer.concat(chunks).toString('utf8')));
			} catch (error) {
				reject(error);
			}
		});
	});
}

function tooLarge(): AuthHttpError {
	return new AuthHttpError(
		413,
		'request_too_large',
		`Request body is larger than ${MAX_BODY_BYTES / 1024} KiB`
	);
}

function parseObject(text: string): JsonObject {
	if (text.trim() === '') return {};
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		throw new AuthHttpError(
			400,
			'bad_json',
			`Could not parse request body as JSON: ${(error as Error).message}`
		);
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new AuthHttpError(400, 'bad_json', 'Request body must be a JSON object');
	}
	return value as JsonObject;
}

/**
 * Sends JSON. Auth responses carry tokens, so nothing may cache them; after a refused oversize body
 * the connection is closed rather than drained.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
	const text = JSON.stringify(body);
	res.statusCode = status;
	res.setHeader('Content-Type', 'application/json; charset=utf-8');
	res.setHeader('Content-Length', Buffer.byteLength(text));
	res.setHeader('Cache-Control', 'no-store');
	res.setHeader(API_VERSION_HEADER, API_VERSION);
	if (close) res.setHeader('Connection', 'close');
	res.end(text);
}

/**
 * GoTrue's error body. Since API version 2024-01-01 GoTrue puts the string code in `code`; older
 * clients read `error_code`. Sending both keeps every auth-js version on its typed error path.
 */
export function sendError(res: ServerResponse, error: AuthHttpError): void {
	sendJson(
		res,
		error.status,
		{ code: error.code, error_code: error.code, msg: error.message, ...error.extra },
		error.status === 413
	);
}
