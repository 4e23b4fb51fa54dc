-- One owner per document, enforced by Postgres (issue 13, item 2).
--
-- Any number of collab processes ("nodes") may run. Each document is served by at most one of
-- them at a time: the holder of its lease. A lease has an epoch (a fencing token) that grows every
-- time the document changes hands, and every write to a document's log checks, in the same
-- transaction, that the writing node still holds the lease at that epoch and that it has not run
-- out by Postgres's clock. So a node that lost its lease (paused past it, cut off from the
-- database, or simply slow) can neither append nor compact, and as it acknowledges ("saved") only
-- after its append commits, it can acknowledge nothing either. The node's own clock never decides.
--
-- The lease row is never deleted while its document exists: releasing only ends it, so the next
-- holder's epoch is still higher than every earlier one and a stale writer can never match.
--
-- A node also records itself (private.collab_nodes) and its open connections
-- (private.collab_connections), so the per-person connection limit counts every node's sockets,
-- not one process's. A node that died without closing its rows stops counting once it has not
-- been seen for the stale interval its peers give.

create table private.collab_nodes (
  node_id uuid primary key,
  started_at timestamptz not null default now(),
  -- Renewed with the node's leases; a node not seen for a while is dead to the others.
  seen_at timestamptz not null default now(),
  -- Leaving (SIGTERM): takes no new documents or connections.
  draining boolean not null default false
);

create table private.document_leases (
  document_id uuid primary key references public.documents (id) on delete cascade,
  node_id uuid not null,
  epoch bigint not null check (epoch > 0),
  expires_at timestamptz not null,
  -- Another node was sent this document's clients (the proxy's hash and the lease disagree) and
  -- asks the holder to hand it over: flush, release, and close the clients so they reconnect.
  handover_wanted_by uuid
);

create table private.collab_connections (
  connection_id uuid primary key,
  node_id uuid not null references private.collab_nodes (node_id) on delete cascade,
  person_id uuid not null,
  opened_at timestamptz not null default now()
);
create index collab_connections_person_id_idx on private.collab_connections (person_id);
create index collab_connections_node_id_idx on private.collab_connections (node_id);

revoke all on private.collab_nodes, private.document_leases, private.collab_connections
  from public, anon, authenticated;

-- Leases ------------------------------------------------------------------------------------------

/**
 * Records the node as alive (and whether it is draining); forgets nodes that have not been seen
 * for `forget_after_seconds` (their connections go with them).
 */
create function private.collab_node_seen(node uuid, is_draining boolean, forget_after_seconds int)
returns void language sql security definer set search_path = ''
as $$
  insert into private.collab_nodes (node_id, seen_at, draining)
  values (node, clock_timestamp(), is_draining)
  on conflict (node_id) do update set seen_at = excluded.seen_at, draining = excluded.draining;
  delete from private.collab_nodes n
  where n.seen_at < clock_timestamp() - make_interval(secs => forget_after_seconds);
$$;

/**
 * Takes the document's lease for `node` for `lease_ms` if nobody holds it now (never held,
 * released, or run out), with an epoch higher than any before. Returns the new epoch, or null when
 * another node holds it (then `wanted` asks that node to hand it over). A node that takes a lease
 * it held before still gets a new epoch: whatever its earlier room had in flight cannot write.
 */
create function private.acquire_document_lease(doc uuid, node uuid, lease_ms int, wanted boolean)
returns bigint language plpgsql security definer set search_path = ''
as $$
declare
  taken bigint;
begin
  insert into private.document_leases (document_id, node_id, epoch, expires_at)
  values (doc, node, 1, clock_timestamp() + make_interval(secs => lease_ms / 1000.0))
  on conflict (document_id) do update
    set node_id = excluded.node_id,
        epoch = private.document_leases.epoch + 1,
        expires_at = excluded.expires_at,
        handover_wanted_by = null
    where private.document_leases.expires_at <= clock_timestamp()
  returning epoch into taken;
  if taken is null and wanted then
    update private.document_leases l set handover_wanted_by = node
    where l.document_id = doc and l.node_id <> node;
  end if;
  return taken;
end;
$$;

/**
 * Extends the node's leases it still holds at the given epochs, and says for each whether it is
 * still held and whether another node wants it. A lease that ran out is extended only if nobody
 * took it meanwhile (same node, same epoch): then nobody else can have written.
 */
create function private.renew_document_leases(
  node uuid, docs uuid[], epochs bigint[], lease_ms int
)
returns table (document_id uuid, held boolean, handover_wanted boolean)
language sql security definer set search_path = ''
as $$
  with renewed as (
    update private.document_leases l
    set expires_at = clock_timestamp() + make_interval(secs => lease_ms / 1000.0)
    from unnest(docs, epochs) as t(doc, epoch)
    where l.document_id = t.doc and l.epoch = t.epoch and l.node_id = node
    returning l.document_id, l.handover_wanted_by
  )
  select t.doc, r.document_id is not null, r.handover_wanted_by is not null
  from unnest(docs) as t(doc)
  left join renewed r on r.document_id = t.doc
$$;

/** Ends the node's lease on the document (after its last flush), so another node may take it. */
create function private.release_document_lease(doc uuid, node uuid, lease_epoch bigint)
returns void language sql security definer set search_path = ''
as $$
  update private.document_leases l
  set expires_at = '-infinity', handover_wanted_by = null
  where l.document_id = doc and l.node_id = node and l.epoch = lease_epoch
$$;

/**
 * Raises 'L0001' unless `node` holds the document's lease at `lease_epoch` now, by Postgres's
 * clock. The row is locked for share until the calling transaction ends, so a takeover (which
 * updates the row) waits for a write that passed this check to commit or roll back: a write
 * never lands after the document has moved.
 */
create function private.assert_document_lease(doc uuid, node uuid, lease_epoch bigint)
returns void language plpgsql security definer set search_path = ''
as $$
begin
  perform 1 from private.document_leases l
  where l.document_id = doc and l.node_id = node and l.epoch = lease_epoch
    and l.expires_at > clock_timestamp()
  for share;
  if not found then
    raise exception 'node % does not hold document % at epoch %', node, doc, lease_epoch
      using errcode = 'L0001';
  end if;
end;
$$;

/** Who holds each lease now (operators, tests): never the service's own decision input. */
create function private.document_lease(doc uuid)
returns table (node_id uuid, epoch bigint, live boolean, handover_wanted_by uuid)
language sql stable security definer set search_path = ''
as $$
  select l.node_id, l.epoch, l.expires_at > clock_timestamp(), l.handover_wanted_by
  from private.document_leases l where l.document_id = doc
$$;

-- Connections -------------------------------------------------------------------------------------

/**
 * Counts a new connection for `person` on `node` if, across every node seen in the last
 * `stale_seconds`, they hold fewer than `max_connections`; true if counted. One person's
 * admissions are serialised (an advisory lock on the person) so two nodes cannot both let the
 * 20th in.
 */
create function private.open_collab_connection(
  connection uuid, node uuid, person uuid, max_connections int, stale_seconds int
)
returns boolean language plpgsql security definer set search_path = ''
as $$
declare
  open_now int;
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(person::text, 7));
  select count(*) into open_now
  from private.collab_connections c
  join private.collab_nodes n on n.node_id = c.node_id
  where c.person_id = person
    and n.seen_at > clock_timestamp() - make_interval(secs => stale_seconds);
  if open_now >= max_connections then
    return false;
  end if;
  insert into private.collab_connections (connection_id, node_id, person_id)
  values (connection, node, person);
  return true;
end;
$$;

create function private.close_collab_connections(connections uuid[])
returns void language sql security definer set search_path = ''
as $$
  delete from private.collab_connections c where c.connection_id = any (connections)
$$;

-- Writes check the lease ---------------------------------------------------------------------------
-- The service's writes to the log now name the node and the epoch they write under. The old
-- signatures are dropped, so no path writes without the check.

drop function private.append_update(uuid, bytea, bigint[]);

-- Each row says under which lease epoch it was written (null: before leases). The epoch is the
-- fence the append was checked against, so "a node that lost its lease wrote nothing" is a
-- question Postgres can answer: no row of the document carries its epoch after it lost it.
alter table public.document_updates add column lease_epoch bigint;
comment on column public.document_updates.lease_epoch is
  'The document lease epoch the row was appended under (checked in the same transaction).';

/**
 * Appends one edit by the person in request.jwt.claims, binding the client ids it is the first
 * to use to them, in the same transaction. Refused (42501) unless that person may edit now, and
 * (L0001) unless `node` holds the document's lease at `lease_epoch`.
 */
create function private.append_update(
  doc uuid, content bytea, new_clients bigint[], node uuid, lease_epoch bigint
)
returns bigint language plpgsql security definer set search_path = ''
as $$
declare
  author uuid := (select auth.uid());
  appended bigint;
begin
  perform private.assert_document_lease(doc, node, lease_epoch);
  if author is null or private.document_access(doc) <> 'edit' then
    raise exception 'not allowed to write to document %', doc using errcode = '42501';
  end if;
  insert into public.document_updates (document_id, author_id, update, lease_epoch)
  values (doc, author, content, lease_epoch)
  returning id into appended;
  -- "do nothing": the same client's first update may be resent after a reconnect.
  insert into public.document_writers (document_id, client_id, writer_id)
  select doc, c, author from unnest(coalesce(new_clients, '{}'::bigint[])) c
  on conflict do nothing;
  return appended;
end;
$$;

drop function private.initialise_document(uuid, bytea, bigint[]);

/**
 * A new document's first edit: its kind's template, written by the lease holder when it first
 * loads the document, in the name of the person who started it and bound as template (nobody's
 * own words). Only an empty document is initialised; false, changing nothing, otherwise.
 */
create function private.initialise_document(
  doc uuid, content bytea, template_clients bigint[], node uuid, lease_epoch bigint
)
returns boolean language plpgsql security definer set search_path = ''
as $$
declare
  starter uuid;
begin
  perform private.assert_document_lease(doc, node, lease_epoch);
  select d.created_by into starter from public.documents d where d.id = doc for update;
  if not found then
    raise exception 'no document %', doc using errcode = 'P0002';
  end if;
  if exists (select from public.document_updates u where u.document_id = doc)
     or exists (select from public.document_snapshots s where s.document_id = doc) then
    return false;
  end if;
  insert into public.document_updates (document_id, author_id, update, lease_epoch)
  values (doc, starter, content, lease_epoch);
  insert into public.document_writers (document_id, client_id, writer_id, from_template)
  select doc, c, starter, true from unnest(coalesce(template_clients, '{}'::bigint[])) c
  on conflict do nothing;
  return true;
end;
$$;

drop function private.compact_document(uuid, bytea, bigint);

/**
 * Replaces the log up to seq `through` with a snapshot the lease holder built from the stored
 * rows (see 20261204000200 for why seq makes this safe); only forwards. Refused (L0001) unless
 * `node` holds the lease at `lease_epoch`: one node compacts a document, never two at once.
 */
create function private.compact_document(
  doc uuid, snapshot bytea, through bigint, node uuid, lease_epoch bigint
)
returns boolean language plpgsql security definer set search_path = ''
as $$
declare
  current_through bigint;
  written int;
begin
  perform private.assert_document_lease(doc, node, lease_epoch);
  select s.through_seq into current_through
  from public.document_snapshots s where s.document_id = doc for update;
  if current_through is not null and current_through >= through then
    return false;
  end if;
  if not exists (
    select 1 from public.document_updates u
    where u.document_id = doc and u.seq = through
  ) then
    return false;
  end if;
  insert into public.document_snapshots (document_id, state, through_seq, updated_at)
  values (doc, snapshot, through, now())
  on conflict (document_id) do update
    set state = excluded.state, through_seq = excluded.through_seq,
        updated_at = excluded.updated_at
    where public.document_snapshots.through_seq < excluded.through_seq;
  get diagnostics written = row_count;
  if written = 0 then
    return false;
  end if;
  delete from public.document_updates u
  where u.document_id = doc and u.seq <= through;
  return true;
end;
$$;

-- Only the collab service may call any of these.
do $$
declare
  f text;
begin
  foreach f in array array[
    'private.collab_node_seen(uuid, boolean, int)',
    'private.acquire_document_lease(uuid, uuid, int, boolean)',
    'private.renew_document_leases(uuid, uuid[], bigint[], int)',
    'private.release_document_lease(uuid, uuid, bigint)',
    'private.assert_document_lease(uuid, uuid, bigint)',
    'private.document_lease(uuid)',
    'private.open_collab_connection(uuid, uuid, uuid, int, int)',
    'private.close_collab_connections(uuid[])',
    'private.append_update(uuid, bytea, bigint[], uuid, bigint)',
    'private.initialise_document(uuid, bytea, bigint[], uuid, bigint)',
    'private.compact_document(uuid, bytea, bigint, uuid, bigint)'
  ] loop
    execute format('revoke all on function %s from public, anon, authenticated', f);
    execute format('grant execute on function %s to in_my_words_collab', f);
  end loop;
end;
$$;
