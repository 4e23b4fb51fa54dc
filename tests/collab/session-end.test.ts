import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAuthServer, type AuthServer } from '../../scripts/local-stack/auth-server.ts';
import { createCollabServer, type CollabServer } from '../../src/lib/server/collab/server.ts';
import { signTicket, ticketSession } from '../../src/lib/server/collab/ticket.ts';
import { MESSAGE_OWN_WORDS, SESSION_ENDED } from '../../src/lib/collab/protocol.ts';
import {
	ORIGIN,
	SECRET_BYTES,
	TEST_SECRET,
	connectClient,
	createCast,
	type Cast,
	type TestClient
} from './support.ts';

/**
 * An open collab socket ends (4401) when the session behind it does: signed out on that device
 * (only its own sockets close, on every collab process), or idle past the app's limit. People
 * sign in with supabase-js against the local auth stand-in, and their tickets carry the session
 * from their verified token exactly as the app's ticket endpoint makes them.
 */
process.setMaxListeners(100);

const PASSWORD = 'correct horse battery';
const IDLE_HOURS = 12;
const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 4 });
// The app's own login role, to record a session's use exactly as the app's hook does.
const app = new pg.Pool({ connectionString: inject('appDatabaseUrl'), max: 2 });
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 10 });
const logs: Array<{ node: string; event: string; fields?: Record<string, unknown> }> = [];
const clients: TestClient[] = [];
let auth: AuthServer;
let keyDir: string;
/** Two collab processes on one database: each must close its own sockets. */
let nodes: Array<{ server: CollabServer; base: string }> = [];

beforeAll(async () => {
	keyDir = await mkdtemp(path.join(tmpdir(), 'in-my-words-collab-auth-'));
	auth = await startAuthServer({
		databaseUrl: inject('adminDatabaseUrl'),
		port: 0,
		keyFile: path.join(keyDir, 'auth-key.json')
	});
	nodes = await Promise.all(
		['a', 'b'].map(async (node) => {
			const server = createCollabServer({
				pool: collabPool,
				ticketSecret: TEST_SECRET,
				allowedOrigins: [ORIGIN],
				// Short, so the test waits for rounds rather than for time.
				sessionRecheckMs: 100,
				sessionIdleSeconds: IDLE_HOURS * 3600,
				log: (event, fields) => logs.push({ node, event, fields })
			});
			const port = await server.listen(0);
			return { server, base: `ws://127.0.0.1:${port}` };
		})
	);
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	for (const { server } of nodes) await server.close();
	await auth?.stop();
	await collabPool.end();
	await app.end();
	await admin.end();
	if (keyDir) await rm(keyDir, { recursive: true, force: true });
});

function supabase(key: string): SupabaseClient {
	return createClient(auth.url, key, { auth: { persistSession: false, autoRefreshToken: false } });
}

/** A real account, added to the cast's circle with edit access. */
async function editorAccount(cast: Cast): Promise<{ id: string; email: string }> {
	const email = `collab-session-${randomUUID()}@example.test`;
	const { data, error } = await supabase(auth.serviceRoleKey).auth.admin.createUser({
		email,
		password: PASSWORD,
		email_confirm: true,
		user_metadata: { preferred_name: 'Sam' }
	});
	expect(error).toBeNull();
	const id = data.user!.id;
	await admin.query(
		`insert into public.circle_members (young_person_id, member_id, relationship, access)
		 values ($1, $2, 'Circle', 'edit')`,
		[cast.youngPerson, id]
	);
	return { id, email };
}

interface Device {
	supabase: SupabaseClient;
	claims: Record<string, unknown>;
	sessionId: string;
}

/** Signs in on a new "device", and verifies its token as the app does (getClaims). */
async function signIn(email: string): Promise<Device> {
	const client = supabase(auth.anonKey);
	const { error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
	expect(error).toBeNull();
	const { data } = await client.auth.getClaims();
	const claims = data!.claims as unknown as Record<string, unknown>;
	return { supabase: client, claims, sessionId: ticketSession(claims).sessionId };
}

/** The app's hook asks the database on each request; its first call records the session's use. */
async function appRequest(device: Device): Promise<boolean> {
	const db = await app.connect();
	try {
		await db.query('begin');
		await db.query(
			`select set_config('role', 'authenticated', true),
				set_config('request.jwt.claims', $1, true)`,
			[JSON.stringify(device.claims)]
		);
		const { rows } = await db.query<{ live: boolean }>(
			'select private.session_is_live($1::uuid, $2) as live',
			[device.sessionId, IDLE_HOURS * 3600]
		);
		await db.query('commit');
		return rows[0]?.live === true;
	} finally {
		db.release();
	}
}

/**
 * Opens one of the young person's documents on one collab node (as routing by document id
 * would: node 0 serves the cast's document, node 1 another one), with a ticket made as the app's
 * ticket endpoint makes it.
 */
async function open(node: number, device: Device, cast: Cast): Promise<TestClient> {
	const documentId = node === 0 ? cast.documentId : await secondDocument(cast);
	const ticket = await signTicket(SECRET_BYTES, {
		sub: String(device.claims.sub),
		doc: documentId,
		access: 'edit',
		name: 'Sam',
		colour: '#1d70b8',
		...ticketSession(device.claims)
	});
	const c = connectClient(nodes[node]!.base, documentId, ticket);
	// The own-words list is not needed here; without a handler y-websocket logs each one.
	c.provider.messageHandlers[MESSAGE_OWN_WORDS] = () => {};
	clients.push(c);
	await expect.poll(() => c.provider.synced).toBe(true);
	return c;
}

const secondDocuments = new Map<string, string>();
async function secondDocument(cast: Cast): Promise<string> {
	const known = secondDocuments.get(cast.documentId);
	if (known) return known;
	const { rows } = await admin.query<{ id: string }>(
		`insert into public.documents (young_person_id, kind, title, created_by)
		 values ($1, 'pathway_plan', 'Pathway plan', $2) returning id`,
		[cast.youngPerson, cast.editor]
	);
	const id = rows[0]!.id;
	secondDocuments.set(cast.documentId, id);
	return id;
}

const closedWith = (c: TestClient, code: number) => c.closes.some((close) => close.code === code);

async function lastSeen(sessionId: string): Promise<Date | null> {
	const { rows } = await admin.query<{ last_seen: Date }>(
		'select last_seen from private.session_activity where session_id = $1',
		[sessionId]
	);
	return rows[0]?.last_seen ?? null;
}

describe('collab sockets end with their session', () => {
	it('signing out on one device closes its sockets on every node with 4401, and only those', async () => {
		const cast = await createCast(admin, { blank: true });
		const { email } = await editorAccount(cast);
		const phone = await signIn(email);
		const laptop = await signIn(email);
		expect(phone.sessionId).not.toBe(laptop.sessionId);
		expect(await appRequest(phone)).toBe(true);
		expect(await appRequest(laptop)).toBe(true);

		const phoneOnA = await open(0, phone, cast);
		const phoneOnB = await open(1, phone, cast);
		const laptopOnA = await open(0, laptop, cast);
		const laptopOnB = await open(1, laptop, cast);

		// Being connected is not using the session: the re-check must not hold off the idle limit.
		await admin.query(
			`update private.session_activity set last_seen = now() - interval '2 hours'
			 where session_id = $1`,
			[laptop.sessionId]
		);
		const laptopSeen = await lastSeen(laptop.sessionId);

		const { error } = await phone.supabase.auth.signOut({ scope: 'local' });
		expect(error).toBeNull();
		await expect
			.poll(() => closedWith(phoneOnA, 4401) && closedWith(phoneOnB, 4401), { timeout: 60_000 })
			.toBe(true);
		expect(phoneOnA.closes.find((c) => c.code === 4401)?.reason).toBe(SESSION_ENDED);

		// Rounds have run since last_seen was set back (they found the phone's end): still live,
		// still open, still saving, and last_seen as it was.
		expect(closedWith(laptopOnA, 4401) || closedWith(laptopOnB, 4401)).toBe(false);
		laptopOnA.edit((d) => d.getText('t').insert(0, 'still here'));
		laptopOnB.edit((d) => d.getText('t').insert(0, 'and here'));
		await expect.poll(() => laptopOnA.savedEdits).toBe(1);
		await expect.poll(() => laptopOnB.savedEdits).toBe(1);
		expect(await lastSeen(laptop.sessionId)).toEqual(laptopSeen);
		expect(laptopOnA.closes).toEqual([]);
		expect(laptopOnB.closes).toEqual([]);
	});

	it('a session idle past the limit closes its sockets with 4401', async () => {
		const cast = await createCast(admin, { blank: true });
		const { email } = await editorAccount(cast);
		const device = await signIn(email);
		expect(await appRequest(device)).toBe(true);
		const socket = await open(0, device, cast);
		await admin.query(
			`update private.session_activity set last_seen = now() - interval '13 hours'
			 where session_id = $1`,
			[device.sessionId]
		);
		await expect.poll(() => closedWith(socket, 4401), { timeout: 60_000 }).toBe(true);
		// And the app agrees: the session is over there too.
		expect(await appRequest(device)).toBe(false);
	});

	it('signing out everywhere closes every socket of that person', async () => {
		const cast = await createCast(admin, { blank: true });
		const { email } = await editorAccount(cast);
		const phone = await signIn(email);
		const laptop = await signIn(email);
		const sockets = [
			await open(0, phone, cast),
			await open(1, laptop, cast),
			await open(1, phone, cast)
		];
		const { error } = await laptop.supabase.auth.signOut({ scope: 'global' });
		expect(error).toBeNull();
		await expect
			.poll(() => sockets.every((s) => closedWith(s, 4401)), { timeout: 60_000 })
			.toBe(true);
	});
});
