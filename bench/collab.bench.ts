/**
 * `npm run bench collab`: our collab server (tickets, RLS, durable appends to a throwaway
 * embedded Postgres) against the reference y-websocket server (@y/websocket-server: no auth,
 * in memory), each in its own Node process, with headless y-websocket clients in this process,
 * all on loopback. It only records figures; bench/targets.ts judges them against the targets in
 * ../shared/engineering.md, every percentile and size, so no hand-picked subset can say "met".
 */
import os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import * as Y from 'yjs';
import { startPostgres, makeTempDataDir } from '../scripts/local-stack/postgres.ts';
import {
	collabDatabaseUrl,
	applyMigrations,
	bootstrapPlatform
} from '../scripts/local-stack/database.ts';
import { freePort } from '../scripts/support/free-port.ts';
import { COLLAB_PROTOCOL } from '../src/lib/server/collab/ticket.ts';
// The random text the benchmark types is seeded (prng), so runs compare.
import { TEST_SECRET, createCast, prng, ticketFor, type Cast } from '../tests/collab/support.ts';
import {
	BENCH_ORIGIN,
	benchClient,
	percentile,
	startChildServer,
	type BenchClient
} from './collab/client.ts';
import { startCluster } from './collab/cluster.ts';
import { ownCpuMs, postgresCpuMs, processesCpuMs } from './collab/cpu.ts';
import {
	createPairs,
	KEYSTROKE_INTERVAL_MS,
	KEYSTROKES_PER_EDITOR,
	MANY_DOCUMENTS,
	manyDocuments,
	manyFigures,
	type ManyRun,
	type Pair
} from './collab/many-documents.ts';

const EDITORS = [2, 10, 50];
const KEYSTROKES: Record<number, number> = { 2: 200, 10: 100, 50: 50 };
const ROUNDS = 4;
const WARM_UP = 20;
const OPEN_RUNS = 5;
const TYPED_CHARS = 5_000;
const OPEN_DOCUMENTS = 1_000;
/** BENCH_MANY_ROUNDS=1 for a quicker look while iterating; the recorded figures say how many ran. */
const MANY_ROUNDS = Number(process.env.BENCH_MANY_ROUNDS ?? 3);
/**
 * Unmeasured rounds first, on each server alike (as the fan-out's WARM_UP keystrokes): a process
 * that has just started runs its hot paths cold while V8 compiles them (measured: our node's first
 * round took a third more CPU than the next two), and a node in service has been up for days.
 */
const MANY_WARM_UP_ROUNDS = 1;
const CLUSTER_NODES = 3;

/**
 * BENCH_COLLAB_ONLY=many-documents runs only that scenario (for iterating on it); the figures
 * recorded are then only its own, and the other targets read "not measured".
 */
const ONLY = process.env.BENCH_COLLAB_ONLY;

type Protocols = () => Promise<string[]>;

const WORDS =
	'the plan says I can see my sister every week and go to football club on Saturday'.split(' ');

async function connect(base: string, room: string, protocols: Protocols, n: number) {
	const clients: BenchClient[] = [];
	for (let i = 0; i < n; i++) clients.push(benchClient(base, room, await protocols()));
	await Promise.all(clients.map((c) => c.synced()));
	return clients;
}

/** One typist at a time; each keystroke timed until every other editor has it. */
async function fanOut(base: string, room: string, protocols: Protocols, n: number, acks: boolean) {
	const clients = await connect(base, room, protocols, n);
	const latencies: number[] = [];
	const ackLatencies: number[] = [];
	let current: {
		typist: number;
		t0: number;
		got: Set<number>;
		measure: boolean;
		resolve: () => void;
	} | null = null;
	clients.forEach((c, index) =>
		c.doc.on('update', (_update: Uint8Array, origin: unknown) => {
			const k = current;
			if (origin !== c.provider || !k || k.typist === index || k.got.has(index)) return;
			k.got.add(index);
			if (k.measure) latencies.push(performance.now() - k.t0);
			if (k.got.size === n - 1) k.resolve();
		})
	);
	const total = WARM_UP + (KEYSTROKES[n] ?? 100);
	for (let k = 0; k < total; k++) {
		const typist = Math.floor(k / 10) % n;
		const c = clients[typist] as BenchClient;
		const done = new Promise<void>((resolve) => {
			current = { typist, t0: 0, got: new Set(), measure: k >= WARM_UP, resolve };
		});
		const text = c.doc.getText('t');
		const t0 = performance.now();
		current!.t0 = t0;
		text.insert(text.length, 'x');
		const sent = c.sent();
		await done;
		if (acks && k >= WARM_UP) ackLatencies.push((await c.savedAt(sent)) - t0);
		await delay(5);
	}
	for (const c of clients) c.destroy();
	return { latencies, ackLatencies };
}

/** Builds a document of about `bytes` encoded bytes, typed as many small inserts. */
function buildDocument(bytes: number, seed: number): Uint8Array {
	const rand = prng(seed);
	const doc = new Y.Doc();
	const text = doc.getText('t');
	while (Y.encodeStateAsUpdate(doc).length < bytes) {
		doc.transact(() => {
			for (let i = 0; i < 100; i++) {
				const word = WORDS[Math.floor(rand() * WORDS.length)] as string;
				const at = rand() < 0.8 ? text.length : Math.floor(rand() * text.length);
				text.insert(at, word + ' ');
			}
		});
	}
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return update;
}

async function openTime(base: string, room: string, protocols: Protocols, length: number) {
	const t0 = performance.now();
	const [c] = await connect(base, room, protocols, 1);
	while (c!.doc.getText('t').length < length) await delay(1);
	const ms = performance.now() - t0;
	c!.destroy();
	return ms;
}

/** Opens 1,000 documents of about `bytes` each on a fresh server process; memory per document. */
async function measureMemory(admin: pg.Pool, ourOptions: Record<string, unknown>, bytes: number) {
	// Blank documents (no template), here and below: the figures measure the server, as before.
	const memCast = await createCast(admin, { blank: true });
	const docUpdate = buildDocument(bytes, bytes);
	const { rows: docs } = await admin.query<{ id: string }>(
		`insert into public.documents (young_person_id, kind, title, created_by)
		 select $1, 'care_plan', 'Plan ' || g, $2 from generate_series(1, $3) g returning id`,
		[memCast.youngPerson, memCast.editor, OPEN_DOCUMENTS + 1]
	);
	await admin.query(
		`insert into public.document_updates (document_id, author_id, update)
		 select unnest($1::uuid[]), $2, $3`,
		[docs.map((d) => d.id), memCast.editor, Buffer.from(docUpdate)]
	);
	const server = await startChildServer('ours', ourOptions);
	const open = async (ids: string[]) => {
		const clients = await Promise.all(
			ids.map(async (id) =>
				benchClient(server.base, id, [COLLAB_PROTOCOL, await ticketFor(memCast.editor, id)])
			)
		);
		await Promise.all(clients.map((c) => c.synced()));
		return clients;
	};
	try {
		// Warm up (database pool, code paths) with one document, then take the baseline.
		const [first, ...rest] = docs.map((d) => d.id);
		const warm = await open([first!]);
		const before = await server.memory();
		const clients: BenchClient[] = [];
		for (let i = 0; i < rest.length; i += 50) clients.push(...(await open(rest.slice(i, i + 50))));
		const withConnections = await server.memory();
		for (const c of clients) c.destroy();
		await delay(1_000);
		const docsOnly = await server.memory();
		for (const c of warm) c.destroy();
		const used = (m: NodeJS.MemoryUsage) => m.heapUsed + m.external;
		const perDocWith = (used(withConnections) - used(before)) / OPEN_DOCUMENTS;
		const perDocOnly = (used(docsOnly) - used(before)) / OPEN_DOCUMENTS;
		return {
			documents: OPEN_DOCUMENTS,
			encodedBytesPerDocument: docUpdate.length,
			bytesPerDocumentAlone: Math.round(perDocOnly),
			bytesPerDocumentWithItsConnection: Math.round(perDocWith),
			ratioToEncodedSize: Math.round((perDocOnly / docUpdate.length) * 10) / 10,
			ratioWithConnection: Math.round((perDocWith / docUpdate.length) * 10) / 10,
			rssDeltaMiB: Math.round(((withConnections.rss - before.rss) / 2 ** 20) * 10) / 10
		};
	} finally {
		await server.stop();
	}
}

/**
 * 200 documents × 2 editors, 30 keystrokes each (12,000 updates), typed at once: the reference,
 * one of our nodes (a child process, as in the rest of the benchmark) and three of our nodes
 * (production's entry, main.ts, one process each, on the same database) behind HAProxy on the
 * shipped configuration. Rounds alternate between the three so background load hits all alike;
 * each of ours keeps its own 200 documents across rounds (they stay loaded, as busy ones do).
 * Each server first types MANY_WARM_UP_ROUNDS unmeasured rounds, on documents of their own (so
 * the measured ones hold no more rows than before).
 */
async function measureManyDocuments(
	admin: pg.Pool,
	database: { port: number; dataDir: string },
	ourOptions: Record<string, unknown>,
	reference: { base: string; pid: number }
): Promise<Record<string, unknown>> {
	const onePairs = await createPairs(admin, MANY_DOCUMENTS);
	const clusterPairs = await createPairs(admin, MANY_DOCUMENTS);
	const one = await startChildServer('ours', ourOptions);
	const cluster = await startCluster({
		nodes: CLUSTER_NODES,
		databaseUrl: collabDatabaseUrl(database.port),
		ticketSecret: TEST_SECRET,
		origin: BENCH_ORIGIN,
		env: { COLLAB_UNLOAD_GRACE_MS: String(ourOptions.unloadGraceMs) }
	});
	const ticketsFor = (pairs: Pair[]) => async (room: number, editor: 0 | 1) => {
		const pair = pairs[room] as Pair;
		return [COLLAB_PROTOCOL, await ticketFor(pair.editors[editor], pair.documentId)];
	};
	const refRuns: ManyRun[] = [];
	const oneRuns: ManyRun[] = [];
	const clusterRuns: ManyRun[] = [];
	const rand = prng(13);
	const ids = (pairs: Pair[]) => pairs.map((p) => p.documentId);
	// Where the CPU went in each measured run: the server (or nodes and proxy), Postgres and this
	// process, which runs every editor.
	const common = () => ({ postgres: postgresCpuMs(database.dataDir), editors: ownCpuMs() });
	const refCpu = () => ({ server: processesCpuMs([reference.pid]), ...common() });
	const oneCpu = () => ({ server: processesCpuMs([one.pid]), ...common() });
	const clusterCpu = () => ({
		server: processesCpuMs(cluster.nodePids),
		proxy: processesCpuMs([cluster.proxyPid]),
		...common()
	});
	try {
		for (let round = 0; round < MANY_WARM_UP_ROUNDS; round++) {
			const oneWarm = await createPairs(admin, MANY_DOCUMENTS);
			const clusterWarm = await createPairs(admin, MANY_DOCUMENTS);
			const refRooms = oneWarm.map((_, i) => `many-warm-${round}-${i}`);
			await manyDocuments(reference.base, refRooms, async () => [], false, rand);
			await manyDocuments(one.base, ids(oneWarm), ticketsFor(oneWarm), true, rand);
			await manyDocuments(cluster.base, ids(clusterWarm), ticketsFor(clusterWarm), true, rand);
		}
		for (let round = 0; round < MANY_ROUNDS; round++) {
			const refRooms = onePairs.map((_, i) => `many-${round}-${i}`);
			refRuns.push(
				await manyDocuments(reference.base, refRooms, async () => [], false, rand, refCpu)
			);
			oneRuns.push(
				await manyDocuments(one.base, ids(onePairs), ticketsFor(onePairs), true, rand, oneCpu)
			);
			clusterRuns.push(
				await manyDocuments(
					cluster.base,
					ids(clusterPairs),
					ticketsFor(clusterPairs),
					true,
					rand,
					clusterCpu
				)
			);
			console.error(
				`many documents, round ${round + 1}: last delivered (ms) reference ${Math.round(refRuns.at(-1)!.lastDeliveredMs)}, ` +
					`1 node ${Math.round(oneRuns.at(-1)!.lastDeliveredMs)} (saved ${Math.round(oneRuns.at(-1)!.lastSavedMs!)}), ` +
					`${CLUSTER_NODES} nodes ${Math.round(clusterRuns.at(-1)!.lastDeliveredMs)} (saved ${Math.round(clusterRuns.at(-1)!.lastSavedMs!)})`
			);
		}
	} finally {
		await cluster.stop();
		await one.stop();
	}
	const figures = {
		documents: MANY_DOCUMENTS,
		editorsPerDocument: 2,
		keystrokesPerEditor: KEYSTROKES_PER_EDITOR,
		keystrokeIntervalMs: KEYSTROKE_INTERVAL_MS,
		updatesPerRun: MANY_DOCUMENTS * 2 * KEYSTROKES_PER_EDITOR,
		rounds: MANY_ROUNDS,
		warmUpRounds: MANY_WARM_UP_ROUNDS,
		'1 node': manyFigures(oneRuns, refRuns),
		[`${CLUSTER_NODES} nodes`]: {
			note:
				`${CLUSTER_NODES} collab processes on one database behind HAProxy, on a ` +
				`${os.cpus().length}-core machine shared with Postgres, the proxy and the clients: ` +
				'this measures the overhead of the cluster (proxy hop, leases), not scale-out',
			...manyFigures(clusterRuns, refRuns)
		}
	};
	console.error('many documents:', JSON.stringify(figures));
	return figures;
}

export default async function collabBench(): Promise<Record<string, unknown>> {
	process.setMaxListeners(0); // every headless y-websocket provider adds an exit listener
	const pgPort = await freePort();
	const pgDataDir = makeTempDataDir('imw-bench-pg-');
	const postgres = await startPostgres({ dataDir: pgDataDir, port: pgPort });
	const admin = new pg.Pool({ connectionString: postgres.adminUrl, max: 4 });
	const servers: Array<{ stop(): Promise<void> }> = [];
	try {
		await bootstrapPlatform(postgres.adminUrl);
		await applyMigrations(postgres.adminUrl);
		const ourOptions = {
			// The collab server's own login role, as in production.
			databaseUrl: collabDatabaseUrl(pgPort),
			ticketSecret: TEST_SECRET,
			allowedOrigins: [BENCH_ORIGIN],
			// One test person opens many connections here; production defaults are far lower.
			limits: {
				maxConnectionsPerUser: 5_000,
				messagesPerSecond: 100_000,
				messageBurst: 100_000,
				bytesPerSecond: 1e9,
				byteBurst: 1e9
			},
			unloadGraceMs: 600_000,
			compactAfterUpdates: 200
		};
		const reference = await startChildServer('reference');
		servers.push(reference);
		const ours = await startChildServer('ours', ourOptions);
		servers.push(ours);
		const as =
			(cast: Cast, who: keyof Cast = 'editor'): Protocols =>
			async () => [COLLAB_PROTOCOL, await ticketFor(cast[who], cast.documentId)];
		const none: Protocols = async () => [];

		// 0. Many busy documents (issue 13): 200 documents × 2 editors typing at once, against the
		// reference, on one of our nodes and on three behind HAProxy, in alternating rounds.
		const manyDocumentsFigures = await measureManyDocuments(
			admin,
			{ port: pgPort, dataDir: pgDataDir },
			ourOptions,
			reference
		);
		if (ONLY === 'many-documents') return { manyDocuments: manyDocumentsFigures };
		if (ONLY) throw new Error(`BENCH_COLLAB_ONLY=${ONLY}: only many-documents can run alone`);

		// 1. Keystroke → other editors.
		const fanout: Record<string, unknown> = {};
		const ackLatencies: number[] = [];
		for (const n of EDITORS) {
			const cast = await createCast(admin, { blank: true });
			// Alternate the two servers in rounds, so background load on the machine hits both alike.
			const ref = { latencies: [] as number[] };
			const our = { latencies: [] as number[], ackLatencies: [] as number[] };
			for (let round = 0; round < ROUNDS; round++) {
				const r = await fanOut(reference.base, `fanout-${n}-${round}`, none, n, false);
				ref.latencies.push(...r.latencies);
				const o = await fanOut(ours.base, cast.documentId, as(cast), n, true);
				our.latencies.push(...o.latencies);
				our.ackLatencies.push(...o.ackLatencies);
			}
			ackLatencies.push(...our.ackLatencies);
			const refP50 = percentile(ref.latencies, 50);
			const refP99 = percentile(ref.latencies, 99);
			const ourP50 = percentile(our.latencies, 50);
			const ourP99 = percentile(our.latencies, 99);
			fanout[`${n} editors`] = {
				samples: our.latencies.length,
				oursMs: { p50: ourP50, p99: ourP99 },
				referenceMs: { p50: refP50, p99: refP99 },
				ratio: {
					p50: Math.round((ourP50 / refP50) * 100) / 100,
					p99: Math.round((ourP99 / refP99) * 100) / 100
				}
			};
			console.error(`fan-out ${n}:`, JSON.stringify(fanout[`${n} editors`]));
		}

		// 2. Open a 160 KB document: cold (loaded from Postgres) and warm (already in memory).
		const big = buildDocument(160 * 1024, 7);
		const bigLength = (() => {
			const d = new Y.Doc();
			Y.applyUpdate(d, big);
			return d.getText('t').length;
		})();
		const cold: number[] = [];
		const warm: number[] = [];
		const refOpen: number[] = [];
		for (let i = 0; i < OPEN_RUNS; i++) {
			const cast = await createCast(admin, { blank: true });
			await admin.query(
				'insert into public.document_updates (document_id, author_id, update) values ($1, $2, $3)',
				[cast.documentId, cast.editor, Buffer.from(big)]
			);
			cold.push(await openTime(ours.base, cast.documentId, as(cast), bigLength));
			warm.push(await openTime(ours.base, cast.documentId, as(cast, 'viewer'), bigLength));
			const seeder = benchClient(reference.base, `open-${i}`, []);
			Y.applyUpdate(seeder.doc, big);
			await seeder.synced();
			refOpen.push(await openTime(reference.base, `open-${i}`, none, bigLength));
			seeder.destroy();
		}
		const open = {
			encodedBytes: big.length,
			oursColdMs: percentile(cold, 50),
			oursWarmMs: percentile(warm, 50),
			referenceMs: percentile(refOpen, 50)
		};
		console.error('open 160 KB:', JSON.stringify(open));

		// 3. Stored bytes per typed character, after compaction.
		const typing = await createCast(admin, { blank: true });
		const [typist] = await connect(ours.base, typing.documentId, as(typing), 1);
		const rand = prng(11);
		const text = typist!.doc.getText('t');
		let cursor = 0;
		for (let i = 0; i < TYPED_CHARS; i++) {
			const r = rand();
			// Now and then the writer moves elsewhere in the document; sometimes they backspace.
			if (r < 0.005) cursor = Math.floor(rand() * (text.length + 1));
			if (r > 0.97 && cursor > 0) {
				text.delete(cursor - 1, 1);
				cursor--;
			} else {
				const word = WORDS[i % WORDS.length] as string;
				text.insert(cursor, word[i % word.length] ?? ' ');
				cursor++;
			}
			if (i % 50 === 49) await typist!.savedAt(typist!.sent());
		}
		await typist!.savedAt(typist!.sent());
		typist!.destroy();
		// Compaction runs every 200 rows; what is left in the log counts too.
		await delay(500);
		const stored = await admin.query<{
			snapshot: number;
			log: number;
			rows: number;
			provenance: number;
		}>(
			`select coalesce((select octet_length(state) from public.document_snapshots
			   where document_id = $1), 0)::int as snapshot,
			 coalesce((select sum(octet_length(update)) from public.document_updates
			   where document_id = $1), 0)::int as log,
			 (select count(*) from public.document_updates where document_id = $1)::int as rows,
			 coalesce((select sum(pg_column_size(p.*)) from public.document_provenance p
			   where p.document_id = $1), 0)::int as provenance`,
			[typing.documentId]
		);
		const s = stored.rows[0]!;
		// What compaction makes of the whole log (snapshot + remaining rows), as the server does it.
		const compacted = new Y.Doc();
		const snap = await admin.query<{ state: Buffer }>(
			'select state from public.document_snapshots where document_id = $1',
			[typing.documentId]
		);
		if (snap.rows[0]) Y.applyUpdateV2(compacted, snap.rows[0].state);
		const rest = await admin.query<{ update: Buffer }>(
			'select update from public.document_updates where document_id = $1 order by seq',
			[typing.documentId]
		);
		for (const row of rest.rows) Y.applyUpdate(compacted, row.update);
		// What the next compaction stores: the snapshot, in the V2 encoding the server writes.
		const compactedBytes = Y.encodeStateAsUpdateV2(compacted).length;
		const storage = {
			typedCharacters: TYPED_CHARS,
			finalCharacters: compacted.getText('t').length,
			storedNow: {
				snapshotBytes: s.snapshot,
				logBytes: s.log,
				logRows: s.rows,
				provenanceBytes: s.provenance
			},
			compactedBytes,
			// Provenance (who wrote words someone else's editor moved) is stored beside the log.
			bytesPerTypedCharacter:
				Math.round(((compactedBytes + s.provenance) / TYPED_CHARS) * 1000) / 1000
		};
		console.error('storage:', JSON.stringify(storage));

		// 4. Memory per open document: a fresh server process with 1,000 documents open, for a
		// short (2 KB) and a typical (8 KB, about 1,400 words) care plan.
		const memory: Record<string, unknown> = {};
		for (const size of [2, 8]) {
			memory[`${size} KB documents`] = await measureMemory(admin, ourOptions, size * 1024);
			console.error(`memory ${size} KB:`, JSON.stringify(memory[`${size} KB documents`]));
		}

		const ackP50 = percentile(ackLatencies, 50);
		const ackP95 = percentile(ackLatencies, 95);
		return {
			manyDocuments: manyDocumentsFigures,
			fanout,
			savedAckMs: { samples: ackLatencies.length, p50: ackP50, p95: ackP95 },
			open160KB: open,
			storage,
			memory
		};
	} finally {
		for (const s of servers) await s.stop();
		await admin.end();
		await postgres.stop();
	}
}
