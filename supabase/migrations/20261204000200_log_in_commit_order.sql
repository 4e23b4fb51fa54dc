-- A log that never skips (issue 13, item 1).
--
-- Until now a document's log was ordered by document_updates.id, an identity drawn when a row is
-- inserted, and a snapshot recorded the highest id it held (through_update_id); loading and
-- compaction read only ids above it. But ids are drawn in insert order, not commit order: two
-- transactions appending to one document (two collab processes, or overlapping flushes) can
-- commit a lower id after a higher one. A compaction that saw only the higher id made it the
-- watermark; the lower row, committed later, was never read again and the next compaction
-- deleted it: an edit acknowledged as saved was lost.
--
-- From here on each row carries `seq`, its place in its document's log, drawn by a trigger on
-- every insert from a per-document counter (private.document_log_heads) whose row stays locked
-- until the inserting transaction ends. A second writer to the same document waits for the
-- first to commit or roll back before it gets a number, so within a document seq order is
-- commit order and numbers have no gaps from rolled-back writers. Hence if a transaction sees
-- seq n, it sees every seq below n: a snapshot's watermark (through_seq) never passes an
-- update it does not hold. Ids stay as row identities (the RLS tests and audit name rows by id)
-- but no longer order anything.
--
-- The trigger, not the collab service, numbers rows, so no path that inserts an update (the
-- service's functions, a fixture, a future function) can skip the counter or forge a number.
-- Lock order is always documents row, then the counter row (the trigger takes its key-share lock
-- on the document first, as the foreign key check would later), the same order as
-- private.initialise_document and a document's deletion, so those never deadlock with appends.

create table private.document_log_heads (
  document_id uuid primary key references public.documents (id) on delete cascade,
  -- The highest seq given to an update of this document (0: none yet).
  last_seq bigint not null check (last_seq >= 0)
);
revoke all on private.document_log_heads from public, anon, authenticated;

alter table public.document_updates add column seq bigint;

-- Existing rows keep their id order. Every snapshot's watermark goes back to 0, so every row
-- still in the log is read after the snapshot: rows at or below the old watermark that are still
-- there are exactly the ones this bug left behind (compaction deleted every row it saw), and
-- reading a row a snapshot already holds is harmless (applying a Yjs update twice changes
-- nothing). The next compaction folds them in.
update public.document_updates u set seq = n.seq
from (
  select id, row_number() over (partition by document_id order by id) as seq
  from public.document_updates
) n
where n.id = u.id;
insert into private.document_log_heads (document_id, last_seq)
select document_id, max(seq) from public.document_updates group by document_id;

alter table public.document_updates alter column seq set not null;
create unique index document_updates_document_id_seq_idx
  on public.document_updates (document_id, seq);
drop index public.document_updates_document_id_id_idx;

alter table public.document_snapshots rename column through_update_id to through_seq;
update public.document_snapshots set through_seq = 0;
comment on column public.document_snapshots.through_seq is
  'The snapshot holds every update of the document with seq <= through_seq.';

/**
 * Numbers each new update of a document: the next seq from its counter, whose row lock is held
 * until the transaction ends (so seq order is commit order). Any seq the insert supplied is
 * overwritten. Not security definer: only the table's owner inserts updates (through the
 * service's security definer functions), and only the owner may touch the counter.
 */
create function private.number_document_update()
returns trigger language plpgsql set search_path = ''
as $$
begin
  -- The document first, as every other writer locks it first (see the header).
  perform from public.documents d where d.id = new.document_id for key share;
  insert into private.document_log_heads as h (document_id, last_seq)
  values (new.document_id, 1)
  on conflict (document_id) do update set last_seq = h.last_seq + 1
  returning h.last_seq into new.seq;
  return new;
end;
$$;
revoke all on function private.number_document_update() from public, anon, authenticated;

create trigger number_document_update before insert on public.document_updates
  for each row execute function private.number_document_update();

-- Reading and compacting by seq -----------------------------------------------------------------

drop function private.collab_log(uuid);

/** The stored log: the snapshot (if any; V2 encoding) and every update after it (V1), by seq. */
create function private.collab_log(doc uuid)
returns table (kind text, seq bigint, data bytea)
language sql stable security definer set search_path = ''
as $$
  select 'snapshot', s.through_seq, s.state
  from public.document_snapshots s where s.document_id = doc
  union all
  select 'update', u.seq, u.update
  from public.document_updates u
  where u.document_id = doc
    and u.seq > coalesce(
      (select s.through_seq from public.document_snapshots s where s.document_id = doc), 0)
$$;

/**
 * Replaces the log up to seq `through` (a seq now, no longer an id) with a snapshot the service
 * built from the stored rows, in one transaction; only forwards: an older snapshot never
 * overwrites a newer one. `through` must be an update of this document still in the log, the
 * highest the service read: because seq order is commit order, whoever saw it saw every update
 * below it, so the snapshot holds all of them and deleting up to it deletes nothing the snapshot
 * lacks. Returns false, changing nothing, when there is nothing to do or another compaction got
 * there first. Only the service calls it: compaction is its upkeep, not a person's edit.
 */
create or replace function private.compact_document(doc uuid, snapshot bytea, through bigint)
returns boolean language plpgsql security definer set search_path = ''
as $$
declare
  current_through bigint;
  written int;
begin
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
  -- The where clause keeps "only forwards" when two compactions of a document without a
  -- snapshot race (neither had a row to lock above): an older one finishing second loses.
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

-- collab_log was dropped and made anew (its columns changed): its grants again, as in
-- 20261203001200. compact_document was replaced in place and keeps its own.
revoke all on function private.collab_log(uuid) from public, anon, authenticated;
grant execute on function private.collab_log(uuid) to in_my_words_collab;
