import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { asAnon, asUser, type Tx, type VerifiedClaims } from '$lib/server/db';
import type { Database } from '$lib/server/db/schema';
import { m } from '$lib/paraglide/messages.js';

/**
 * Sign-in throttling, per account and per address, counted in Postgres (migration
 * 20261203001000_sign_in_throttle.sql) so that every app process sees the same counts. Accounts
 * that do not exist are counted the same way, so the answer never tells them apart.
 */

/** The words people see when locked out: the same for every account, known or not. */
export function tryAgainIn(seconds: number): string {
	const minutes = Math.max(1, Math.ceil(seconds / 60));
	return m.sign_in_too_many_tries({ minutes });
}

async function seconds(tx: Tx, query: ReturnType<typeof sql<{ wait: number | null }>>) {
	const { rows } = await query.execute(tx);
	return rows[0]?.wait ?? 0;
}

/** Seconds before this account may try again from this address (0: go ahead). */
export function signInWait(db: Kysely<Database>, account: string | null, address: string) {
	return asAnon(db, (tx) =>
		seconds(tx, sql`select private.sign_in_wait(${account ?? ''}, ${address}) as wait`)
	);
}

/**
 * Records a failed attempt (a wrong passphrase, or an invite link that did not work, where there
 * is no account to name) and returns the wait it now imposes.
 */
export function recordSignInFailure(db: Kysely<Database>, account: string | null, address: string) {
	return asAnon(db, (tx) =>
		seconds(tx, sql`select private.record_sign_in_failure(${account}, ${address}) as wait`)
	);
}

/** After the right passphrase: the account starts from no failures (the address keeps its own). */
export async function clearSignInFailures(db: Kysely<Database>, account: string): Promise<void> {
	await asAnon(db, (tx) => sql`select private.clear_sign_in_failures(${account})`.execute(tx));
}

/**
 * Seconds until the young person may sign in again, or null when the caller does not manage
 * their circle (the database decides; family members never see it).
 */
export async function signInLockOf(tx: Tx, youngPersonId: string): Promise<number | null> {
	const { rows } = await sql<{
		wait: number | null;
	}>`select private.sign_in_lock_of(${youngPersonId}::uuid) as wait`.execute(tx);
	return rows[0]?.wait ?? null;
}

/** Lets the young person sign in again; false when the caller does not manage their circle. */
export async function unlockSignIn(
	db: Kysely<Database>,
	claims: VerifiedClaims,
	youngPersonId: string
): Promise<boolean> {
	return asUser(db, claims, async (tx) => {
		const { rows } = await sql<{
			unlocked: boolean;
		}>`select private.unlock_sign_in(${youngPersonId}::uuid) as unlocked`.execute(tx);
		return rows[0]?.unlocked === true;
	});
}
