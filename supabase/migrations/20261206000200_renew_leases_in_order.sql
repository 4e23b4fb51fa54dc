-- Lease renewal in document order (issue 13, found by the 200-document benchmark).
--
-- A node's group commit appends to many documents in one transaction, and each append locks its
-- document's lease row for share until commit (private.assert_document_lease), in document-id
-- order (src/lib/server/collab/commits.ts). The renewal updated the node's lease rows in whatever
-- order its plan met them, so a renewal and a batch in flight could each hold a row the other
-- wanted: Postgres found a deadlock after deadlock_timeout and failed one of them. A failed batch
-- delays "saved" for all its edits; a failed renewal lets busy documents' leases run out, and the
-- node drops them (its clients reconnect with 1012). The renewal now locks its rows in document-id
-- order before updating them, as the appends do, so the two only ever wait for each other.
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
