-- Provenance that follows the words: who wrote each character, when that is not the person the
-- character's Yjs client is bound to (public.document_writers).
--
-- An editor that splits a paragraph (Enter), joins two (Backspace at the start of one), turns a
-- paragraph into a list item or heading, or undoes a deletion, deletes characters and inserts the
-- same characters again under its own client id. The collab server notices (the same update
-- deletes them, or they are put back where deleted ones were) and records here that those new
-- items keep their writer. Rows are written in the same transaction as the update that creates
-- the items, so a saved update never lacks its provenance. Yjs item ids survive compaction, so
-- rows stay valid after the log is folded into a snapshot.

create table public.document_provenance (
  document_id uuid not null references public.documents (id) on delete cascade,
  -- The items client_id:clock … client_id:(clock + length − 1).
  client_id bigint not null check (client_id between 0 and 4294967295),
  clock bigint not null check (clock >= 0),
  length integer not null check (length > 0),
  -- Who wrote them; null: nobody's own words (the template, or an account since deleted).
  writer_id uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (document_id, client_id, clock)
);
create index document_provenance_writer_id_idx on public.document_provenance (writer_id);
alter table public.document_provenance enable row level security;

-- Policies: people who may read a document read who wrote its moved words (print, compare).
-- Nobody writes rows directly: the collab service records them through
-- private.record_provenance (below), on its own login role, like every other content write
-- (migration 20261203001200).
create policy "people with access see who wrote a document's moved words"
  on public.document_provenance for select to authenticated
  using ((select private.document_access(document_id)) <> 'none');

-- Grants: read only, nothing for anon; Supabase grants everything in public to service_role by
-- default, so that is taken back too.
revoke all on public.document_provenance from anon, authenticated, public;
revoke insert, update, delete, truncate on public.document_provenance from service_role;
grant select on public.document_provenance to authenticated;

/** Every stored run of a document's moved words, in item order, for the collab service's load. */
create function private.collab_provenance(doc uuid)
returns table (client_id bigint, clock bigint, length integer, writer_id uuid)
language sql stable security definer set search_path = ''
as $$
  select p.client_id, p.clock, p.length, p.writer_id
  from public.document_provenance p where p.document_id = doc
  order by p.client_id, p.clock
$$;

/**
 * Records runs of items (clients[i]:clocks[i], lengths[i] long) written by writers[i] (null:
 * nobody's own words), as the person in request.jwt.claims, who must be able to edit the
 * document now: called in the transaction of the append whose edit moved them. "do nothing": a
 * resent edit's runs are already there, and the same (the server works them out again from the
 * same items).
 */
create function private.record_provenance(doc uuid, clients bigint[], clocks bigint[],
  lengths integer[], writers uuid[])
returns void language plpgsql security definer set search_path = ''
as $$
begin
  if (select auth.uid()) is null or private.document_access(doc) <> 'edit' then
    raise exception 'not allowed to write to document %', doc using errcode = '42501';
  end if;
  if cardinality(clients) is distinct from cardinality(clocks)
     or cardinality(clients) is distinct from cardinality(lengths)
     or cardinality(clients) is distinct from cardinality(writers) then
    raise exception 'provenance arrays differ in length' using errcode = '22023';
  end if;
  insert into public.document_provenance (document_id, client_id, clock, length, writer_id)
  select doc, r.client_id, r.clock, r.length, r.writer_id
  from unnest(clients, clocks, lengths, writers) as r (client_id, clock, length, writer_id)
  on conflict do nothing;
end;
$$;

revoke all on function private.collab_provenance(uuid),
  private.record_provenance(uuid, bigint[], bigint[], integer[], uuid[])
  from public, anon, authenticated;
grant execute on function private.collab_provenance(uuid),
  private.record_provenance(uuid, bigint[], bigint[], integer[], uuid[])
  to in_my_words_collab;
