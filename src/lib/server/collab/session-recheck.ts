import type pg from 'pg';

/**
 * Closes open sockets whose session has ended. A socket outlives its one-minute ticket by hours,
 * and the access token behind it by up to an hour; signing out (here or everywhere), being signed
 * out, or the idle limit must end co-writing as they end the app. Every `intervalMs` this asks
 * Postgres once, for all the sockets open on this process, which of their sessions are over
 * (private.collab_sessions_ended, migration 20261203001400), and ends those sockets. The answer
 * lives in Postgres, so every collab process and the app agree; nothing is kept here between
 * rounds. The query only reads: an open socket is not a person using the session, so it never
 * holds off the idle limit.
 */

/** One open socket, as the re-check sees it. */
export interface SessionHolder {
	/** The person the ticket names and the session it was issued under. */
	sub: string;
	sessionId: string;
	/** Closes the socket (4401); called at most once per round, for a session found over. */
	end(): void;
}

export interface SessionRecheckOptions {
	pool: pg.Pool;
	intervalMs: number;
	/** The app's idle limit (SESSION_IDLE_HOURS in seconds): both must use the same. */
	idleSeconds: number;
	/** The sockets open now (read afresh every round). */
	holders: () => Iterable<SessionHolder>;
	log: (event: string, fields?: Record<string, unknown>) => void;
}

/** Which of these (session, person) pairs are over, as `session/person` keys: one query. */
export async function endedSessions(
	pool: pg.Pool,
	pairs: Array<{ sessionId: string; sub: string }>,
	idleSeconds: number
): Promise<Set<string>> {
	if (pairs.length === 0) return new Set();
	const { rows } = await pool.query<{ session: string; person: string }>(
		'select session, person from private.collab_sessions_ended($1::uuid[], $2::uuid[], $3::int)',
		[pairs.map((p) => p.sessionId), pairs.map((p) => p.sub), Math.round(idleSeconds)]
	);
	return new Set(rows.map((r) => pairKey(r.session, r.person)));
}

function pairKey(sessionId: string, sub: string): string {
	return `${sessionId.toLowerCase()}/${sub.toLowerCase()}`;
}

/**
 * Starts the rounds; `stop()` ends them. A round starts only after the last has finished, so a
 * slow database never piles queries up. If the database cannot answer, sockets stay open and
 * the round is logged: they can neither load nor save meanwhile, and the next round decides.
 */
export function startSessionRecheck(options: SessionRecheckOptions): { stop(): void } {
	const { pool, intervalMs, idleSeconds, holders, log } = options;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let stopped = false;

	async function round(): Promise<void> {
		const open = [...holders()];
		const pairs = new Map<string, { sessionId: string; sub: string }>();
		for (const { sessionId, sub } of open) pairs.set(pairKey(sessionId, sub), { sessionId, sub });
		const ended = await endedSessions(pool, [...pairs.values()], idleSeconds);
		if (ended.size === 0 || stopped) return;
		let closed = 0;
		for (const holder of open) {
			if (!ended.has(pairKey(holder.sessionId, holder.sub))) continue;
			holder.end();
			closed++;
		}
		log('sessions ended', { sessions: ended.size, sockets: closed });
	}

	function schedule(): void {
		if (stopped) return;
		timer = setTimeout(() => {
			round()
				.catch((error: unknown) => log('session re-check failed', { error: String(error) }))
				.finally(schedule);
		}, intervalMs);
		timer.unref();
	}

	schedule();
	return {
		stop() {
			stopped = true;
			if (timer) clearTimeout(timer);
		}
	};
}
