-- A whole group commit's appends in one statement and one insert (issue 13, item 4).
--
-- The group commit sent, per run of one person's updates to one document, a statement setting
-- that person's claims and a statement calling private.append_updates, which inserted the run's
-- rows one by one, each numbered by a row trigger. At a steady typing rate a run is usually one
-- update, so with many busy documents that per-run and per-row work was most of the database's
-- CPU per edit, and the database is what every collab node shares.
--
-- private.append_batch takes the batch's runs as arrays. For each run, in order, it acts as the
-- run's person (the claims, local to the transaction, as the service set them before), checks the
-- lease (L0001) and the person's edit access (42501) exactly as private.append_updates did, binds
-- the run's new client ids to the person, and takes the run's seqs from its document's counter
-- (the same lock, held until commit, so seq order is still commit order). Then every row of the
-- batch goes in with one insert. A refusal fails the whole statement, as it failed the whole
-- transaction before.
--
-- docs, authors, nodes, epochs, run_lengths and client_counts have one entry per run; contents
-- holds every run's updates in order (run_lengths[i] of them for run i), new_clients every run's
-- new client ids in order (client_counts[i] for run i). Returns the new rows' ids in the order of
-- contents. private.append_updates and private.append_update now call it, so the rule lives in
-- one place.
create function private.append_batch(
  docs uuid[], authors uuid[], nodes uuid[], epochs bigint[], run_lengths int[],
  contents bytea[], client_counts int[], new_clients bigint[]
)
returns bigint[] language plpgsql security definer set search_path = ''
as $$
declare
  runs int := coalesce(pg_catalog.array_length(docs, 1), 0);
  firsts bigint[] := '{}';
  starts int[] := '{}';
  next_content int := 1;
  next_client int := 1;
  last bigint;
  ids bigint[];
begin
  if coalesce(pg_catalog.array_length(authors, 1), 0) <> runs
     or coalesce(pg_catalog.array_length(nodes, 1), 0) <> runs
     or coalesce(pg_catalog.array_length(epochs, 1), 0) <> runs
     or coalesce(pg_catalog.array_length(run_lengths, 1), 0) <> runs
     or coalesce(pg_catalog.array_length(client_counts, 1), 0) <> runs then
    raise exception 'append_batch: one entry per run in every per-run array' using errcode = '22023';
  end if;
  for i in 1 .. runs loop
    if run_lengths[i] is null or run_lengths[i] < 1 or client_counts[i] is null
       or client_counts[i] < 0 then
      raise exception 'append_batch: run % is empty or miscounted', i using errcode = '22023';
    end if;
    perform pg_catalog.set_config('request.jwt.claims',
      pg_catalog.json_build_object('sub', authors[i], 'role', 'authenticated')::text, true);
    -- Locks the document's row (key share) and then its lease row, as every writer does.
    perform private.assert_document_lease(docs[i], nodes[i], epochs[i]);
    if authors[i] is null or private.document_access(docs[i]) <> 'edit' then
      raise exception 'not allowed to write to document %', docs[i] using errcode = '42501';
    end if;
    if client_counts[i] > 0 then
      -- "do nothing": the same client's first update may be resent after a reconnect.
      insert into public.document_writers (document_id, client_id, writer_id)
      select docs[i], c, authors[i]
      from pg_catalog.unnest(new_clients[next_client : next_client + client_counts[i] - 1]) c
      on conflict do nothing;
    end if;
    -- The run's seqs, as private.number_document_update would give them one by one.
    insert into private.document_log_heads as h (document_id, last_seq)
    values (docs[i], run_lengths[i])
    on conflict (document_id) do update set last_seq = h.last_seq + run_lengths[i]
    returning h.last_seq into last;
    firsts := firsts || (last - run_lengths[i] + 1);
    starts := starts || next_content;
    next_content := next_content + run_lengths[i];
    next_client := next_client + client_counts[i];
  end loop;
  if next_content - 1 <> coalesce(pg_catalog.array_length(contents, 1), 0)
     or next_client - 1 <> coalesce(pg_catalog.array_length(new_clients, 1), 0) then
    raise exception 'append_batch: the runs do not add up to the updates given' using errcode = '22023';
  end if;
  with wanted as (
    select docs[r] as doc, authors[r] as author, epochs[r] as epoch,
           firsts[r] + k as seq, starts[r] + k as pos
    from pg_catalog.generate_series(1, runs) r,
         pg_catalog.generate_series(0, run_lengths[r] - 1) k
  ),
  added as (
    insert into public.document_updates (document_id, author_id, update, lease_epoch, seq)
    select w.doc, w.author, contents[w.pos], w.epoch, w.seq from wanted w order by w.pos
    returning id, document_id, seq
  )
  select pg_catalog.array_agg(a.id order by w.pos) into ids
  from added a join wanted w on w.doc = a.document_id and w.seq = a.seq;
  return coalesce(ids, '{}');
end;
$$;

revoke all on function
  private.append_batch(uuid[], uuid[], uuid[], bigint[], int[], bytea[], int[], bigint[])
  from public, anon, authenticated;
grant execute on function
  private.append_batch(uuid[], uuid[], uuid[], bigint[], int[], bytea[], int[], bigint[])
  to in_my_words_collab;

-- Rows that come with their seq (private.append_batch's) are not numbered again; any other insert
-- still is. Only the table's owner inserts, through the service's functions.
drop trigger number_document_update on public.document_updates;
create trigger number_document_update before insert on public.document_updates
  for each row when (new.seq is null) execute function private.number_document_update();

-- One rule for every append: the single and per-run functions call the batch with one run, as
-- the person the claims name.
create or replace function private.append_updates(
  doc uuid, contents bytea[], new_clients bigint[], node uuid, lease_epoch bigint
)
returns bigint[] language sql security definer set search_path = ''
as $$
  select private.append_batch(
    array[doc], array[(select auth.uid())], array[node], array[lease_epoch],
    array[coalesce(pg_catalog.array_length(contents, 1), 0)], contents,
    array[coalesce(pg_catalog.array_length(new_clients, 1), 0)],
    coalesce(new_clients, '{}'::bigint[]))
$$;

create or replace function private.append_update(
  doc uuid, content bytea, new_clients bigint[], node uuid, lease_epoch bigint
)
returns bigint language sql security definer set search_path = ''
as $$
  select (private.append_updates(doc, array[content], new_clients, node, lease_epoch))[1]
$$;
