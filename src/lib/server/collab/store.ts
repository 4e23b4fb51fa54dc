import pg from 'pg';
import * as Y from 'yjs';
import { decodeAnchorBytes } from '../../collab/anchors.ts';
import { quoteAt } from '../documents/anchors.ts';
import { initialContent } from '../../collab/templates.ts';
import type { DocumentKind } from '../db/schema-documents.ts';
import type { WriterRun } from './provenance.ts';
import { createCommits } from './commits.ts';
import type { Fence } from './lease.ts';
import {
	claimsSql,
	clientsLiteral,
	inTransaction,
	StoreError,
	uuidLiteral,
	type Claims
} from './sql.ts';

/**
 * Everything the collab server reads or writes in Postgres. The server connects as its own login
 * role (in_my_words_collab): not an owner, not a superuser, holding no table privilege at all. It
 * reads and writes only through the `private` functions granted to that role alone (migration
 * 20261203001200), so the app's role, `authenticated` and `anon` can write no content. Where a
 * write is a person's (an edit, a version, a suggestion) the transaction carries that person's
 * claims in request.jwt.claims and the function still asks private.document_access, so even the
 * service cannot write for someone without the access.
 *
 * Here: access, loading a document (and starting it from its template), compaction, versions and
 * suggestions. Appends go through the group commit in commits.ts; the SQL pieces are in sql.ts.
 */

export { claimsFor, StoreError, UUID, uuidLiteral, type Claims } from './sql.ts';
export type { PendingAppend } from './commits.ts';

export type AccessLevel = 'none' | 'view' | 'comment' | 'edit';

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
	/** Runs of items whose writer is not their client's person (public.document_provenance). */
	provenance: WriterRun[];
	/** Rows in the log after the snapshot: compaction starts when this passes the threshold. */
	rowsAfterSnapshot: number;
	/** Stored updates that could not be applied (skipped and logged). */
	skipped: number;
}

/** Why a suggestion was not recorded, in words the app turns into a message. */
export type SuggestionRefusal = 'words not found' | 'too long' | 'unchanged';

type Log = (event: string, fields?: Record<string, unknown>) => void;

interface LogRow {
	kind: 'snapshot' | 'update';
	/**
	 * An update's place in its document's log, or the snapshot's watermark (migration
	 * 20261204000200): seq order is commit order, unlike row ids, so a watermark never passes an
	 * update it does not hold.
	 */
	seq: string;
	data: Buffer;
}

const ACCESS_RANK: Record<AccessLevel, number> = { none: 0, view: 1, comment: 2, edit: 3 };

/** The lower of two access levels. */
export function minAccess(a: AccessLevel, b: AccessLevel): AccessLevel {
	return ACCESS_RANK[a] <= ACCESS_RANK[b] ? a : b;
}

export function accessRank(level: AccessLevel): number {
	return ACCESS_RANK[level];
}

/** The stored log in order: the snapshot first (if any), then the later updates by seq. */
async function readLog(client: pg.PoolClient, documentId: string): Promise<LogRow[]> {
	const { rows } = await client.query<LogRow>(
		'select kind, seq::text as seq, data from private.collab_log($1)',
		[documentId]
	);
	return [
		...rows.filter((r) => r.kind === 'snapshot'),
		...rows.filter((r) => r.kind === 'update').sort((a, b) => Number(a.seq) - Number(b.seq))
	];
}

/** The store: one pg pool (on the collab role), a group-commit queue for appends (commits.ts). */
export function createStore(pool: pg.Pool, log: Log) {
	const { append } = createCommits(pool);

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

	/** Builds a Y.Doc from stored rows, skipping (and logging) any Yjs cannot read. */
	function docFrom(documentId: string, rows: LogRow[]): { doc: Y.Doc; skipped: number } {
		const doc = new Y.Doc({ gc: true });
		let skipped = 0;
		for (const row of rows) {
			const ok =
				row.kind === 'snapshot' ? safeApplySnapshot(doc, row.data) : safeApply(doc, row.data);
			if (!ok) {
				skipped++;
				log('stored update skipped', { documentId, kind: row.kind, seq: row.seq });
			}
		}
		return { doc, skipped };
	}

	/**
	 * A never-opened document has no rows: its kind's template becomes its first edit, written
	 * by the service (never sent by a client) under the lease of the node loading it.
	 * private.initialise_document writes only into an empty log, and only for the lease holder.
	 */
	async function initialiseIfEmpty(documentId: string, fence: Fence): Promise<void> {
		const found = await inTransaction(pool, null, async (client) => {
			const info = await client.query<{ kind: DocumentKind; begun: boolean }>(
				'select kind, begun from private.collab_document($1)',
				[documentId]
			);
			return info.rows[0];
		});
		if (!found) throw new StoreError(`document ${documentId} not found`);
		if (found.begun) return;
		const content = initialContent(found.kind);
		const clients = [...new Set(Y.decodeUpdate(content).structs.map((s) => s.id.client))];
		const written = await inTransaction(pool, null, async (client) => {
			const result = await client.query<{ done: boolean }>(
				`select private.initialise_document($1, $2, ${clientsLiteral(clients)}, $3, $4) as done`,
				[documentId, Buffer.from(content), fence.node, fence.epoch]
			);
			return result.rows[0]?.done === true;
		});
		if (written) log('document started from its template', { documentId });
	}

	/**
	 * Reads snapshot + later updates into a fresh Y.Doc (starting a never-opened document from its
	 * template first), skipping (and logging) bad rows. The caller has checked the person's access
	 * and holds the document's lease (`fence`).
	 */
	async function load(documentId: string, fence: Fence): Promise<LoadedDocument> {
		await initialiseIfEmpty(documentId, fence);
		return inTransaction(
			pool,
			null,
			async (client) => {
				const info = await client.query<{ young_person_id: string }>(
					'select young_person_id from private.collab_document($1)',
					[documentId]
				);
				const youngPersonId = info.rows[0]?.young_person_id;
				if (!youngPersonId) throw new StoreError(`document ${documentId} not found`);
				const rows = await readLog(client, documentId);
				const bound = await client.query<{
					client_id: string;
					writer_id: string | null;
					from_template: boolean;
				}>('select client_id::text, writer_id, from_template from private.collab_writers($1)', [
					documentId
				]);
				const writers = new Map<number, Writer>(
					bound.rows.map((r) => [
						Number(r.client_id),
						{ writerId: r.writer_id, template: r.from_template }
					])
				);
				const moved = await client.query<{
					client_id: string;
					clock: string;
					length: number;
					writer_id: string | null;
				}>(
					'select client_id::text, clock::text, length, writer_id from private.collab_provenance($1)',
					[documentId]
				);
				const provenance = moved.rows.map((r) => ({
					client: Number(r.client_id),
					clock: Number(r.clock),
					len: r.length,
					writer: r.writer_id
				}));
				const { doc, skipped } = docFrom(documentId, rows);
				return {
					youngPersonId,
					doc,
					writers,
					provenance,
					rowsAfterSnapshot: rows.length - (rows[0]?.kind === 'snapshot' ? 1 : 0),
					skipped
				};
			},
			// The log, the writers and the provenance from one moment.
			'repeatable read'
		);
	}

	/**
	 * Rebuilds the document from the stored rows (never from memory, which may hold unsaved
	 * updates) and replaces them with one snapshot, in one transaction.
	 * Returns the number of rows compacted (0 if nothing to do or another compaction got there).
	 * Refused (L0001) unless `fence` still holds the document's lease.
	 */
	async function compact(documentId: string, fence: Fence): Promise<number> {
		return inTransaction(
			pool,
			null,
			async (client) => {
				const rows = await readLog(client, documentId);
				const snapshot = rows[0]?.kind === 'snapshot' ? rows[0] : undefined;
				const updates = rows.filter((r) => r.kind === 'update');
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
							log('stored update skipped in compaction', { documentId, seq: row.seq });
						}
					}
					// The highest seq read: seq order is commit order, so every update below it is
					// among those read (migration 20261204000200).
					const through = Number(updates[updates.length - 1]?.seq);
					// Snapshots use Yjs's V2 encoding: about 40% smaller for typed text.
					const state = Y.encodeStateAsUpdateV2(doc);
					const result = await client.query<{ done: boolean }>(
						'select private.compact_document($1, $2, $3, $4, $5) as done',
						[documentId, Buffer.from(state), through, fence.node, fence.epoch]
					);
					return result.rows[0]?.done ? updates.length : 0;
				} finally {
					doc.destroy();
				}
			}
			// Read committed, not repeatable read: the log is read by one statement (one moment),
			// and seq order is commit order, so nothing below `through` can commit later. A
			// repeatable-read snapshot only made the lease check fail (40001) whenever a renewal
			// updated the lease row while the snapshot was being built.
		);
	}

	/**
	 * Saves a named version for the person in `claims`: the state is built here from the stored
	 * rows (never from memory or a browser), so a version is exactly what everyone could read at
	 * that moment. A document nobody has opened yet (no rows) is its template, built here and not
	 * written: only the lease holder writes a log. The database refuses (42501) anyone who cannot
	 * edit the document.
	 */
	async function saveVersion(
		claims: Claims,
		documentId: string,
		version: { name: string; isReview: boolean }
	): Promise<string> {
		return inTransaction(
			pool,
			claims,
			async (client) => {
				const rows = await readLog(client, documentId);
				const { doc } = docFrom(documentId, rows);
				if (rows.length === 0) {
					const info = await client.query<{ kind: DocumentKind }>(
						'select kind from private.collab_document($1)',
						[documentId]
					);
					const kind = info.rows[0]?.kind;
					if (kind) Y.applyUpdate(doc, initialContent(kind));
				}
				const state = Y.encodeStateAsUpdate(doc);
				doc.destroy();
				const result = await client.query<{ id: string }>(
					'select private.save_version($1, $2, $3, $4) as id',
					[documentId, version.name, version.isReview, Buffer.from(state)]
				);
				return result.rows[0]?.id as string;
			},
			'repeatable read'
		);
	}

	/**
	 * Records a suggestion by the person in `claims` to change the words between two anchors:
	 * the words there are read here, from the stored document, never taken from the browser.
	 * Returns its id, or why it was not recorded; the database refuses (42501) anyone who may not
	 * comment, and the young person themselves.
	 */
	async function suggest(
		claims: Claims,
		documentId: string,
		suggestion: { anchorStart: Uint8Array; anchorEnd: Uint8Array; suggested: string }
	): Promise<{ id: string } | { refused: SuggestionRefusal }> {
		return inTransaction(
			pool,
			claims,
			async (client) => {
				const { doc } = docFrom(documentId, await readLog(client, documentId));
				let original: string | null;
				try {
					const start = decodeAnchorBytes(suggestion.anchorStart);
					const end = decodeAnchorBytes(suggestion.anchorEnd);
					original = start && end ? quoteAt(doc, start, end) : null;
				} finally {
					doc.destroy();
				}
				if (original === null) return { refused: 'words not found' as const };
				if (original.length > 4000) return { refused: 'too long' as const };
				if (original === suggestion.suggested) return { refused: 'unchanged' as const };
				const result = await client.query<{ id: string }>(
					'select private.add_suggestion($1, $2, $3, $4, $5) as id',
					[
						documentId,
						Buffer.from(suggestion.anchorStart),
						Buffer.from(suggestion.anchorEnd),
						original,
						suggestion.suggested
					]
				);
				return { id: result.rows[0]?.id as string };
			},
			'repeatable read'
		);
	}

	return { access, load, append, compact, saveVersion, suggest };
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
