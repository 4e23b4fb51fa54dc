import net from 'node:net';
import * as encoding from 'lib0/encoding';
import { SignJWT } from 'jose';
import pg from 'pg';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
	MESSAGE_OWN_WORDS,
	MESSAGE_REFRESH,
	MESSAGE_SYNC,
	SYNC_UPDATE
} from '../../src/lib/collab/protocol.ts';
import { createCollabServer, type CollabServer } from '../../src/lib/server/collab/server.ts';
import {
	COLLAB_PROTOCOL,
	signTicket,
	verifyTicket,
	type CollabTicket
} from '../../src/lib/server/collab/ticket.ts';
import {
	ORIGIN,
	SECRET_BYTES,
	TEST_SECRET,
	connectClient,
	createCast,
	prng,
	ticketFor,
	type Cast,
	type TestClient
} from './support.ts';

/**
 * Hostile handshakes and hostile first messages against a real collab server (real Postgres,
 * real sockets): every attempt is refused before the upgrade with a clear status, or closed
 * after it with a clear code; nothing crashes or goes unhandled; a connection opened before keeps
 * working; and the content tables are exactly as they were. FUZZ_SEED=<n> replays a run.
 */
process.setMaxListeners(100);

const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const MAX_PAYLOAD = 64 * 1024;
const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 10 });
const logs: Array<{ event: string; fields?: Record<string, unknown> }> = [];
let collab: CollabServer;
let port: number;
let cast: Cast;
let bystander: TestClient;

/** Anything the process did not handle while the fuzz ran: each one counts as a crash. */
const unhandled: unknown[] = [];
const onUnhandled = (error: unknown) => unhandled.push(error);

beforeAll(async () => {
	process.on('uncaughtException', onUnhandled);
	process.on('unhandledRejection', onUnhandled);
	collab = createCollabServer({
		pool: collabPool,
		ticketSecret: TEST_SECRET,
		allowedOrigins: [ORIGIN],
		limits: { maxPayloadBytes: MAX_PAYLOAD, maxConnectionsPerUser: 100 },
		log: (event, fields) => logs.push({ event, fields })
	});
	port = await collab.listen(0);
	cast = await createCast(admin, { blank: true });
});

afterAll(async () => {
	bystander?.destroy();
	await collab.close();
	await collabPool.end();
	await admin.end();
	process.off('uncaughtException', onUnhandled);
	process.off('unhandledRejection', onUnhandled);
});

/** Counts and a digest of every content table: equal before and after means nothing changed. */
async function contentFingerprint(): Promise<Record<string, string>> {
	const tables = [
		'documents',
		'document_updates',
		'document_snapshots',
		'document_writers',
		'document_versions',
		'document_suggestions'
	];
	const result: Record<string, string> = {};
	for (const table of tables) {
		const { rows } = await admin.query<{ n: string; digest: string | null }>(
			`select count(*)::text as n, md5(string_agg(t::text, ',' order by t::text)) as digest
			 from public.${table} t`
		);
		result[table] = `${rows[0]?.n}:${rows[0]?.digest ?? '-'}`;
	}
	return result;
}

// --- Raw HTTP ------------------------------------------------------------------------------------

/**
 * Writes `bytes` on a fresh TCP connection and resolves with the HTTP status the server answers
 * (0 if it closed without answering), then closes it.
 */
function rawStatus(bytes: string | Buffer): Promise<number> {
	return new Promise((resolve) => {
		let received = '';
		let done = false;
		const finish = (status: number) => {
			if (done) return;
			done = true;
			socket.destroy();
			resolve(status);
		};
		const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
		socket.on('data', (chunk) => {
			received += chunk.toString('latin1');
			const line = /^HTTP\/1\.[01] (\d{3}) /.exec(received);
			if (line) finish(Number(line[1]));
		});
		socket.on('close', () => finish(0));
		socket.on('error', () => finish(0));
	});
}

function upgradeRequest(
	options: {
		path?: string;
		origin?: string | null;
		protocols?: string[] | null;
		extraHeaders?: string;
		upgrade?: string;
		key?: string;
	} = {}
): string {
	const lines = [
		`GET ${options.path ?? `/${cast.documentId}`} HTTP/1.1`,
		'Host: 127.0.0.1',
		`Upgrade: ${options.upgrade ?? 'websocket'}`,
		'Connection: Upgrade',
		`Sec-WebSocket-Key: ${options.key ?? 'dGhlIHNhbXBsZSBub25jZQ=='}`,
		'Sec-WebSocket-Version: 13'
	];
	if (options.origin !== null) lines.push(`Origin: ${options.origin ?? ORIGIN}`);
	if (options.protocols !== null) {
		lines.push(`Sec-WebSocket-Protocol: ${(options.protocols ?? [COLLAB_PROTOCOL]).join(', ')}`);
	}
	return `${lines.join('\r\n')}\r\n${options.extraHeaders ?? ''}\r\n`;
}

// --- Websockets ----------------------------------------------------------------------------------

interface Outcome {
	/** HTTP status of a refused upgrade, or 101. */
	status: number;
	/** Close code once upgraded; -1: still open (and answering, when probed) when let go. */
	code: number;
}

/** Sync step 1 with an empty state vector: the server answers with sync step 2. */
const PROBE = Uint8Array.of(MESSAGE_SYNC, 0, 1, 0);

/**
 * Opens a websocket (ws client) and sends `messages` once open. `until`: 'status' lets go as
 * soon as the upgrade is answered; 'close' waits for the server to close it; 'probe' also asks
 * (sync step 1) and lets go once answered, as the server handles messages in order.
 */
async function socketOutcome(
	protocols: string[],
	options: {
		path?: string;
		origin?: string;
		messages?: Array<{ data: Uint8Array | string; binary?: boolean }>;
		until?: 'status' | 'close' | 'probe';
	} = {}
): Promise<Outcome> {
	const until = options.until ?? 'close';
	const ws = new WebSocket(
		`ws://127.0.0.1:${port}${options.path ?? `/${cast.documentId}`}`,
		protocols,
		{ origin: options.origin ?? ORIGIN, maxPayload: 16 * 1024 * 1024 }
	);
	const outcome = { status: 0, code: -1, settled: false, answered: false };
	ws.on('unexpected-response', (_req, res) => {
		outcome.status = res.statusCode ?? 0;
		outcome.settled = true;
		ws.terminate();
	});
	ws.on('upgrade', () => (outcome.status = 101));
	ws.on('open', () => {
		for (const m of options.messages ?? []) ws.send(m.data, { binary: m.binary ?? true });
		if (until === 'probe') ws.send(PROBE);
	});
	ws.on('message', (data: Buffer) => {
		if (data[0] === MESSAGE_SYNC && data[1] === 1) outcome.answered = true;
	});
	ws.on('close', (code) => {
		if (outcome.status === 101) outcome.code = code;
		outcome.settled = true;
	});
	ws.on('error', () => {});
	const letGo = () =>
		outcome.settled ||
		(until === 'status' && outcome.status === 101) ||
		(until === 'probe' && outcome.answered);
	await expect.poll(letGo).toBe(true);
	if (!outcome.settled) {
		ws.terminate();
		await expect.poll(() => outcome.settled).toBe(true);
		outcome.code = -1;
	}
	return { status: outcome.status, code: outcome.code };
}

/**
 * A websocket upgrade done by hand, then `frame` written raw (for frames the ws client will not
 * send: unmasked, reserved opcodes, lying lengths). Resolves with the server's close code (from
 * its close frame), or 0 if it just dropped the connection.
 */
async function rawFrameOutcome(frame: Buffer): Promise<number> {
	const ticket = await ticketFor(cast.editor, cast.documentId);
	return new Promise((resolve) => {
		let buffer = Buffer.alloc(0);
		let upgraded = false;
		let done = false;
		const finish = (code: number) => {
			if (done) return;
			done = true;
			socket.destroy();
			resolve(code);
		};
		const socket = net.connect(port, '127.0.0.1', () =>
			socket.write(upgradeRequest({ protocols: [COLLAB_PROTOCOL, ticket] }))
		);
		socket.on('data', (chunk) => {
			buffer = Buffer.concat([buffer, chunk]);
			if (!upgraded) {
				const end = buffer.indexOf('\r\n\r\n');
				if (end < 0) return;
				if (!buffer.subarray(0, end).toString('latin1').startsWith('HTTP/1.1 101')) {
					finish(-1);
					return;
				}
				upgraded = true;
				buffer = buffer.subarray(end + 4);
				socket.write(frame);
			}
			// Server frames are unmasked; skip the first messages (sync step 1, own words) to the
			// close frame (opcode 8), whose payload starts with the code.
			while (buffer.length >= 2) {
				const opcode = (buffer[0] as number) & 0x0f;
				let length = (buffer[1] as number) & 0x7f;
				let offset = 2;
				if (length === 126) {
					if (buffer.length < 4) return;
					length = buffer.readUInt16BE(2);
					offset = 4;
				} else if (length === 127) {
					if (buffer.length < 10) return;
					length = Number(buffer.readBigUInt64BE(2));
					offset = 10;
				}
				if (buffer.length < offset + length) return;
				if (opcode === 8) {
					finish(length >= 2 ? buffer.readUInt16BE(offset) : 1005);
					return;
				}
				buffer = buffer.subarray(offset + length);
			}
		});
		socket.on('close', () => finish(0));
		socket.on('error', () => finish(0));
	});
}

/** A client frame with a mask (all zero, so the payload is as written). */
function clientFrame(
	opcode: number,
	payload: Buffer,
	options: { fin?: boolean; rsv?: number } = {}
) {
	const head = Buffer.alloc(2);
	head[0] = ((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | opcode;
	if (payload.length >= 126) throw new Error('keep raw frames short');
	head[1] = 0x80 | payload.length;
	return Buffer.concat([head, Buffer.alloc(4), payload]);
}

function syncUpdate(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, SYNC_UPDATE);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

function refresh(token: string): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_REFRESH);
	encoding.writeVarString(encoder, token);
	return encoding.toUint8Array(encoder);
}

function base(overrides: Partial<CollabTicket> = {}): CollabTicket {
	return {
		sub: cast.editor,
		doc: cast.documentId,
		access: 'edit',
		name: 'Priya',
		colour: '#1d70b8',
		sessionExp: Math.floor(Date.now() / 1000) + 3600,
		sessionId: cast.editor,
		...overrides
	};
}

// --- The fuzz ------------------------------------------------------------------------------------

/** Clear refusals before the upgrade; clear closes after it. */
const REFUSED = new Set([400, 401, 403, 404, 408, 413, 426, 429, 431]);
const CLOSED = new Set([1002, 1007, 1008, 1009, 4401, 4403, 4409, 4504, 4508]);

describe('collab handshake fuzz', () => {
	it('refuses or closes every hostile handshake with a clear code, and changes nothing', async () => {
		bystander = connectClient(
			`ws://127.0.0.1:${port}`,
			cast.documentId,
			await ticketFor(cast.youngPerson, cast.documentId)
		);
		bystander.provider.messageHandlers[MESSAGE_OWN_WORDS] = () => {};
		await expect.poll(() => bystander.provider.synced).toBe(true);
		// Another document, for tickets naming it (made before the fingerprint: it is ours).
		const other = await createCast(admin, { blank: true });
		const before = await contentFingerprint();

		const counts = { attempts: 0, crashes: 0, refused: 0, closed: 0, harmless: 0 };
		const failures: string[] = [];
		const random = prng(SEED);
		const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
		const junk = (length: number) => Uint8Array.from({ length }, () => Math.floor(random() * 256));

		/** Runs one attempt, checks its outcome is among `allowed`, and that the server is alive. */
		async function attempt(
			name: string,
			run: () => Promise<number>,
			allowed: ReadonlySet<number> | number[]
		): Promise<void> {
			counts.attempts++;
			const unhandledBefore = unhandled.length;
			let result: number;
			try {
				result = await run();
			} catch (error) {
				failures.push(`${name}: the test's own client threw ${String(error)}`);
				return;
			}
			const ok = Array.isArray(allowed) ? allowed.includes(result) : allowed.has(result);
			if (!ok) failures.push(`${name}: got ${result}`);
			if (REFUSED.has(result)) counts.refused++;
			else if (CLOSED.has(result)) counts.closed++;
			else counts.harmless++;
			const alive = await fetch(`http://127.0.0.1:${port}/healthz`).then(
				(r) => r.ok,
				() => false
			);
			if (!alive || unhandled.length > unhandledBefore) {
				counts.crashes++;
				failures.push(`${name}: server down or unhandled error ${String(unhandled.at(-1))}`);
			}
		}
		const status = async (protocols: string[], options: Parameters<typeof socketOutcome>[1] = {}) =>
			(await socketOutcome(protocols, { ...options, until: 'status' })).status;
		const closeCode = async (
			protocols: string[],
			messages: NonNullable<Parameters<typeof socketOutcome>[1]>['messages']
		) => {
			const outcome = await socketOutcome(protocols, { messages });
			return outcome.status === 101 ? outcome.code : outcome.status;
		};

		const good = await ticketFor(cast.editor, cast.documentId);
		const [header, payload, signature] = good.split('.') as [string, string, string];

		// Tickets: missing, garbled, expired, forged, wrong shape, for someone or something else.
		await attempt('no protocols', () => status([]), [401]);
		await attempt('protocol but no ticket', () => status([COLLAB_PROTOCOL]), [401]);
		await attempt('ticket without our protocol', () => status([good]), [401]);
		for (const garbled of [
			'x',
			'a.b.c',
			'..',
			'e30.e30.',
			`${header}.${payload}`,
			'A'.repeat(8000)
		]) {
			await attempt(
				`garbled ticket ${garbled.slice(0, 12)}`,
				() => status([COLLAB_PROTOCOL, garbled]),
				[401]
			);
		}
		await attempt(
			'expired ticket',
			async () => status([COLLAB_PROTOCOL, await signTicket(SECRET_BYTES, base(), 1_000_000)]),
			[401]
		);
		await attempt(
			'session already over',
			async () =>
				status([
					COLLAB_PROTOCOL,
					await signTicket(SECRET_BYTES, base({ sessionExp: Math.floor(Date.now() / 1000) - 1 }))
				]),
			[401]
		);
		await attempt(
			'signed with another secret',
			async () =>
				status([
					COLLAB_PROTOCOL,
					await signTicket(new TextEncoder().encode('z'.repeat(48)), base())
				]),
			[401]
		);
		const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
		await attempt('alg none', () => status([COLLAB_PROTOCOL, none]), [401]);
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
			string,
			unknown
		>;
		const tampered = Buffer.from(
			JSON.stringify({ ...claims, access: 'edit', sub: cast.outsider })
		).toString('base64url');
		await attempt(
			'payload swapped, signature kept',
			() => status([COLLAB_PROTOCOL, `${header}.${tampered}.${signature}`]),
			[401]
		);
		const hs512 = await new SignJWT({ ...base() })
			.setProtectedHeader({ alg: 'HS512' })
			.setIssuer('in-my-words-app')
			.setAudience('in-my-words-collab')
			.setExpirationTime('1m')
			.sign(SECRET_BYTES);
		await attempt('another algorithm', () => status([COLLAB_PROTOCOL, hs512]), [401]);
		const noSession: Partial<CollabTicket> = base();
		delete noSession.sessionId;
		await attempt(
			'no session id',
			async () =>
				status([COLLAB_PROTOCOL, await signTicket(SECRET_BYTES, noSession as CollabTicket)]),
			[401]
		);
		await attempt(
			'person is not a uuid',
			async () =>
				status([COLLAB_PROTOCOL, await signTicket(SECRET_BYTES, base({ sub: "' or 1=1 --" }))]),
			[401]
		);
		await attempt(
			'ticket for another document',
			async () => status([COLLAB_PROTOCOL, await ticketFor(cast.editor, other.documentId)]),
			[403]
		);
		await attempt(
			'no access to this document',
			async () => status([COLLAB_PROTOCOL, await ticketFor(cast.outsider, cast.documentId)]),
			[403]
		);
		await attempt(
			'foreign origin',
			() => status([COLLAB_PROTOCOL, good], { origin: 'https://evil.example' }),
			[403]
		);
		await attempt(
			'no origin',
			() => rawStatus(upgradeRequest({ origin: null, protocols: [COLLAB_PROTOCOL, good] })),
			[403]
		);

		// Paths.
		for (const path of [
			'/',
			'/not-a-uuid',
			'/../../etc/passwd',
			'/%ZZ',
			'/%00',
			`/${cast.documentId}%`,
			`/${'a'.repeat(4000)}`,
			`/${other.documentId}`,
			`/${cast.documentId.toUpperCase()}x`
		]) {
			await attempt(
				`path ${path.slice(0, 24)}`,
				() => status([COLLAB_PROTOCOL, good], { path }),
				[403, 400]
			);
		}

		await attempt(
			'path no URL parser accepts',
			() => rawStatus(upgradeRequest({ path: '//[', protocols: [COLLAB_PROTOCOL, good] })),
			[400]
		);

		// Not websockets, or not HTTP at all.
		await attempt(
			'plain GET',
			() => rawStatus(`GET /${cast.documentId} HTTP/1.1\r\nHost: x\r\n\r\n`),
			[426]
		);
		await attempt(
			'POST with a body',
			() => rawStatus(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello`),
			[426, 404]
		);
		await attempt(
			'OPTIONS *',
			() => rawStatus('OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n'),
			[426, 400, 404]
		);
		await attempt(
			'CONNECT',
			() => rawStatus('CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n'),
			[400, 0]
		);
		await attempt(
			'another upgrade (h2c)',
			() => rawStatus(upgradeRequest({ upgrade: 'h2c', protocols: [COLLAB_PROTOCOL, good] })),
			[400]
		);
		await attempt(
			'bad websocket key',
			() => rawStatus(upgradeRequest({ key: 'short', protocols: [COLLAB_PROTOCOL, good] })),
			[400]
		);
		await attempt(
			'version 7',
			() =>
				rawStatus(
					upgradeRequest({ protocols: [COLLAB_PROTOCOL, good] }).replace(
						'Version: 13',
						'Version: 7'
					)
				),
			[400]
		);
		await attempt('binary garbage', () => rawStatus(Buffer.from(junk(512))), [400, 0]);
		await attempt(
			'huge header',
			() => rawStatus(upgradeRequest({ extraHeaders: `X-Pad: ${'a'.repeat(64 * 1024)}\r\n` })),
			[431]
		);
		await attempt(
			'many headers',
			() =>
				rawStatus(
					upgradeRequest({
						extraHeaders: Array.from({ length: 3000 }, (_, i) => `X-${i}: ${i}\r\n`).join('')
					})
				),
			[431, 400]
		);
		await attempt(
			'huge protocol list',
			() =>
				rawStatus(
					upgradeRequest({
						protocols: [COLLAB_PROTOCOL, ...Array.from({ length: 2000 }, (_, i) => `p${i}`)]
					})
				),
			[431, 401]
		);
		await attempt(
			'header injection in protocols',
			() => rawStatus(upgradeRequest({ protocols: [COLLAB_PROTOCOL, `${good}\r\nX-Evil: 1`] })),
			[101, 400, 401]
		);

		// Open with a good ticket, then send something hostile.
		const open = [COLLAB_PROTOCOL, good];
		await attempt(
			'zero-length binary',
			() => closeCode(open, [{ data: new Uint8Array(0) }]),
			[1007]
		);
		await attempt('zero-length text', () => closeCode(open, [{ data: '', binary: false }]), [1007]);
		await attempt('text frame', () => closeCode(open, [{ data: 'hello', binary: false }]), [1007]);
		await attempt(
			'over-size frame',
			() => closeCode(open, [{ data: new Uint8Array(MAX_PAYLOAD + 1) }]),
			[1009]
		);
		await attempt(
			'unknown message type',
			() => closeCode(open, [{ data: Uint8Array.of(42) }]),
			[1008]
		);
		await attempt(
			'truncated varuint',
			() => closeCode(open, [{ data: Uint8Array.of(0x80) }]),
			[1007]
		);
		await attempt('sync with no body', () => closeCode(open, [{ data: Uint8Array.of(0) }]), [1007]);
		await attempt(
			'unknown sync type',
			() => closeCode(open, [{ data: Uint8Array.of(0, 9) }]),
			[1008]
		);
		await attempt(
			'update that is not Yjs',
			() => closeCode(open, [{ data: syncUpdate(junk(64)) }]),
			CLOSED
		);
		await attempt(
			'update with a lying length',
			() => closeCode(open, [{ data: Uint8Array.of(0, 2, 0xff, 0xff, 0x03, 1, 2) }]),
			[1007]
		);
		await attempt(
			'awareness that is not JSON',
			() => closeCode(open, [{ data: Uint8Array.of(1, 5, 1, 1, 1, 1, 0x7b) }]),
			[1007]
		);
		await attempt(
			'refresh with a junk ticket',
			() => closeCode(open, [{ data: refresh('junk') }]),
			[4401]
		);
		await attempt(
			'refresh as someone else',
			async () =>
				closeCode(open, [{ data: refresh(await ticketFor(cast.youngPerson, cast.documentId)) }]),
			[4401]
		);
		// Frames the ws client would never send.
		await attempt('unmasked frame', () => rawFrameOutcome(Buffer.from([0x82, 0x01, 0x00])), [1002]);
		await attempt(
			'reserved opcode',
			() => rawFrameOutcome(clientFrame(0x3, Buffer.from('x'))),
			[1002]
		);
		await attempt(
			'rsv bits set',
			() => rawFrameOutcome(clientFrame(0x2, Buffer.from('x'), { rsv: 4 })),
			[1002]
		);
		await attempt(
			'continuation first',
			() => rawFrameOutcome(clientFrame(0x0, Buffer.from('x'))),
			[1002]
		);
		await attempt(
			'fragmented ping',
			() => rawFrameOutcome(clientFrame(0x9, Buffer.from('x'), { fin: false })),
			[1002]
		);
		await attempt(
			'claims 8 EiB',
			() =>
				rawFrameOutcome(
					Buffer.from([0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])
				),
			[1009, 1002]
		);
		await attempt(
			'close with a bad code',
			() => rawFrameOutcome(clientFrame(0x8, Buffer.from([0x03, 0xe7]))),
			[1002]
		);

		// Seeded random: mutated tickets, and random first messages on a good connection.
		for (let i = 0; i < 60; i++) {
			const chars = [...good];
			for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) {
				const at = Math.floor(random() * chars.length);
				chars[at] = pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.']);
			}
			const mutated = chars.join('');
			// A flip in a signature's unused low bits still verifies: then opening is right.
			const valid = await verifyTicket(SECRET_BYTES, mutated).then(
				() => true,
				() => false
			);
			await attempt(
				`mutated ticket ${i}`,
				() => status([COLLAB_PROTOCOL, mutated]),
				valid ? [101] : [401]
			);
		}
		for (let i = 0; i < 60; i++) {
			const data = Uint8Array.from([
				pick([0, 1, 2, 3, 100, 101, 102, 255]),
				...junk(Math.floor(random() * 200))
			]);
			await attempt(
				`random message ${i}`,
				async () => {
					const outcome = await socketOutcome(open, { messages: [{ data }], until: 'probe' });
					return outcome.status === 101 ? outcome.code : outcome.status;
				},
				// Closed clearly, or harmless: still open and answering.
				new Set([...CLOSED, -1])
			);
		}

		console.log(
			`collab handshake fuzz: ${counts.attempts} attempts, ${counts.crashes} crashes ` +
				`(${counts.refused} refused before upgrading, ${counts.closed} closed after, ` +
				`${counts.harmless} harmless), seed ${SEED}`
		);
		expect(failures).toEqual([]);
		expect(counts.crashes).toBe(0);
		expect(unhandled).toEqual([]);
		expect(logs.filter((l) => l.event === 'upgrade refused' && l.fields?.status === 500)).toEqual(
			[]
		);

		// Nothing reached the content tables; the connection opened before still works.
		expect(await contentFingerprint()).toEqual(before);
		expect(bystander.closes).toEqual([]);
		bystander.edit((d) => d.getText('t').insert(0, 'still writing'));
		await expect.poll(() => bystander.savedEdits).toBe(1);
		expect(await contentFingerprint()).not.toEqual(before);
	});
});
