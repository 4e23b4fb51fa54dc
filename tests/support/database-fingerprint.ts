import pg from 'pg';

/**
 * Tables whose rows may change under a before/after comparison without any request being
 * processed: the audit log of reads, the collab server's compaction of documents left by earlier
 * tests (it rewrites the log into a snapshot: same content, other rows), the counters behind
 * throttles and rate limits, the record of when each session was last active, and the collab
 * cluster's upkeep (each node renews its leases and says it is alive every third of a lease, and
 * counts open sockets).
 */
const MOVING_TABLES = new Set([
	'public.document_reads',
	// The help-now trail records who saw a request on their home (a read, audited).
	'public.help_request_events',
	'public.document_updates',
	'public.document_snapshots',
	'private.advocacy_rate_events',
	'private.sign_in_failures',
	'private.session_activity',
	'private.document_leases',
	'private.collab_nodes',
	'private.collab_connections'
]);

/**
 * One fingerprint per table (its row count and a digest of every row): everything people hold
 * in `public` and `private`, and who can sign in (`auth.users`, `auth.sessions`).
 */
export async function databaseFingerprint(client: pg.Client): Promise<Record<string, string>> {
	const { rows: tables } = await client.query<{ name: string }>(
		`select format('%I.%I', schemaname, tablename) as name from pg_tables
		 where schemaname in ('public', 'private')
		    or (schemaname = 'auth' and tablename in ('users', 'sessions'))
		 order by 1`
	);
	const out: Record<string, string> = {};
	for (const { name } of tables) {
		if (MOVING_TABLES.has(name)) continue;
		const { rows } = await client.query<{ fingerprint: string }>(
			`select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '')
			   as fingerprint from ${name} t`
		);
		out[name] = rows[0]!.fingerprint;
	}
	return out;
}
