import pg from 'pg';
import * as Y from 'yjs';

/**
 * Everything the collab server reads or writes in Postgres. Every query runs inside a transaction
 * as role `authenticated` with the person's claims, exactly as the app does, so row-level security
 * decides on every append, load and compaction: the server never acts as an owner or superuser.
 */

export type AccessLevel = 'none' | 'view' | 'comment' | 'edit';

/** Claims the server acts under: the ticket's person. */
export interface Claims {
	sub: string;
	role: 'authenticated';
}

export function claimsFor(sub: string): Claims {
	return { sub, role: 'authenticated' };
}

/** A document or person id as the database writes it; anything else never reaches SQL. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID as an SQL literal; anything else throws, so inlined SQL stays safe. */
export function uuidLiteral(value: string): string {
	if (!UUID.test(value)) throw new StoreError(`not a uuid: ${value}`);
	return `'${value}'::uuid`;
}

/** A Yjs client id (an unsigned 32-bit integer) as an SQL literal; anything else throws. */
function clientLiteral(value: number): string {
	if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
		throw new StoreError(`not a client id: ${value}`);
	}
	return String(value);
}

function claimsSql(claims: Claims): string {
	uuidLiteral(claims.sub);
	return `select set_config('role', 'authenticated', true), set_config('request.jwt.claims', '${JSON.stringify(claims)}', true)`;
}

/** Raised when a stored document cannot be read (not when one stored update is bad). */
export class StoreError extends Error {
	constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'StoreError';
	}
}

/** Who a Yjs client id belongs to (public.document_writers). */
export interface Writer {
	writerId: string | null;
	/** The template the document started from: nobody's own words. */
	template: boolean;
}

export interface LoadedDocument {
	youngPersonId: string;
	doc: Y.Doc;
	/** Client id → the person whose connection first sent it. */
	writers: Map<number, Writer>;
	/** Rows in the log after the snapshot: compaction starts when this passes the threshold. */
	rowsAfterSnapshot: number;
	/** Stored updates that could not be applied (skipped and logged). */
	skipped: number;
}

export interface PendingAppend {
	documentId: string;
	authorId: string;
	update: Uint8Array;
	/** Client ids this update is the first to use: bound to its author in the same transaction. */
	newClients: number[];
	resolve: (id: number) => void;
	reject: (error: unknown) => void;
}

type Log = (event: string, fields?: Record<string, unknown>) => void;

const ACCESS_RANK: Record<AccessLevel, number> = { none: 0, view: 1, comment: 2, edit: 3 };

/** The lower of two access levels. */
export function minAccess(a: AccessLevel, b: AccessLevel): AccessLevel {
	return ACCESS_RANK[a] <= ACCESS_RANK[b] ? a : b;
}

export function accessRank(level: AccessLevel): number {
	return ACCESS_RANK[level];
}

async function asPerson<T>(
	pool: pg.Pool,
	claims: Claims,
	work: (client: pg.PoolClient) => Promise<T>,
	isolation = 'read committed'
): Promise<T> {
	const client = await pool.connect();
	try {
		await client.query(`begin isolation level ${isolation}`);
		try {
			await client.query(
				`select set_config('role', 'authenticated', true),
					set_config('request.jwt.claims', $1, true)`,
				[JSON.stringify(claims)]
			);
			const result = await work(client);
			await client.query('commit');
			return result;
		} catch (error) {
			await client.query('rollback').catch(() => {});
			throw error;
		}
	} finally {
		client.release();
	}
}

/** The store: one pg pool, a group-commit queue for appends. */
export function createStore(pool: pg.Pool, log: Log) {
	let queue: PendingAppend[] = [];
	let flushing = false;

	/** The person's access to a document now, in one round trip. */
	async function access(claims: Claims, documentId: string): Promise<AccessLevel> {
		const sql = [
			'begin',
			claimsSql(claims),
			`select private.document_access(${uuidLiteral(documentId)})::text as access`,
			'commit'
		].join(';\n');
		const client = await pool.connect();
		try {
			const results = (await client.query(sql)) as unknown as pg.QueryResult<{
				access: AccessLevel;
			}>[];
			return results[2]?.rows[0]?.access ?? 'none';
		} catch (error) {
			await client.query('rollback').catch(() => {});
			throw error;
		} finally {
			client.release();
		}
	}

	/** Reads snapshot + later updates into a fresh Y.Doc, skipping (and logging) bad rows. */
	async function load(claims: Claims, documentId: string): Promise<LoadedDocument> {
		return asPerson(pool, claims, async (client) => {
			const docRow = await client.query<{ young_person_id: string }>(
				'select young_person_id from public.documents where id = $1',
				[documentId]
			);
			const youngPersonId = docRow.rows[0]?.young_person_id;
			if (!youngPersonId) throw new StoreError(`document ${documentId} not visible`);
			const { rows } = await client.query<{ kind: string; id: string; data: Buffer }>(
				`select 'snapshot' as kind, s.through_update_id::text as id, s.state as data
				   from public.document_snapshots s where s.document_id = $1
				 union all
				 select 'update', u.id::text, u.update from public.document_updates u
				   where u.document_id = $1
				   and u.id > coalesce((select s.through_update_id from public.document_snapshots s
				     where s.document_id = $1), 0)
`,
				[documentId]
			);
			const sorted = [
				...rows.filter((r) => r.kind === 'snapshot'),
				...rows.filter((r) => r.kind === 'update').sort((a, b) => Number(a.id) - Number(b.id))
			];
			const bound = await client.query<{
				client_id: string;
				writer_id: string | null;
				from_template: boolean;
			}>(
				'select client_id::text, writer_id, from_template from public.document_writers where document_id = $1',
				[documentId]
			);
			const writers = new Map<number, Writer>(
				bound.rows.map((r) => [
					Number(r.client_id),
					{ writerId: r.writer_id, template: r.from_template }
				])
			);
			const doc = new Y.Doc({ gc: true });
			let skipped = 0;
			for (const row of sorted) {
				const ok =
					row.kind === 'snapshot' ? safeApplySnapshot(doc, row.data) : safeApply(doc, row.data);
				if (!ok) {
					skipped++;
					log('stored update skipped', { documentId, kind: row.kind, id: row.id });
				}
			}
			return {
				youngPersonId,
				doc,
				writers,
				rowsAfterSnapshot: sorted.length - (sorted[0]?.kind === 'snapshot' ? 1 : 0),
				skipped
			};
		});
	}

	/**
	 * Queues one update; resolves with its row id once the transaction holding it has committed.
	 * Appends that arrive while a transaction is in flight go together in the next one (group
	 * commit), each author's rows inserted under that author's claims.
	 */
	function append(
		documentId: string,
		authorId: string,
		update: Uint8Array,
		newClients: number[] = []
	): Promise<number> {
		return new Promise((resolve, reject) => {
			queue.push({ documentId, authorId, update, newClients, resolve, reject });
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
	 * One round trip for the whole batch: a multi-statement simple query (begin, then per author
	 * their claims and their rows, commit). Values are inlined, which is safe because ids are
	 * checked UUIDs and updates are hex; the latency of a saved ack is then one round trip plus
	 * the commit's WAL flush.
	 */
	async function insertBatch(batch: PendingAppend[]): Promise<number[]> {
		const byAuthor = new Map<string, number[]>();
		batch.forEach((item, i) => {
			const list = byAuthor.get(item.authorId) ?? [];
			list.push(i);
			byAuthor.set(item.authorId, list);
		});
		const statements = ['begin'];
		const order: number[] = [];
		for (const [authorId, indexes] of byAuthor) {
			statements.push(claimsSql(claimsFor(authorId)));
			const values = indexes.map((i) => {
				const item = batch[i] as PendingAppend;
				order.push(i);
				return `(${uuidLiteral(item.documentId)}, ${uuidLiteral(authorId)}, '\\x${Buffer.from(item.update).toString('hex')}'::bytea)`;
			});
			statements.push(
				`insert into public.document_updates (document_id, author_id, update) values ${values.join(', ')} returning id::text`
			);
			const bindings = indexes.flatMap((i) => {
				const item = batch[i] as PendingAppend;
				return item.newClients.map(
					(c) => `(${uuidLiteral(item.documentId)}, ${clientLiteral(c)}, ${uuidLiteral(authorId)})`
				);
			});
			if (bindings.length > 0) {
				// "do nothing": the same client's first update may be resent after a reconnect.
				statements.push(
					`insert into public.document_writers (document_id, client_id, writer_id) values ${bindings.join(', ')} on conflict do nothing`
				);
			}
		}
		statements.push('commit');
		const client = await pool.connect();
		try {
			try {
				const results = (await client.query(statements.join(';\n'))) as unknown as pg.QueryResult[];
				const ids = results
					.filter((r) => r.command === 'INSERT')
					.flatMap((r) => r.rows.map((row: { id: string }) => Number(row.id)));
				const out: number[] = new Array(batch.length);
				order.forEach((index, j) => {
					out[index] = ids[j] as number;
				});
				return out;
			} catch (error) {
				await client.query('rollback').catch(() => {});
				throw error;
			}
		} finally {
			client.release();
		}
	}

	/**
	 * Rebuilds the document from the stored rows (never from memory, which may hold unsaved
	 * updates) and replaces them with one snapshot, in one repeatable-read transaction as an editor.
	 * Returns the number of rows compacted (0 if nothing to do or another compaction got there).
	 */
	async function compact(claims: Claims, documentId: string): Promise<number> {
		return asPerson(
			pool,
			claims,
			async (client) => {
				const { rows } = await client.query<{ kind: string; id: string; data: Buffer }>(
					`select 'snapshot' as kind, s.through_update_id::text as id, s.state as data
					   from public.document_snapshots s where s.document_id = $1
					 union all
					 select 'update', u.id::text, u.update from public.document_updates u
					   where u.document_id = $1`,
					[documentId]
				);
				const snapshot = rows.find((r) => r.kind === 'snapshot');
				const through0 = snapshot ? Number(snapshot.id) : 0;
				const updates = rows
					.filter((r) => r.kind === 'update' && Number(r.id) > through0)
					.sort((a, b) => Number(a.id) - Number(b.id));
				if (updates.length === 0) return 0;
				const doc = new Y.Doc({ gc: true });
				try {
					if (snapshot && !safeApplySnapshot(doc, snapshot.data)) {
						// Never replace a snapshot we could not read: that would lose its content.
						log('snapshot unreadable, compaction skipped', { documentId });
						return 0;
					}
					for (const row of updates) {
						if (!safeApply(doc, row.data)) {
							log('stored update skipped in compaction', { documentId, id: row.id });
						}
					}
					const through = Number(updates[updates.length - 1]?.id);
					// Snapshots use Yjs's V2 encoding: about 40% smaller for typed text.
					const state = Y.encodeStateAsUpdateV2(doc);
					const result = await client.query<{ done: boolean }>(
						'select private.compact_document($1, $2, $3) as done',
						[documentId, Buffer.from(state), through]
					);
					return result.rows[0]?.done ? updates.length : 0;
				} finally {
					doc.destroy();
				}
			},
			'repeatable read'
		);
	}

	return { access, load, append, compact };
}

export type Store = ReturnType<typeof createStore>;

/** Applies a stored or received update; false (never a throw) if Yjs cannot read it. */
export function safeApply(doc: Y.Doc, update: Uint8Array, origin?: unknown): boolean {
	try {
		Y.decodeUpdate(update);
		Y.applyUpdate(doc, update, origin);
		return true;
	} catch {
		return false;
	}
}

/**
 * Applies a stored snapshot, which is in Yjs's V2 update encoding (document_updates rows are V1,
 * as clients send them); false (never a throw) if Yjs cannot read it.
 */
export function safeApplySnapshot(doc: Y.Doc, snapshot: Uint8Array): boolean {
	try {
		Y.decodeUpdateV2(snapshot);
		Y.applyUpdateV2(doc, snapshot);
		return true;
	} catch {
		return false;
	}
}
