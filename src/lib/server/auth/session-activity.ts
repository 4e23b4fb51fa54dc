import { sql } from 'kysely';
import { appDb, asUser, type VerifiedClaims } from '$lib/server/db';
import { config } from '$lib/server/config';

/**
 * Is the session behind this (already verified) access token still live? A token outlives its
 * session by up to an hour, so signing out, being signed out by an admin, or leaving a shared
 * phone idle past the limit must be checked where sessions are kept: the database decides
 * (private.session_is_live, migration 20261203001300), the same for every app process and for
 * hosted Supabase. A token without a `session_id` claim is not a person's session: not live.
 *
 * `countsAsUse: false` is for requests a page makes by itself (an open editor fetching a collab
 * ticket): they need a live session but do not keep it alive, or a shared phone left on an open
 * document would never reach the idle limit (migration 20261203001500).
 */
export async function sessionIsLive(
	claims: VerifiedClaims,
	{ countsAsUse = true }: { countsAsUse?: boolean } = {}
): Promise<boolean> {
	const sessionId = claims.session_id;
	if (typeof sessionId !== 'string' || !/^[0-9a-f-]{36}$/i.test(sessionId)) return false;
	return asUser(appDb(), claims, async (tx) => {
		const { rows } = await sql<{ live: boolean }>`
			select private.session_is_live(
				${sessionId}::uuid, ${config.sessionIdleSeconds()}, ${countsAsUse}
			) as live
		`.execute(tx);
		return rows[0]?.live === true;
	});
}
