import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, expect, inject, it } from 'vitest';
import { freePort } from '../../scripts/support/free-port.ts';
import { CollabProcess } from './collab-process.ts';
import { CLOSE_OWN_WORDS } from '../../src/lib/collab/protocol.ts';
import { COLLAB_PROTOCOL } from '../../src/lib/server/collab/ticket.ts';
import {
	connectClient,
	createCast,
	createPerson,
	loadFromDb,
	prng,
	ticketFor,
	type TestClient
} from './support.ts';

/**
 * Chaos: the collab server runs in a child process and is killed with SIGKILL several times while
 * four people type. After each kill (nothing can be written then) every edit that had been
 * acknowledged as saved must be in Postgres; at the end every client converges and nothing is lost.
 * Reproduce a failure with CHAOS_SEED=<seed printed in the message>.
 *
 * Kills are placed by what has happened, not by the clock or by a count of keystrokes: the next
 * kill comes once ACKED_BETWEEN_KILLS more edits have been acknowledged, however slow the machine.
 */
const SEED = Number(process.env.CHAOS_SEED ?? 20261123);
const CLIENTS = 4;
const RESTARTS = 4;
const ACKED_BETWEEN_KILLS = 60;
/** A run that types this many edits without reaching the next kill is stuck, not slow. */
const MAX_EDITS = 20_000;

const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });

afterAll(async () => {
	await server?.kill();
	await admin.end();
});

/** The collab server in a child process (started again on the same port after each kill). */
let server: CollabProcess | null = null;
async function start(port: number): Promise<void> {
	server ??= new CollabProcess(port, { COLLAB_COMPACT_AFTER: '60' });
	await server.start();
}
const kill = async (): Promise<void> => server?.kill();

function token(clientIndex: number, edit: number): string {
	return `c${clientIndex}-${edit}`;
}

it(`keeps every acknowledged edit through SIGKILLs, and converges (seed ${SEED})`, async () => {
	const rand = prng(SEED);
	const port = await freePort();
	const yp = await createPerson(admin, 'Chaos');
	const cast = await createCast(admin);
	// Four editors of one document: the young person's own care plan, edited by them and others.
	const editors = [cast.youngPerson, cast.editor, yp, cast.editor];
	await admin.query(
		`insert into public.circle_members (young_person_id, member_id, relationship, access)
			 values ($1, $2, 'Circle', 'edit')`,
		[cast.youngPerson, yp]
	);
	await start(port);
	const base = `ws://127.0.0.1:${port}`;
	const clients: TestClient[] = [];
	for (let i = 0; i < CLIENTS; i++) {
		clients.push(
			connectClient(base, cast.documentId, await ticketFor(editors[i]!, cast.documentId), {
				maxBackoffTime: 200
			})
		);
	}
	await expect.poll(() => clients.every((c) => c.provider.synced)).toBe(true);

	const checkedAcks: number[] = [];
	async function assertAcknowledgedAreStored(when: string): Promise<void> {
		const stored = new Set((await loadFromDb(admin, cast.documentId)).getArray<string>('a'));
		let acknowledged = 0;
		clients.forEach((c, i) => {
			for (let k = 1; k <= c.savedEdits; k++) {
				acknowledged++;
				expect(stored.has(token(i, k)), `${when}: ${token(i, k)} lost (seed ${SEED})`).toBe(true);
			}
		});
		checkedAcks.push(acknowledged);
	}

	const acknowledged = () => clients.reduce((n, c) => n + c.savedEdits, 0);
	const typed = () => clients.reduce((n, c) => n + c.edits, 0);
	function typeOne(insertAnywhere: boolean): void {
		expect(typed(), `typed ${MAX_EDITS} edits without enough acknowledgements`).toBeLessThan(
			MAX_EDITS
		);
		const i = Math.floor(rand() * CLIENTS);
		const c = clients[i]!;
		const at = rand();
		c.edit((d) => {
			const a = d.getArray<string>('a');
			if (insertAnywhere) a.insert(Math.floor(at * (a.length + 1)), [token(i, c.edits)]);
			else a.push([token(i, c.edits)]);
		});
	}
	/** Types, online, until ACKED_BETWEEN_KILLS more edits have been acknowledged. */
	async function typeUntilAcknowledged(since: number): Promise<void> {
		while (acknowledged() - since < ACKED_BETWEEN_KILLS) {
			typeOne(true);
			await delay(Math.floor(rand() * 6));
		}
	}

	let kills = 0;
	for (let restart = 0; restart < RESTARTS; restart++) {
		await typeUntilAcknowledged(checkedAcks.at(-1) ?? 0);
		await kill();
		kills++;
		await assertAcknowledgedAreStored(`after kill ${kills}`);
		// Tickets only live a minute: give every client a fresh one for its reconnect.
		for (let j = 0; j < CLIENTS; j++) {
			clients[j]!.provider.protocols = [
				COLLAB_PROTOCOL,
				await ticketFor(editors[j]!, cast.documentId)
			];
		}
		// Keep typing offline for a while, then bring the server back.
		const offline = 5 + Math.floor(rand() * 20);
		for (let k = 0; k < offline; k++) typeOne(false);
		await start(port);
	}
	await typeUntilAcknowledged(checkedAcks.at(-1) ?? 0);
	// Last kill: the clients go away too, so nothing unacknowledged can be resent before the check.
	await kill();
	for (const c of clients) c.provider.disconnect();
	await assertAcknowledgedAreStored('after the last kill');
	expect(kills).toBe(RESTARTS);
	// Each stretch between kills had its acknowledged edits (counts, not speed).
	for (let k = 1; k < checkedAcks.length; k++) {
		expect(checkedAcks[k]! - checkedAcks[k - 1]!).toBeGreaterThanOrEqual(ACKED_BETWEEN_KILLS);
	}
	const edits = typed();

	// Back up: each person reconnects with what they still hold, and everything arrives.
	await start(port);
	for (let j = 0; j < CLIENTS; j++) {
		clients[j]!.provider.protocols = [
			COLLAB_PROTOCOL,
			await ticketFor(editors[j]!, cast.documentId)
		];
		clients[j]!.provider.connect();
	}
	await expect
		.poll(async () => (await loadFromDb(admin, cast.documentId)).getArray('a').length)
		.toBe(edits);
	const expected = (await loadFromDb(admin, cast.documentId)).getArray<string>('a').toArray();
	for (const c of clients) {
		await expect.poll(() => c.doc.getArray<string>('a').toArray()).toEqual(expected);
	}
	expect(new Set(expected).size).toBe(edits);
	// Nobody here forges anything: a restart must never get an honest editor refused (4409).
	for (const c of clients) {
		expect(
			c.closes.map((close) => close.code),
			`refused after a restart (seed ${SEED})`
		).not.toContain(CLOSE_OWN_WORDS);
	}
	for (const c of clients) c.destroy();
	await kill();
});
