import type pg from 'pg';

/**
 * The pieces every collab query is built from (store.ts, commits.ts): ids checked before they are
 * inlined into SQL, the claims a transaction acts under, one transaction on a pooled connection,
 * and the error for a document that cannot be read. No state.
 */

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

/**
 * The largest Yjs client id: Yjs makes them as unsigned 32-bit numbers, and the store keeps them
 * so. (Its encoding would carry larger ones: the server refuses them when they arrive.)
 */
export const MAX_CLIENT_ID = 0xffffffff;

/** Yjs client ids (unsigned 32-bit integers) as an SQL bigint[] literal; anything else throws. */
export function clientsLiteral(values: number[]): string {
	for (const value of values) {
		if (!Number.isInteger(value) || value < 0 || value > MAX_CLIENT_ID) {
			throw new StoreError(`not a client id: ${value}`);
		}
	}
	return `'{${values.join(',')}}'::bigint[]`;
}

/** Yjs clocks or run lengths (non-negative integers) as an SQL array literal; anything else throws. */
export function clocksLiteral(values: number[], type: 'bigint' | 'integer'): string {
	for (const value of values) {
		if (!Number.isSafeInteger(value) || value < 0) throw new StoreError(`not a clock: ${value}`);
	}
	return `'{${values.join(',')}}'::${type}[]`;
}

/** Writer ids (checked UUIDs, or null for nobody's own words) as an SQL uuid[] literal. */
export function writersLiteral(values: Array<string | null>): string {
	return `array[${values.map((v) => (v === null ? 'null' : uuidLiteral(v))).join(', ')}]::uuid[]`;
}

/** Sets the person a transaction acts for (a checked UUID, so inlining is safe). */
export function claimsSql(claims: Claims): string {
	uuidLiteral(claims.sub);
	return `select set_config('request.jwt.claims', '${JSON.stringify(claims)}', true)`;
}

/** Raised when a stored document cannot be read (not when one stored update is bad). */
export class StoreError extends Error {
	constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'StoreError';
	}
}

/** Runs `work` in one transaction, acting for `claims` when given (the service's upkeep: none). */
export async function inTransaction<T>(
	pool: pg.Pool,
	claims: Claims | null,
	work: (client: pg.PoolClient) => Promise<T>,
	isolation = 'read committed'
): Promise<T> {
	const client = await pool.connect();
	try {
		await client.query(`begin isolation level ${isolation}`);
		try {
			if (claims) {
				uuidLiteral(claims.sub);
				await client.query(`select set_config('request.jwt.claims', $1, true)`, [
					JSON.stringify(claims)
				]);
			}
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
