import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createCast } from './support.ts';

/**
 * A node renews all its leases in one statement while its group commit appends to many of the
 * same documents (each append locks its document's lease row for share until commit, in
 * document-id order: commits.ts). Found by the 200-document benchmark (issue 13): the renewal
 * updated the rows in whatever order its plan met them, so with a batch in flight Postgres
 * found a deadlock and, after deadlock_timeout, failed one side; a failed renewal let leases run
 * out, and the node dropped busy documents (1012 for everyone on them). Renewing in document-id
 * order, like the appends, makes the two wait for each other instead.
 */

const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 4 });
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 6 });

afterAll(async () => {
	await collabPool.end();
	await admin.end();
});

async function acquire(node: string, documentId: string): Promise<number> {
	const { rows } = await collabPool.query<{ epoch: string | null }>(
		'select private.acquire_document_lease($1, $2, 600000, false)::text as epoch',
		[documentId, node]
	);
	return Number(rows[0]?.epoch);
}

describe('lease renewal beside the group commit', () => {
	it('waits for a batch holding its documents’ leases, in document order, without a deadlock', async () => {
		const node = randomUUID();
		const [low, high] = [
			(await createCast(admin, { blank: true })).documentId,
			(await createCast(admin, { blank: true })).documentId
		].sort();
		// The higher id leased first, and named first in the renewal: an order-blind renewal
		// meets it first, whichever way its plan walks the rows.
		const highEpoch = await acquire(node, high!);
		const lowEpoch = await acquire(node, low!);

		const batch = await collabPool.connect();
		try {
			await batch.query('begin');
			// A batch's appends check their leases in document order: the lower id first.
			await batch.query('select private.assert_document_lease($1, $2, $3)', [low, node, lowEpoch]);
			const renewal = collabPool.query<{ document_id: string; held: boolean }>(
				'select document_id, held from private.renew_document_leases($1, $2::uuid[], $3::bigint[], $4)',
				[node, [high, low], [highEpoch, lowEpoch], 600000]
			);
			renewal.catch(() => {});
			// The renewal is waiting for the batch's lock.
			await expect
				.poll(async () => {
					const { rows } = await admin.query<{ waiting: number }>(
						`select count(*)::int as waiting from pg_stat_activity
						 where wait_event_type = 'Lock' and query like '%renew_document_leases%'`
					);
					return rows[0]?.waiting;
				})
				.toBe(1);
			// The batch goes on to the higher id: it must not wait for the renewal.
			await batch.query('select private.assert_document_lease($1, $2, $3)', [
				high,
				node,
				highEpoch
			]);
			await batch.query('commit');
			const renewed = await renewal;
			expect(renewed.rows.every((r) => r.held)).toBe(true);
			expect(renewed.rows).toHaveLength(2);
		} finally {
			batch.release();
		}
	});
});
