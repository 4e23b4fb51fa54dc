-- Corrections to the collab leases of 20261206000100 and 20261206000200, which are deployed:
-- a migration already run is never run again, so its functions change here.
--
-- 1. Safety comes from the epoch, not the clock. A write now checks that its node holds the
--    lease at its epoch and has not released it, not that the lease has not run out: expiry only
--    lets another node take the lease, and taking it raises the epoch, so a lease that ran out but
--    that nobody took is still only its holder's (the renewal already extended such a lease). A
--    node merely late to renew on a loaded machine no longer has its appends refused and its
--    clients reconnected for nothing (CI saw this on a single node).
-- 2. The lease check locks the document row first (key share), as the seq counter and a
--    document's deletion do: a deletion during an append waits instead of deadlocking.
-- 3. A node may take its own live lease again, at a higher epoch: a room it dropped (reset after
--    a failed save) while the lease stayed live would otherwise keep its reconnecting clients
--    out for up to a lease length.
-- 4. A renewal never revives a released lease (a release that committed after the renewal read
--    its documents): whoever it was released for would wait a lease length.

/**
 * Takes the document's lease for `node` for `lease_ms` if nobody holds it now (never held,
 * released, or run out), with an epoch higher than any before. Returns the new epoch, or null when
 * another node holds it (then `wanted` asks that node to hand it over). A node that takes a lease
 * it held before still gets a new epoch: whatever its earlier room had in flight cannot write.
 */
create or replace function private.acquire_document_lease(doc uuid, node uuid, lease_ms int, wanted boolean)
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
    -- Its own live lease too: a room this node dropped (reset after a failed save) while its
    -- lease stayed live; the higher epoch fences that room out.
    where private.document_leases.expires_at <= clock_timestamp()
       or private.document_leases.node_id = excluded.node_id
  returning epoch into taken;
  if taken is null and wanted then
    update private.document_leases l set handover_wanted_by = node
    where l.document_id = doc and l.node_id <> node;
  end if;
  return taken;
end;
$$;

/**
 * Raises 'L0001' unless `node` holds the document's lease at `lease_epoch` and has not released
 * it. Not whether it ran out: a takeover raises the epoch, and a lease that ran out but that
 * nobody took is still only this node's (see the top of this file). The row is locked for share
 * until the calling transaction ends, so a takeover (which updates the row) waits for a write that
 * passed this check to commit or roll back: a write never lands after the document has moved.
 */
create or replace function private.assert_document_lease(doc uuid, node uuid, lease_epoch bigint)
returns void language plpgsql security definer set search_path = ''
as $$
begin
  -- The document row first, as the seq trigger and a document's deletion lock it: a deletion
  -- during an append waits instead of deadlocking.
  perform from public.documents d where d.id = doc for key share;
  perform 1 from private.document_leases l
  where l.document_id = doc and l.node_id = node and l.epoch = lease_epoch
    and l.expires_at > '-infinity'
  for share;
  if not found then
    raise exception 'node % does not hold document % at epoch %', node, doc, lease_epoch
      using errcode = 'L0001';
  end if;
end;
$$;

create or replace function private.renew_document_leases(
  node uuid, docs uuid[], epochs bigint[], lease_ms int
)
returns table (document_id uuid, held boolean, handover_wanted boolean)
language sql security definer set search_path = ''
as $$
  with locked as (
    select l.document_id
    from private.document_leases l
    join unnest(docs, epochs) as t(doc, epoch)
      on l.document_id = t.doc and l.epoch = t.epoch and l.node_id = node
    -- Never a released lease: a release that committed after the renewal read its documents.
    where l.expires_at > '-infinity'
    order by l.document_id
    for update of l
  ),
  renewed as (
    update private.document_leases l
    set expires_at = clock_timestamp() + make_interval(secs => lease_ms / 1000.0)
    from locked k
    where l.document_id = k.document_id
    returning l.document_id, l.handover_wanted_by
  )
  select t.doc, r.document_id is not null, r.handover_wanted_by is not null
  from unnest(docs) as t(doc)
  left join renewed r on r.document_id = t.doc
$$;
