/** Limits that keep one connection from hurting the others; every one is configurable. */
export interface CollabLimits {
	/** Largest message accepted; bigger ones close the connection with 1009 (ws's own check). */
	maxPayloadBytes: number;
	/** Sustained messages per second per connection, and the burst allowed above it. */
	messagesPerSecond: number;
	messageBurst: number;
	/** Sustained bytes per second per connection, and the burst (at least one full message). */
	bytesPerSecond: number;
	byteBurst: number;
	/** Open connections one person may hold at once (many tabs, phones); more are refused 429. */
	maxConnectionsPerUser: number;
	/** A connection whose unsent backlog passes this is too slow to keep up: closed 1008. */
	slowConsumerBytes: number;
	/** At most one awareness (caret) update per connection per this many milliseconds. */
	awarenessIntervalMs: number;
	/** Largest caret position kept in awareness (JSON characters); bigger ones are dropped. */
	maxCursorChars: number;
	/**
	 * Updates waiting for items the server has not got yet (after a reconnect, an edit can arrive
	 * before the sync step 2 that resends what it builds on; see pending-updates.ts): at most this
	 * many per connection, this many bytes, for this long. Past any of them the connection closes
	 * with 4504 and the client reconnects and resends.
	 */
	maxWaitingUpdates: number;
	maxWaitingBytes: number;
	maxWaitingMs: number;
}

export const DEFAULT_LIMITS: CollabLimits = {
	maxPayloadBytes: 1024 * 1024,
	messagesPerSecond: 100,
	messageBurst: 300,
	bytesPerSecond: 1024 * 1024,
	byteBurst: 3 * 1024 * 1024,
	maxConnectionsPerUser: 20,
	slowConsumerBytes: 8 * 1024 * 1024,
	awarenessIntervalMs: 50,
	maxCursorChars: 2048,
	// Five seconds of messages at the sustained rate; a few full-size messages; and long enough
	// for a slow phone's sync step 2 (up to 1 MiB) to arrive behind the edit waiting for it.
	maxWaitingUpdates: 500,
	maxWaitingBytes: 4 * 1024 * 1024,
	maxWaitingMs: 30_000
};

/**
 * A token bucket: `take(cost)` is false when the connection has spent its burst and the refill
 * has not caught up, which is when the server closes it (1008).
 */
export function tokenBucket(ratePerSecond: number, burst: number, now = () => performance.now()) {
	let tokens = burst;
	let last = now();
	return {
		take(cost: number): boolean {
			const t = now();
			tokens = Math.min(burst, tokens + ((t - last) / 1000) * ratePerSecond);
			last = t;
			if (tokens < cost) return false;
			tokens -= cost;
			return true;
		}
	};
}
