-- The group commit's appends with per-document work done once per document, not once per run
-- (issue 13, item 4).
--
-- private.append_batch (20261206000500) went through its runs one by one: for each, a lease check
-- (two locking reads), an access check as the run's person, a statement binding its new client
-- ids and an upsert of its document's seq counter. With 200 busy documents a batch is about a
-- hundred runs of one update each, and that per-run work was most of Postgres's CPU per edit
-- (measured alone: about 105 µs a run). Postgres's CPU is what every collab node shares, and on
-- the benchmark's machine it is also what the editors and the node wait behind.
--
-- Now, with the same rules and checks:
-- 1. The leases of all the batch's documents are checked with one set of statements,
--    private.assert_document_leases, which private.assert_document_lease now calls, so the rule
--    lives in one place: the document rows first (key share), then the lease rows (share), each
--    in id order, then L0001 naming the first document (in id order) whose lease the node does
--    not hold at that epoch.
-- 2. Each run's person is still judged as that person (their claims, then
--    private.document_access), once per person and document.
-- 3. The new client ids of every run are bound with one insert, every document's seqs taken with
--    one upsert of the counters (in document order, each counter's lock held until commit, so seq
--    order is still commit order; a document's runs get their seqs in run order), and every row
--    goes in with one insert, as before.
-- 4. The function's statements use generic plans: its arrays change on every call, and a custom
--    plan for each call cost more than the work.
-- What changes: the locks are taken as all document rows, then all lease rows, then all counters,
-- each in id order (before: the three per document, in run order), which is still the order
-- renewals (lease rows in id order), takeovers and releases (one lease row) and deletions (the
-- document row first) take them; and when a batch is wrong in several ways, a miscount (22023)
-- is reported before a lost lease (L0001), and a lost lease before a person without edit access
-- (42501). The group commit handles each as before: it fails the lost lease's appends and
-- retries the rest.
-- Measured alone on the benchmark's machine: about 68 µs of Postgres CPU for a run of one
-- update, from about 105.

/**
 * Raises L0001 ('node … does not hold document … at epoch …', for the first such document in id
 * order) unless `nodes[i]` holds `docs[i]`'s lease at `epochs[i]` for every i and has not released
 * it. The document rows are locked for key share first, then the lease rows for share, both in
 * document-id order and until the calling transaction ends: a takeover (which updates the lease
 * row) waits for a write that passed this check to commit or roll back, and a document's deletion
 * waits instead of deadlocking (see 20261206000600).
 */
create function private.assert_document_leases(docs uuid[], nodes uuid[], epochs bigint[])
returns void language plpgsql security definer set search_path = ''
as $$
declare
  stale record;
begin
  if coalesce(pg_catalog.array_length(nodes, 1), 0) <> coalesce(pg_catalog.array_length(docs, 1), 0)
     or coalesce(pg_catalog.array_length(epochs, 1), 0) <> coalesce(pg_catalog.array_length(docs, 1), 0) then
    raise exception 'assert_document_leases: one node and epoch per document' using errcode = '22023';
  end if;
  perform from public.documents d where d.id = any (docs) order by d.id for key share;
  perform from private.document_leases l where l.document_id = any (docs)
  order by l.document_id for share;
  select w.doc, w.node, w.epoch into stale
  from (
    select docs[i], nodes[i], epochs[i]
    from pg_catalog.generate_series(1, coalesce(pg_catalog.array_length(docs, 1), 0)) i
  ) as w (doc, node, epoch)
  where not exists (
    select 1 from private.document_leases l
    where l.document_id = w.doc and l.node_id = w.node and l.epoch = w.epoch
      and l.expires_at > '-infinity'
  )
  order by w.doc
  limit 1;
  if found then
    raise exception 'node % does not hold document % at epoch %', stale.node, stale.doc, stale.epoch
      using errcode = 'L0001';
  end if;
end;
$$;

revoke all on function private.assert_document_leases(uuid[], uuid[], bigint[])
  from public, anon, authenticated;
grant execute on function private.assert_document_leases(uuid[], uuid[], bigint[])
  to in_my_words_collab;

create or replace function private.assert_document_lease(doc uuid, node uuid, lease_epoch bigint)
returns void language plpgsql security definer set search_path = ''
as $$
begin
  perform private.assert_document_leases(array[doc], array[node], array[lease_epoch]);
end;
$$;

/**
 * A group commit's appends (see 20261206000500 for the arguments): each run is one person's
 * updates to one document under one lease. Returns the new rows' ids in the order of `contents`.
 */
create or replace function private.append_batch(
  docs uuid[], authors uuid[], nodes uuid[], epochs bigint[], run_lengths int[],
  contents bytea[], client_counts int[], new_clients bigint[]
)
returns bigint[] language plpgsql security definer
set search_path = '' set plan_cache_mode = force_generic_plan
as $$
declare
  runs int := coalesce(pg_catalog.array_length(docs, 1), 0);
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
  end loop;
  if (select coalesce(sum(n), 0) from pg_catalog.unnest(run_lengths) n)
       <> coalesce(pg_catalog.array_length(contents, 1), 0)
     or (select coalesce(sum(n), 0) from pg_catalog.unnest(client_counts) n)
       <> coalesce(pg_catalog.array_length(new_clients, 1), 0) then
    raise exception 'append_batch: the runs do not add up to the updates given' using errcode = '22023';
  end if;

  perform private.assert_document_leases(docs, nodes, epochs);

  -- Each run's person may edit its document, judged as that person (the claims are local to
  -- the transaction, as the service set them before).
  for i in 1 .. runs loop
    if i = 1 or authors[i] is distinct from authors[i - 1] or docs[i] is distinct from docs[i - 1] then
      perform pg_catalog.set_config('request.jwt.claims',
        pg_catalog.json_build_object('sub', authors[i], 'role', 'authenticated')::text, true);
      if authors[i] is null or private.document_access(docs[i]) <> 'edit' then
        raise exception 'not allowed to write to document %', docs[i] using errcode = '42501';
      end if;
    end if;
  end loop;

  with run as (
    select r, docs[r] as doc, authors[r] as author, epochs[r] as epoch, run_lengths[r] as len,
           client_counts[r] as clients,
           sum(run_lengths[r]) over (order by r) - run_lengths[r] as contents_before,
           sum(client_counts[r]) over (order by r) - client_counts[r] as clients_before,
           sum(run_lengths[r]) over (partition by docs[r] order by r) - run_lengths[r] as seqs_before
    from pg_catalog.generate_series(1, runs) r
  ),
  -- "do nothing": the same client's first update may be resent after a reconnect.
  bound as (
    insert into public.document_writers (document_id, client_id, writer_id)
    select run.doc, new_clients[run.clients_before + k], run.author
    from run, pg_catalog.generate_series(1, run.clients) k
    -- A client id two runs name is bound to the earlier run's person, as when runs went one by one.
    order by run.r, k
    on conflict do nothing
  ),
  totals as (
    select run.doc, sum(run.len) as n from run group by run.doc
  ),
  head as (
    insert into private.document_log_heads as h (document_id, last_seq)
    select totals.doc, totals.n from totals order by totals.doc
    on conflict (document_id) do update set last_seq = h.last_seq + excluded.last_seq
    returning h.document_id, h.last_seq
  ),
  wanted as (
    select run.doc, run.author, run.epoch,
           head.last_seq - totals.n + run.seqs_before + k as seq,
           run.contents_before + k as pos
    from run
    join totals on totals.doc = run.doc
    join head on head.document_id = run.doc
    cross join lateral pg_catalog.generate_series(1, run.len) k
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
