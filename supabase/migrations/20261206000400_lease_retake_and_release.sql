-- Two lease corrections found by review (issue 13), and one lock order.
--
-- 1. A node may take again a lease that is live in its own name. After a stall longer than the
--    lease (nobody took the document meanwhile), the node's first append fails (L0001: run out)
--    and the room is dropped, while a renewal already under way extends the same lease. The
--    node's reconnecting clients then could not get the document back until that lease ran out
--    (up to a lease length): acquire refused "held by someone", and the hand-over request skips
--    the asking node itself. Taking it again still raises the epoch, so whatever the dropped room
--    still had in flight is fenced out; one process never serves a document from two rooms (its
--    room registry).
-- 2. A renewal no longer revives a released lease. A renewal reads the node's held documents,
--    then runs; a release committed in between (expires_at = '-infinity') was extended again, and
--    whoever the document was released for waited up to a lease length.
-- 3. The lease check locks the document row (key share) before the lease row, as the seq trigger
--    and a document's deletion do: deleting a document (its lease row goes with it) while an
--    append is in flight waits instead of deadlocking.

create or replace function private.acquire_document_lease(
  doc uuid, node uuid, lease_ms int, wanted boolean
)
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
       or private.document_leases.node_id = excluded.node_id
  returning epoch into taken;
  if taken is null and wanted then
    update private.document_leases l set handover_wanted_by = node
    where l.document_id = doc and l.node_id <> node;
  end if;
  return taken;
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

create or replace function private.assert_document_lease(doc uuid, node uuid, lease_epoch bigint)
returns void language plpgsql security definer set search_path = ''
as $$
begin
  perform from public.documents d where d.id = doc for key share;
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
