import type pg from 'pg';
import {
	claimsFor,
	claimsSql,
	clientsLiteral,
	clocksLiteral,
	uuidLiteral,
	writersLiteral
} from './sql.ts';
import type { WriterRun } from './provenance.ts';

/**
 * The group commit of appends: every update a connection sends goes through here to
 * document_updates, and its "saved" waits for the commit. Appends that arrive while a transaction
 * is in flight go together in the next one, each under its author's claims, so one commit (and
 * one WAL flush) serves many edits across documents; one refused author does not fail the rest.
 */

export interface PendingAppend {
	documentId: string;
	authorId: string;
	update: Uint8Array;
	/** Client ids this update is the first to use: bound to its author in the same transaction. */
	newClients: number[];
	/** Who wrote the items this update moved: stored in the same transaction. */
	provenance: WriterRun[];
	resolve: (id: number) => void;
	reject: (error: unknown) => void;
}

/** Plain code-unit order (not locale order): the same in every process. */
function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

export function createCommits(pool: pg.Pool) {
	let queue: PendingAppend[] = [];
	let flushing = false;

	/**
	 * Queues one update; resolves with its row id once the transaction holding it has committed.
	 * Appends that arrive while a transaction is in flight go together in the next one (group
	 * commit), each author's rows appended under that author's claims.
	 */
	function append(
		documentId: string,
		authorId: string,
		update: Uint8Array,
		newClients: number[] = [],
		provenance: WriterRun[] = []
	): Promise<number> {
		return new Promise((resolve, reject) => {
			queue.push({ documentId, authorId, update, newClients, provenance, resolve, reject });
			if (!flushing) void flush();
		});
	}

	async function flush(): Promise<void> {
		flushing = true;
		try {
			while (queue.length > 0) {
				const batch = queue;
				queue = [];
				try {
					const ids = await insertBatch(batch);
					batch.forEach((item, i) => item.resolve(ids[i] as number));
				} catch (error) {
					if (batch.length === 1) {
						batch[0]?.reject(error);
						continue;
					}
					// One refused author must not fail the others: retry each on its own.
					for (const item of batch) {
						try {
							const [id] = await insertBatch([item]);
							item.resolve(id as number);
						} catch (itemError) {
							item.reject(itemError);
						}
					}
				}
			}
		} finally {
			flushing = false;
		}
	}

	/**
	 * One round trip for the whole batch: a multi-statement simple query (begin, then one
	 * private.append_update per update, each preceded by its author's claims when the author
	 * changes, commit). Values are inlined, which is safe because ids are checked UUIDs, client
	 * ids checked integers and updates hex; the latency of a saved ack is then one round trip plus
	 * the commit's WAL flush.
	 *
	 * Each append locks its document's log counter until commit (migration 20261204000200), so
	 * the batch appends in document-id order: two processes' batches then lock shared documents
	 * in the same order and wait for each other instead of deadlocking.
	 */
	async function insertBatch(batch: PendingAppend[]): Promise<number[]> {
		const order = batch
			.map((item, i) => ({ item, i }))
			.sort(
				(a, b) =>
					compare(a.item.documentId.toLowerCase(), b.item.documentId.toLowerCase()) ||
					compare(a.item.authorId, b.item.authorId) ||
					a.i - b.i
			);
		const statements = ['begin'];
		// Lease seam (issue 13, item 2; not built yet): with several collab processes, a check that
		// this process still holds each document's lease, at the epoch it loaded under, goes here,
		// in the same transaction as the appends, so that a process that lost a document can
		// neither append to it nor acknowledge.

		// Which statement's result holds each item's row id.
		const resultOf: number[] = new Array(batch.length);
		let actingFor: string | null = null;
		for (const { item, i } of order) {
			if (item.authorId !== actingFor) {
				statements.push(claimsSql(claimsFor(item.authorId)));
				actingFor = item.authorId;
			}
			resultOf[i] = statements.length;
			statements.push(
				`select private.append_update(${uuidLiteral(item.documentId)}, '\\x${Buffer.from(item.update).toString('hex')}'::bytea, ${clientsLiteral(item.newClients)})::text as id`
			);
			const runs = item.provenance;
			if (runs.length > 0) {
				// Same transaction as the append: a saved edit never lacks who wrote the words it
				// moved. Acts for the same person, so it is refused exactly when the append is.
				statements.push(
					`select private.record_provenance(${uuidLiteral(item.documentId)}, ${clientsLiteral(runs.map((r) => r.client))}, ${clocksLiteral(
						runs.map((r) => r.clock),
						'bigint'
					)}, ${clocksLiteral(
						runs.map((r) => r.len),
						'integer'
					)}, ${writersLiteral(runs.map((r) => r.writer))})`
				);
			}
		}
		statements.push('commit');
		const client = await pool.connect();
		try {
			try {
				const results = (await client.query(statements.join(';\n'))) as unknown as pg.QueryResult<{
					id: string;
				}>[];
				return resultOf.map((r) => Number(results[r]?.rows[0]?.id));
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
