import type { ServerOptions } from 'node:http';

/**
 * Time limits on connections that hold a slot without using it. Two kinds:
 *
 * - An HTTP request (a websocket upgrade is one) whose headers are not complete within
 *   `headerTimeoutMs` of connecting: Node answers 408 and closes it. This is Node's own
 *   `headersTimeout`, which covers a connection that sends nothing at all too, and stops applying
 *   once a request is upgraded. Node checks it every `connectionsCheckingInterval` (30 s by
 *   default, far longer than the limit), so that is tightened with it.
 * - A websocket that sends no message for `idleTimeoutMs`: closed with CLOSE_IDLE. Only messages
 *   count, not pongs: a browser answers pings from its network stack even while the page is
 *   frozen, and vanished peers are the ping's job already. A live editor is never this quiet:
 *   y-protocols renews its awareness state every 15 s (outdatedTimeout / 2, checked every 3 s),
 *   and a background tab whose timers the browser throttles to once a minute still renews about
 *   once a minute.
 */

/** Headers must be complete within this long of connecting. */
export const DEFAULT_HEADER_TIMEOUT_MS = 10_000;
/** Three times the slowest renewal cadence of a throttled background tab (about a minute). */
export const DEFAULT_IDLE_TIMEOUT_MS = 180_000;

/**
 * Close code for a websocket that said nothing for too long. In the 4500-4599 "try again" range
 * (y-websocket reconnects on it; ours reconnects on every code but 4409): a tab that was frozen
 * reconnects when it wakes, with a fresh ticket.
 */
export const CLOSE_IDLE = 4508;
export const IDLE_CLOSED = 'Nothing was sent for too long; reconnect to carry on.';

/** Options for `http.createServer` that enforce the header timeout. */
export function headerTimeoutOptions(
	headerTimeoutMs: number
): Pick<ServerOptions, 'headersTimeout' | 'requestTimeout' | 'connectionsCheckingInterval'> {
	return {
		headersTimeout: headerTimeoutMs,
		// Node refuses a request timeout shorter than the header timeout; 300 s is its default.
		requestTimeout: Math.max(300_000, headerTimeoutMs),
		// A quarter of the limit (at most Node's default), so a stalled handshake goes within
		// about 1.25 times the limit rather than up to 30 s after it.
		connectionsCheckingInterval: Math.max(10, Math.min(30_000, Math.round(headerTimeoutMs / 4)))
	};
}

/**
 * One socket's idle timer: `heard()` on every message it sends; `onIdle` runs once it has been
 * silent for `ms`. Re-armed with `refresh()`, which is cheap at a hundred messages a second.
 */
export function idleTimer(ms: number, onIdle: () => void): { heard(): void; stop(): void } {
	// Node fires a longer timeout at once; no one means "close idle sockets at once" by that.
	const timer = setTimeout(onIdle, Math.min(ms, 2 ** 31 - 1));
	timer.unref();
	return {
		heard() {
			timer.refresh();
		},
		stop() {
			clearTimeout(timer);
		}
	};
}
