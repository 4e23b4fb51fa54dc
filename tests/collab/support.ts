import { randomUUID } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import pg from 'pg';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
	COLLAB_PROTOCOL,
	signTicket,
	type CollabTicket
} from '../../src/lib/server/collab/ticket.ts';
import { isUpdateBearing, MESSAGE_OWN_RUNS, MESSAGE_SAVED } from '../../src/lib/collab/protocol.ts';
import type { Fence } from '../../src/lib/server/collab/lease.ts';

/** Helpers shared by the collab tests and the benchmark: people, documents, headless clients. */

export const TEST_SECRET = 'collab-tests-secret-at-least-32-characters-long';
export const SECRET_BYTES = new TextEncoder().encode(TEST_SECRET);
export const ORIGIN = 'http://localhost:5173';

/**
 * Inserts a person into auth.users (the profile trigger makes their profile) and returns the id.
 * They are signed in once: a session in auth.sessions whose id is their own id, so `ticketFor`
 * can name it without bookkeeping and the collab server's session re-check finds it live.
 */
export async function createPerson(admin: pg.Pool, name: string): Promise<string> {
	const id = randomUUID();
	await admin.query(
		`insert into auth.users (instance_id, id, aud, role, email, encrypted_password,
			email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
		 values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated',
			$2, '', now(), '{"provider":"email","providers":["email"]}', $3, now(), now())`,
		[id, `${name.toLowerCase()}.${id.slice(0, 8)}@collab-tests.invalid`, { preferred_name: name }]
	);
	await admin.query(
		'insert into auth.sessions (id, user_id, created_at, updated_at) values ($1, $1, now(), now())',
		[id]
	);
	return id;
}

export interface Cast {
	youngPerson: string;
	editor: string;
	commenter: string;
	viewer: string;
	outsider: string;
	documentId: string;
}

/**
 * A young person, their circle (edit, comment, view), an outsider and one care plan. The collab
 * service starts a never-opened document from its template; with `blank`, the document has
 * already begun with nothing in it (an empty snapshot), so a test sees only its own edits.
 */
export async function createCast(admin: pg.Pool, options: { blank?: boolean } = {}): Promise<Cast> {
	const youngPerson = await createPerson(admin, 'Robin');
	const editor = await createPerson(admin, 'Priya');
	const commenter = await createPerson(admin, 'Jo');
	const viewer = await createPerson(admin, 'Vic');
	const outsider = await createPerson(admin, 'Olu');
	for (const [member, access] of [
		[editor, 'edit'],
		[commenter, 'comment'],
		[viewer, 'view']
	] as const) {
		await admin.query(
			`insert into public.circle_members (young_person_id, member_id, relationship, access)
			 values ($1, $2, 'Circle', $3)`,
			[youngPerson, member, access]
		);
	}
	const { rows } = await admin.query<{ id: string }>(
		`insert into public.documents (young_person_id, kind, title, created_by)
		 values ($1, 'care_plan', 'Care plan', $2) returning id`,
		[youngPerson, editor]
	);
	const documentId = rows[0]!.id;
	if (options.blank) {
		await admin.query(
			`insert into public.document_snapshots (document_id, state, through_seq)
			 values ($1, $2, 0)`,
			[documentId, Buffer.from(Y.encodeStateAsUpdateV2(new Y.Doc()))]
		);
	}
	return { youngPerson, editor, commenter, viewer, outsider, documentId };
}

export function ticketFor(
	sub: string,
	doc: string,
	access: CollabTicket['access'] = 'edit',
	extra: Partial<CollabTicket> = {},
	now?: number
): Promise<string> {
	return signTicket(
		SECRET_BYTES,
		{
			sub,
			doc,
			access,
			name: 'Person',
			colour: '#1d70b8',
			sessionExp: Math.floor(Date.now() / 1000) + 3600,
			// The session createPerson made for them.
			sessionId: sub,
			...extra
		},
		now
	);
}

/**
 * A document's lease for a test that writes through the store itself, as one node of its own
 * (`pool` on the collab service's role). Long, so it never runs out under the test; release it
 * before a collab server is to serve the document.
 */
export async function takeLease(
	pool: pg.Pool,
	documentId: string
): Promise<Fence & { release(): Promise<void> }> {
	const node = randomUUID();
	const { rows } = await pool.query<{ epoch: string | null }>(
		'select private.acquire_document_lease($1, $2, 600000, false)::text as epoch',
		[documentId, node]
	);
	const taken = rows[0]?.epoch;
	if (!taken) throw new Error(`document ${documentId} is leased to another node`);
	const epoch = Number(taken);
	return {
		node,
		epoch,
		async release() {
			await pool.query('select private.release_document_lease($1, $2, $3)', [
				documentId,
				node,
				epoch
			]);
		}
	};
}

/** Who holds a document's lease now, as Postgres says (node, epoch, live). */
export async function leaseOf(
	admin: pg.Pool,
	documentId: string
): Promise<{ node: string; epoch: number; live: boolean; wantedBy: string | null } | null> {
	const { rows } = await admin.query<{
		node_id: string;
		epoch: string;
		live: boolean;
		handover_wanted_by: string | null;
	}>(
		`select node_id, epoch::text, expires_at > clock_timestamp() as live, handover_wanted_by
		 from private.document_leases where document_id = $1`,
		[documentId]
	);
	const row = rows[0];
	return row
		? {
				node: row.node_id,
				epoch: Number(row.epoch),
				live: row.live,
				wantedBy: row.handover_wanted_by
			}
		: null;
}

/**
 * Rebuilds a document from what Postgres holds (snapshot + later updates), as an admin. One
 * statement, so one moment of the log: read as two queries, a compaction committing between them
 * (an unload's, which runs after loadedDocuments() already says 0, or a killed node's commit still
 * in flight) gave the old snapshot and only the updates after the new one, and every edit in
 * between looked lost.
 */
export async function loadFromDb(admin: pg.Pool, documentId: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	const { rows } = await admin.query<{ kind: 'snapshot' | 'update'; data: Buffer }>(
		`select 'snapshot' as kind, 0::bigint as seq, s.state as data
		 from public.document_snapshots s where s.document_id = $1
		 union all
		 select 'update', u.seq, u.update
		 from public.document_updates u
		 where u.document_id = $1
		   and u.seq > coalesce(
		     (select s.through_seq from public.document_snapshots s where s.document_id = $1), 0)
		 order by kind, seq`,
		[documentId]
	);
	for (const row of rows) {
		if (row.kind === 'snapshot') Y.applyUpdateV2(doc, row.data);
		else Y.applyUpdate(doc, row.data);
	}
	return doc;
}

export interface Close {
	code: number;
	reason: string;
}

/**
 * A headless y-websocket client, as the browser runs it, plus what a test needs to see: which
 * local edits the server has acknowledged as saved, and how each connection closed.
 */
export interface TestClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** Local edits made through `edit`. */
	edits: number;
	/** The number of local edits the server has acknowledged as saved. */
	savedEdits: number;
	closes: Close[];
	acks: number[];
	edit(fn: (doc: Y.Doc) => void): void;
	/** Sends raw bytes on the current socket (for malformed-message tests). */
	sendRaw(bytes: Uint8Array | string): void;
	destroy(): void;
}

export function connectClient(
	base: string,
	documentId: string,
	ticket: string,
	options: { origin?: string; maxBackoffTime?: number; doc?: Y.Doc } = {}
): TestClient {
	const doc = options.doc ?? new Y.Doc();
	const marks = new WeakMap<object, number[]>();
	const client: TestClient = {
		doc,
		provider: undefined as unknown as WebsocketProvider,
		edits: 0,
		savedEdits: 0,
		closes: [],
		acks: [],
		edit(fn) {
			client.edits++;
			doc.transact(() => fn(doc));
		},
		sendRaw(bytes) {
			(client.provider.ws as unknown as WebSocket).send(bytes);
		},
		destroy() {
			client.provider.destroy();
		}
	};
	const origin = options.origin ?? ORIGIN;
	class TrackingSocket extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { origin });
			marks.set(this, []);
		}
		override send(data: unknown, ...rest: unknown[]): void {
			if (data instanceof Uint8Array && isUpdateBearing(data)) {
				marks.get(this)?.push(client.edits);
			}
			(super.send as (...args: unknown[]) => void)(data, ...rest);
		}
	}
	const provider = new WebsocketProvider(base, documentId, doc, {
		protocols: [COLLAB_PROTOCOL, ticket],
		WebSocketPolyfill: TrackingSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		maxBackoffTime: options.maxBackoffTime ?? 500
	});
	provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder, p) => {
		const n = decoding.readVarUint(decoder);
		client.acks.push(n);
		const sent = p.ws ? marks.get(p.ws) : undefined;
		const edits = sent?.[n - 1];
		if (edits !== undefined) client.savedEdits = Math.max(client.savedEdits, edits);
	};
	// Who wrote moved words: tests that look at it read it themselves; the rest ignore it.
	provider.messageHandlers[MESSAGE_OWN_RUNS] = () => {};
	provider.on('connection-close', (event) => {
		if (event) client.closes.push({ code: event.code, reason: event.reason });
	});
	client.provider = provider;
	return client;
}

/** Opens a raw socket and reports the HTTP status of a refused upgrade, or 101. */
export function handshakeStatus(
	url: string,
	protocols: string[],
	origin = ORIGIN
): Promise<number> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, protocols, { origin });
		ws.on('unexpected-response', (_req, res) => {
			resolve(res.statusCode ?? 0);
			ws.terminate();
		});
		ws.on('open', () => {
			resolve(101);
			ws.close();
		});
		ws.on('error', (error) => {
			if (!/Unexpected server response/.test(error.message)) reject(error);
		});
	});
}

/** A small seeded PRNG (mulberry32), so a chaos run can be replayed from its seed. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Takes `member` out of `youngPerson`'s circle without the NOTIFY that tells the collab server,
 * in the caller's transaction on `db`: only row-level security on their next append stops them.
 */
export async function leaveCircleUnheard(
	db: pg.ClientBase,
	youngPerson: string,
	member: string
): Promise<void> {
	await db.query('alter table public.circle_members disable trigger circle_members_access_changed');
	await db.query(
		'delete from public.circle_members where young_person_id = $1 and member_id = $2',
		[youngPerson, member]
	);
	await db.query('alter table public.circle_members enable trigger circle_members_access_changed');
}
