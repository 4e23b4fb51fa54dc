/**
 * Production entry: `node src/lib/server/collab/main.ts` (Node 24 strips the types). Reads
 * COLLAB_PORT, COLLAB_HOST, COLLAB_DATABASE_URL (the collab service's own login role,
 * in_my_words_collab: the only one that can write document content; never the app's role),
 * COLLAB_TICKET_SECRET and COLLAB_ALLOWED_ORIGINS (comma-separated), and the time limits in
 * config.ts (the session re-check, the header and idle timeouts, the lease length
 * COLLAB_LEASE_MS, and the app's SESSION_IDLE_HOURS). The local stack starts the same factory
 * in-process. On SIGTERM or SIGINT it drains (server.ts, close()) and exits 0.
 */
import { collabTimings, CollabConfigError } from './config.ts';
import { createCollabServer } from './server.ts';
import { ticketSecret } from './ticket.ts';

function required(name: string): string {
	const value = process.env[name];
	if (!value) throw new CollabConfigError(`${name} must be set`);
	return value;
}

const collab = createCollabServer({
	databaseUrl: required('COLLAB_DATABASE_URL'),
	ticketSecret: ticketSecret(process.env.COLLAB_TICKET_SECRET),
	allowedOrigins: required('COLLAB_ALLOWED_ORIGINS')
		.split(',')
		.map((o) => o.trim())
		.filter(Boolean),
	compactAfterUpdates: Number(process.env.COLLAB_COMPACT_AFTER ?? 200),
	unloadGraceMs: Number(process.env.COLLAB_UNLOAD_GRACE_MS ?? 30_000),
	...collabTimings()
});
const port = await collab.listen(
	Number(process.env.COLLAB_PORT ?? 1234),
	process.env.COLLAB_HOST ?? '127.0.0.1'
);
// The node id names this process in private.document_leases (tests map leases to processes).
console.error(JSON.stringify({ service: 'collab', event: 'listening', port, node: collab.nodeId }));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		collab.close().then(
			() => process.exit(0),
			(error: unknown) => {
				console.error('collab server did not close cleanly:', error);
				process.exit(1);
			}
		);
	});
}
