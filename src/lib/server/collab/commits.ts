import type pg from 'pg';
import { isLeaseLost, type Fence } from './lease.ts';
import {
	claimsFor,
	claimsSql,
	clientsLiteral,
	clocksLiteral,
	StoreError,
	UUID,
	uuidLiteral,
	writersLiteral
} from './sql.ts';
import type { WriterRun } from './provenance.ts';

/**
 * The group commit of appends: every update a connection sends goes through here to
 * document_updates, and its "saved" waits for the commit. Appends that arrive while a transaction
 * is in flight go together in the next one, each under its author's claims, so one commit (and
 * one WAL flush) serves many edits across documents; one refused author does not fail the rest.
 *
 * Each append names the lease it writes under (lease.ts): Postgres checks, in the same
 * transaction, that this node still holds the document at that epoch. When it does not (L0001),
 * the whole transaction has rolled back: the batch is tried again without that document, whose
 * appends all fail with the lease error (so none of them is acknowledged) while the others
 * commit and are acknowledged as usual.
 */

export interface PendingAppend {
	/** In lower case (as Postgres prints a uuid), so it compares as is. */
	documentId: string;
	authorId: string;
	update: Uint8Array;
	/** Client ids this update is the first to use: bound to its author in the same transaction. */
	newClients: number[];
	/** Who wrote the items this update moved: stored in the same transaction. */
	provenance: WriterRun[];
	/** The lease of the room the update belongs to. */
	fence: Fence;
	resolve: (id: number) => void;
	reject: (error: unknown) => void;
}

/** Plain code-unit order (not locale order): the same in every process. */
function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The shortest time between the starts of two commits while edits keep coming (a lone edit after
 * a quiet spell commits at once). Without it the group commit commits as often as Postgres lets
 * it, and at a steady typing rate that means many small transactions, each with its runs,
 * statements and commit: 12,000 edits to 200 documents typed at 8 keystrokes a second per editor
 * cost Postgres 2.1 s of CPU committed as fast as possible, 1.6 s committed at most every 10 ms
 * (5 and 20 ms did the same). A "saved" may come up to 10 ms later; the database, which shares
 * the machine with the collab processes in a small deployment, does a quarter less work.
 */
export const DEFAULT_COMMIT_INTERVAL_MS = 10;

export function createCommits(pool: pg.Pool, commitIntervalMs = DEFAULT_COMMIT_INTERVAL_MS) {
	let queue: PendingAppend[] = [];
	let flushing = false;
	let lastCommitAt = -Infinity;

	/**
	 * Queues one update; resolves with its row id once the transaction holding it has committed.
	 * Appends that arrive while a transaction is in flight go together in the next one (group
	 * commit), each author's rows appended under that author's claims.
	 */
	function append(
		documentId: string,
		authorId: string,
		update: Uint8Array,
		newClients: number[],
		provenance: WriterRun[],
		fence: Fence
	): Promise<number> {
		return new Promise((resolve, reject) => {
			queue.push({
				documentId: documentId.toLowerCase(),
				authorId,
				update,
				newClients,
				provenance,
				fence,
				resolve,
				reject
			});
			if (!flushing) void flush();
		});
	}

	async function flush(): Promise<void> {
		flushing = true;
		try {
			while (queue.length > 0) {
				const wait = lastCommitAt + commitIntervalMs - performance.now();
				if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
				lastCommitAt = performance.now();
				const batch = queue;
				queue = [];
				const { rest, error } = await commitAll(batch);
				if (rest.length === 0) continue;
				if (rest.length === 1) {
					rest[0]?.reject(error);
					continue;
				}
				// One refused author must not fail the others: retry each on its own.
				for (const item of rest) {
					try {
						const [id] = await insertBatch([item]);
						item.resolve(id as number);
					} catch (itemError) {
						item.reject(itemError);
					}
				}
			}
		} finally {
			flushing = false;
		}
	}

	/**
	 * Commits the batch in one transaction, leaving out (and failing) the appends of any document
	 * whose lease this node lost. What is left when some other error stopped it comes back with
	 * that error, to be tried item by item.
	 */
	async function commitAll(
		batch: PendingAppend[]
	): Promise<{ rest: PendingAppend[]; error: unknown }> {
		let rest = batch;
		while (rest.length > 0) {
			try {
				const ids = await insertBatch(rest);
				rest.forEach((item, i) => item.resolve(ids[i] as number));
				return { rest: [], error: null };
			} catch (error) {
				const lost = isLeaseLost(error) ? lostFence(error, rest) : null;
				if (lost === null) return { rest, error };
				for (const item of rest) if (underFence(item, lost)) item.reject(error);
				rest = rest.filter((item) => !underFence(item, lost));
			}
		}
		return { rest: [], error: null };
	}

	/** The lease a refused append was written under. */
	interface LostFence {
		documentId: string;
		node: string;
		epoch: number;
	}

	function underFence(item: PendingAppend, lost: LostFence): boolean {
		return (
			item.documentId === lost.documentId &&
			item.fence.node.toLowerCase() === lost.node &&
			item.fence.epoch === lost.epoch
		);
	}

	/**
	 * Which of the batch's leases a lease error (L0001, raised by private.assert_document_lease
	 * as "node … does not hold document … at epoch …") is about, or null if it names none of them
	 * (then the batch is tried item by item, as for any other error). By node and epoch, not only
	 * the document: the same node may already hold the document again at a higher epoch (a room
	 * loaded after its lease was lost), and that room's appends in the batch are good.
	 */
	function lostFence(error: unknown, batch: PendingAppend[]): LostFence | null {
		const message = error instanceof Error ? error.message : String(error);
		const parts =
			/node ([0-9a-f-]{36}) does not hold document ([0-9a-f-]{36}) at epoch (\d+)/i.exec(message);
		if (!parts) return null;
		const [, node = '', documentId = '', epoch = ''] = parts;
		if (!UUID.test(node) || !UUID.test(documentId)) return null;
		const lost = {
			documentId: documentId.toLowerCase(),
			node: node.toLowerCase(),
			epoch: Number(epoch)
		};
		return batch.some((item) => underFence(item, lost)) ? lost : null;
	}

	/**
	 * One round trip and, for the appends, one statement for the whole batch: begin,
	 * private.append_batch with one entry per run of one author's updates to one document under
	 * one lease (migrations 20261206000500 and 20261206000700: every document's lease is checked
	 * once, each run's author's access as that author, and the rows go in with one insert), the
	 * provenance of updates that moved words (each under its author's claims), commit. Values are
	 * inlined, which is safe because ids are checked UUIDs, client ids and counts checked integers
	 * and updates hex; the latency of a saved ack is then one round trip plus the commit's WAL
	 * flush. Two statements per run (claims, append) were most of Postgres's work per edit at a
	 * steady typing rate.
	 *
	 * The batch is sorted by document, then author, so each person's updates to one document make
	 * one run. (private.append_batch itself takes its locks in document-id order, so two processes'
	 * batches wait for each other on shared documents instead of deadlocking.)
	 */
	async function insertBatch(batch: PendingAppend[]): Promise<number[]> {
		const order = batch
			.map((item, i) => ({ item, i }))
			.sort(
				(a, b) =>
					compare(a.item.documentId, b.item.documentId) ||
					compare(a.item.authorId, b.item.authorId) ||
					a.i - b.i
			);
		const runs: PendingAppend[][] = [];
		for (const { item } of order) {
			const run = runs.at(-1);
			if (run && sameRun(run[0] as PendingAppend, item)) run.push(item);
			else runs.push([item]);
		}
		const newClients = runs.map((run) => [...new Set(run.flatMap((item) => item.newClients))]);
		const contents = order.map(({ item }) => `'\\x${Buffer.from(item.update).toString('hex')}'`);
		const first = runs.map((run) => run[0] as PendingAppend);
		const statements = [
			'begin',
			`select array_to_string(private.append_batch(${[
				`array[${first.map((item) => uuidLiteral(item.documentId)).join(',')}]::uuid[]`,
				`array[${first.map((item) => uuidLiteral(item.authorId)).join(',')}]::uuid[]`,
				`array[${first.map((item) => uuidLiteral(item.fence.node)).join(',')}]::uuid[]`,
				`array[${first.map((item) => epochLiteral(item.fence.epoch)).join(',')}]::bigint[]`,
				clocksLiteral(
					runs.map((run) => run.length),
					'integer'
				),
				`array[${contents.join(',')}]::bytea[]`,
				clocksLiteral(
					newClients.map((clients) => clients.length),
					'integer'
				),
				clientsLiteral(newClients.flat())
			].join(', ')}), ',') as ids`
		];
		let actingFor: string | null = null;
		for (const { item } of order) {
			const moved = item.provenance;
			if (moved.length === 0) continue;
			// Same transaction as the append: a saved edit never lacks who wrote the words it
			// moved. Acts for the same person, so it is refused exactly when the append is.
			if (item.authorId !== actingFor) {
				statements.push(claimsSql(claimsFor(item.authorId)));
				actingFor = item.authorId;
			}
			statements.push(
				`select private.record_provenance(${uuidLiteral(item.documentId)}, ${clientsLiteral(moved.map((r) => r.client))}, ${clocksLiteral(
					moved.map((r) => r.clock),
					'bigint'
				)}, ${clocksLiteral(
					moved.map((r) => r.len),
					'integer'
				)}, ${writersLiteral(moved.map((r) => r.writer))})`
			);
		}
		statements.push('commit');
		const client = await pool.connect();
		try {
			try {
				const results = (await client.query(statements.join(';\n'))) as unknown as pg.QueryResult<{
					ids: string;
				}>[];
				// The ids come in the order of `order`; hand each back to its place in the batch.
				const ids = (results[1]?.rows[0]?.ids ?? '').split(',');
				if (ids.length !== order.length || ids.some((id) => !/^\d+$/.test(id))) {
					// Committed, but not as asked: treated as a failed batch, so each append is tried
					// again on its own (a duplicate Yjs update changes nothing) and acknowledged only
					// once that commits.
					throw new StoreError(`append_batch returned ${ids.length} ids for ${order.length}`);
				}
				const out: number[] = new Array(batch.length);
				order.forEach(({ i }, k) => (out[i] = Number(ids[k])));
				return out;
			} catch (error) {
				await client.query('rollback').catch(() => {});
				throw error;
			}
		} finally {
			client.release();
		}
	}

	return { append };
}

/** Appends that make one run of private.append_batch: same document, author and lease. */
function sameRun(a: PendingAppend, b: PendingAppend): boolean {
	return (
		a.documentId === b.documentId &&
		a.authorId === b.authorId &&
		a.fence.node === b.fence.node &&
		a.fence.epoch === b.fence.epoch
	);
}

/** A lease epoch as an SQL literal; anything but a positive integer throws. */
function epochLiteral(epoch: number): string {
	if (!Number.isSafeInteger(epoch) || epoch <= 0) throw new StoreError(`not an epoch: ${epoch}`);
	return `${epoch}::bigint`;
}
