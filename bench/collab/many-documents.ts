import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';
import * as Y from 'yjs';
import { createPerson } from '../../tests/collab/support.ts';
import { benchClient, percentile, type BenchClient } from './client.ts';
import { cpuBetween, type CpuReading } from './cpu.ts';

/**
 * Many busy documents at once (issue 13): every document has two editors, both typing at the
 * same time, one keystroke every KEYSTROKE_INTERVAL_MS each, starting at a random moment within
 * the first interval. A keystroke's latency is from the moment its editor types it to the moment
 * the other editor of the same document has it. Also recorded: each keystroke's "saved" ack
 * (ours only; the reference acknowledges nothing), and the time from the start of typing to the
 * last keystroke delivered and to the last one saved.
 */

export const MANY_DOCUMENTS = 200;
export const KEYSTROKES_PER_EDITOR = 30;
/**
 * About 33 keystrokes a second per editor: faster than anyone types, so a stress test.
 * BENCH_MANY_INTERVAL=<ms> tries another pace while investigating (the figures record the pace).
 */
export const KEYSTROKE_INTERVAL_MS = Number(process.env.BENCH_MANY_INTERVAL ?? 30);

/** One document and its two editors (the young person and a member of their circle). */
export interface Pair {
	documentId: string;
	editors: [string, string];
}

/** Blank documents, each with its young person and one circle member who may edit. */
export async function createPairs(admin: pg.Pool, count: number): Promise<Pair[]> {
	const pairs: Pair[] = [];
	const blank = Buffer.from(Y.encodeStateAsUpdateV2(new Y.Doc()));
	for (let i = 0; i < count; i++) {
		const youngPerson = await createPerson(admin, 'Robin');
		const editor = await createPerson(admin, 'Priya');
		await admin.query(
			`insert into public.circle_members (young_person_id, member_id, relationship, access)
			 values ($1, $2, 'Circle', 'edit')`,
			[youngPerson, editor]
		);
		const { rows } = await admin.query<{ id: string }>(
			`insert into public.documents (young_person_id, kind, title, created_by)
			 values ($1, 'care_plan', 'Care plan', $2) returning id`,
			[youngPerson, editor]
		);
		const documentId = rows[0]!.id;
		// Blank (no template), as in the rest of the benchmark: the figures measure the server.
		await admin.query(
			`insert into public.document_snapshots (document_id, state, through_seq)
			 values ($1, $2, 0)`,
			[documentId, blank]
		);
		pairs.push({ documentId, editors: [youngPerson, editor] });
	}
	return pairs;
}

export interface ManyRun {
	/** Keystroke → the other editor of its document, every keystroke typed. */
	latencies: number[];
	/** Keystroke → its "saved" ack (empty for the reference). */
	ackLatencies: number[];
	/** From the first keystroke to the last one delivered / saved. */
	lastDeliveredMs: number;
	lastSavedMs: number | null;
	updates: number;
	/** Clients that had to connect again during the run (a handover, a closed socket). */
	reconnects: number;
	/** CPU ms of each part from the first keystroke to the last delivered and saved. */
	cpuMs: CpuReading;
}

/**
 * Connects two clients to each room (`protocols` gives each one's websocket protocols, i.e. its
 * ticket), lets them all type, and waits until every keystroke has reached the other editor
 * (and, with `acks`, has been acknowledged as saved).
 */
export async function manyDocuments(
	base: string,
	rooms: string[],
	protocols: (room: number, editor: 0 | 1) => Promise<string[]>,
	acks: boolean,
	rand: () => number,
	cpu: () => CpuReading = () => ({})
): Promise<ManyRun> {
	const clients: Array<[BenchClient, BenchClient]> = [];
	// Fifty rooms at a time, so connecting is not what is measured (nor a thundering herd).
	for (let i = 0; i < rooms.length; i += 50) {
		const batch = await Promise.all(
			rooms.slice(i, i + 50).map(async (room, j) => {
				const a = benchClient(base, room, await protocols(i + j, 0));
				const b = benchClient(base, room, await protocols(i + j, 1));
				return [a, b] as [BenchClient, BenchClient];
			})
		);
		await Promise.all(batch.flatMap(([a, b]) => [a.synced(), b.synced()]));
		clients.push(...batch);
	}

	const latencies: number[] = [];
	const ackLatencies: number[] = [];
	const expected = rooms.length * 2 * KEYSTROKES_PER_EDITOR;
	let delivered = 0;
	let lastDelivered = 0;
	let lastSaved = 0;
	let allDelivered: () => void = () => {};
	const done = new Promise<void>((resolve) => (allDelivered = resolve));
	const saves: Promise<void>[] = [];

	// Each client's keystrokes are its items at clocks 0, 1, 2 …: one character each, so the
	// other editor's state for that client says how many it has (cheap: no decoding).
	const typedAt = new Map<BenchClient, number[]>();
	for (const pair of clients) {
		for (const [self, other] of [
			[pair[0], pair[1]],
			[pair[1], pair[0]]
		] as const) {
			typedAt.set(self, []);
			const peer = other.doc.clientID;
			let seen = Y.getState(self.doc.store, peer);
			self.doc.on('update', (_update: Uint8Array, origin: unknown) => {
				if (origin !== self.provider) return;
				const now = performance.now();
				const state = Y.getState(self.doc.store, peer);
				const sent = typedAt.get(other) as number[];
				for (; seen < state; seen++) {
					const t0 = sent[seen];
					if (t0 === undefined) continue;
					latencies.push(now - t0);
					delivered++;
					lastDelivered = now;
				}
				if (delivered === expected) allDelivered();
			});
		}
	}

	const cpuAtStart = cpu();
	const start = performance.now();
	const typing: Promise<void>[] = [];
	for (const client of clients.flat()) {
		const offset = rand() * KEYSTROKE_INTERVAL_MS;
		const sent = typedAt.get(client) as number[];
		typing.push(
			new Promise<void>((resolve) => {
				let k = 0;
				const type = () => {
					const text = client.doc.getText('t');
					const t0 = performance.now();
					sent[k] = t0;
					text.insert(text.length, 'x');
					if (acks) {
						saves.push(
							client.savedAt(client.sent()).then((t) => {
								ackLatencies.push(t - t0);
								lastSaved = Math.max(lastSaved, t);
							})
						);
					}
					k++;
					if (k < KEYSTROKES_PER_EDITOR) {
						// Paced from the start, so a slow event loop does not slow the typing down.
						setTimeout(type, Math.max(0, start + offset + k * KEYSTROKE_INTERVAL_MS - t0));
					} else resolve();
				};
				setTimeout(type, offset);
			})
		);
	}
	await Promise.all(typing);
	let saved = 0;
	for (const s of saves) void s.then(() => saved++);
	const finished = Promise.all([done, Promise.all(saves)]);
	// A run that stops making progress fails, saying what never arrived (never a silent hang).
	let before = -1;
	for (;;) {
		const progress = delivered + saved;
		if (progress === before) {
			const closed = clients.flat().filter((c) => !c.provider.wsconnected).length;
			const again = clients.flat().reduce((sum, c) => sum + c.reconnects(), 0);
			for (const client of clients.flat()) client.destroy();
			throw new Error(
				`many documents on ${base}: stalled with ${delivered} of ${expected} keystrokes delivered, ` +
					`${saved} of ${saves.length} saved, ${closed} clients disconnected, ${again} reconnects`
			);
		}
		before = progress;
		const settled = await Promise.race([
			finished.then(() => true),
			delay(10_000).then(() => false)
		]);
		if (settled) break;
	}
	const cpuMs = cpuBetween(cpuAtStart, cpu());
	const reconnects = clients.flat().reduce((sum, c) => sum + c.reconnects(), 0);
	for (const client of clients.flat()) client.destroy();
	return {
		reconnects,
		cpuMs,
		latencies,
		ackLatencies,
		lastDeliveredMs: lastDelivered - start,
		lastSavedMs: acks ? lastSaved - start : null,
		updates: expected
	};
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Each part's CPU µs per update, the median over the runs (null where it could not be read):
 * where the machine's time went, which the latency ratio alone does not say.
 */
export function cpuPerUpdate(runs: ManyRun[]): Record<string, number | null> {
	const parts = [...new Set(runs.flatMap((r) => Object.keys(r.cpuMs)))];
	return Object.fromEntries(
		parts.map((part) => {
			if (runs.some((r) => typeof r.cpuMs[part] !== 'number')) return [part, null];
			const micros = runs.map((r) => ((r.cpuMs[part] as number) * 1000) / r.updates);
			return [part, Math.round(percentile(micros, 50))];
		})
	);
}

/** The figures of several runs of one server, and their ratios to the reference's. */
export function manyFigures(runs: ManyRun[], reference: ManyRun[]) {
	const all = (r: ManyRun[]) => r.flatMap((x) => x.latencies);
	const ours = all(runs);
	const ref = all(reference);
	const acks = runs.flatMap((x) => x.ackLatencies);
	const oursP50 = percentile(ours, 50);
	const oursP99 = percentile(ours, 99);
	const refP50 = percentile(ref, 50);
	const refP99 = percentile(ref, 99);
	const median = (values: number[]) => percentile(values, 50);
	const delivered = runs.map((r) => r.lastDeliveredMs);
	const saved = runs.map((r) => r.lastSavedMs ?? NaN);
	return {
		samples: ours.length,
		keystrokeMs: { p50: oursP50, p99: oursP99 },
		referenceKeystrokeMs: { p50: refP50, p99: refP99 },
		ratio: { p50: round2(oursP50 / refP50), p99: round2(oursP99 / refP99) },
		savedAckMs: { p50: percentile(acks, 50), p95: percentile(acks, 95) },
		// Per run, so a reader can see the spread; the ratio is the median run's.
		lastDeliveredMs: delivered.map(Math.round),
		referenceLastDeliveredMs: reference.map((r) => Math.round(r.lastDeliveredMs)),
		lastSavedMs: saved.map(Math.round),
		reconnects: runs.map((r) => r.reconnects),
		lastSavedOverLastDelivered: median(runs.map((r) => (r.lastSavedMs ?? NaN) / r.lastDeliveredMs)),
		cpuMicrosecondsPerUpdate: cpuPerUpdate(runs),
		referenceCpuMicrosecondsPerUpdate: cpuPerUpdate(reference)
	};
}
