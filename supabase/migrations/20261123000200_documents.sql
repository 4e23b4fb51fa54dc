-- Documents people write together (care plans, pathway plans, "my story") and the co-writing log
-- behind them. A document's content is a Yjs document: every edit arrives as a Yjs update,
-- appended to document_updates before it is acknowledged as saved; from time to time the log is
-- compacted into document_snapshots. Every read of a child's document is audit-logged in
-- document_reads, in the same transaction as the read.

create type public.document_kind as enum ('care_plan', 'pathway_plan', 'my_story');

create table public.documents (
  id uuid primary key default gen_random_uuid(),
  young_person_id uuid not null references public.profiles (id) on delete cascade,
  kind public.document_kind not null,
  title text not null check (char_length(title) between 1 and 120),
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index documents_young_person_id_idx on public.documents (young_person_id);
alter table public.documents enable row level security;

create table public.document_updates (
  id bigint generated always as identity primary key,
  document_id uuid not null references public.documents (id) on delete cascade,
  author_id uuid references public.profiles (id) on delete set null,
  -- One Yjs update; the collab server refuses messages over 1 MiB before they get here.
  update bytea not null check (octet_length(update) between 1 and 1048576),
  created_at timestamptz not null default now()
);
create index document_updates_document_id_id_idx on public.document_updates (document_id, id);
alter table public.document_updates enable row level security;

create table public.document_snapshots (
  document_id uuid primary key references public.documents (id) on delete cascade,
  -- Y.encodeStateAsUpdateV2 (Yjs's V2 encoding, smaller than the V1 the log holds) of every
  -- update with id <= through_update_id.
  state bytea not null,
  through_update_id bigint not null,
  updated_at timestamptz not null default now()
);
alter table public.document_snapshots enable row level security;

-- Append-only audit of every read of a child's document: who, what, when, why.
create table public.document_reads (
  id bigint generated always as identity primary key,
  document_id uuid not null references public.documents (id) on delete cascade,
  young_person_id uuid not null references public.profiles (id) on delete cascade,
  reader_id uuid not null references public.profiles (id) on delete cascade,
  purpose text not null check (purpose in ('view', 'edit', 'print', 'export')),
  read_at timestamptz not null default now()
);
create index document_reads_young_person_id_idx on public.document_reads (young_person_id, read_at desc);
create index document_reads_reader_id_idx on public.document_reads (reader_id);
create index document_reads_document_id_idx on public.document_reads (document_id);
alter table public.document_reads enable row level security;

-- Access ------------------------------------------------------------------------------------------

/**
 * The caller's access to a young person's documents of one kind. The young person edits their
 * own documents. "My story" is private to them (sharing comes with per-person shares). Plans
 * are shared with the circle at each member's access level. Everyone else: none.
 */
create function private.access_to(young_person uuid, doc_kind public.document_kind)
returns public.access_level language sql stable security definer set search_path = ''
as $$
  select case
    when young_person = (select auth.uid()) then 'edit'::public.access_level
    when doc_kind = 'my_story' then 'none'::public.access_level
    else coalesce(
      (select c.access from public.circle_members c
       where c.young_person_id = young_person and c.member_id = (select auth.uid())),
      'none'::public.access_level)
  end
$$;

/** The caller's access to one document ('none' if it does not exist or they may not see it). */
create function private.document_access(doc uuid)
returns public.access_level language sql stable security definer set search_path = ''
as $$
  select coalesce(
    (select private.access_to(d.young_person_id, d.kind) from public.documents d where d.id = doc),
    'none'::public.access_level)
$$;

/**
 * Replaces the log up to `through` with a snapshot, in one transaction. Only an editor may, and
 * only forwards: an older snapshot never overwrites a newer one. `through` must be an edit of
 * this document still in the log: a snapshot claiming edits that do not exist yet would hide
 * them when they arrive (loading skips ids up to through_update_id). Returns false, changing
 * nothing, when there is nothing to do or another compaction got there first.
 */
create function private.compact_document(doc uuid, snapshot bytea, through bigint)
returns boolean language plpgsql security definer set search_path = ''
as $$
declare
  current_through bigint;
  written int;
begin
  if private.document_access(doc) <> 'edit' then
    raise exception 'not allowed to compact document %', doc using errcode = '42501';
  end if;
  select s.through_update_id into current_through
  from public.document_snapshots s where s.document_id = doc for update;
  if current_through is not null and current_through >= through then
    return false;
  end if;
  if not exists (
    select 1 from public.document_updates u where u.document_id = doc and u.id = through
  ) then
    return false;
  end if;
  -- The where clause keeps "only forwards" when two compactions of a document without a
  -- snapshot race (neither had a row to lock above): an older one finishing second loses.
  insert into public.document_snapshots (document_id, state, through_update_id, updated_at)
  values (doc, snapshot, through, now())
  on conflict (document_id) do update
    set state = excluded.state, through_update_id = excluded.through_update_id,
        updated_at = excluded.updated_at
    where public.document_snapshots.through_update_id < excluded.through_update_id;
  get diagnostics written = row_count;
  if written = 0 then
    return false;
  end if;
  delete from public.document_updates u where u.document_id = doc and u.id <= through;
  return true;
end;
$$;

revoke all on function private.access_to(uuid, public.document_kind), private.document_access(uuid),
  private.compact_document(uuid, bytea, bigint) from public;
grant execute on function private.access_to(uuid, public.document_kind),
  private.document_access(uuid), private.compact_document(uuid, bytea, bigint) to authenticated;

-- Live connections close when access is removed: the collab server listens on this channel.
create function private.notify_access_changed()
returns trigger language plpgsql security definer set search_path = ''
as $$
begin
  perform pg_notify('document_access_changed', coalesce(old.young_person_id, new.young_person_id)::text);
  return null;
end;
$$;
revoke all on function private.notify_access_changed() from public, authenticated;

create trigger circle_members_access_changed
  after update or delete on public.circle_members
  for each row execute function private.notify_access_changed();

-- Policies: documents -------------------------------------------------------------------------------
create policy "people see the documents they have access to"
  on public.documents for select to authenticated
  using ((select private.access_to(young_person_id, kind)) <> 'none');
create policy "practitioners managing the circle start plans; young people start their story"
  on public.documents for insert to authenticated
  with check (
    created_by = (select auth.uid())
    and (
      (kind in ('care_plan', 'pathway_plan') and (select private.manages_circle_of(young_person_id)))
      or (kind = 'my_story' and young_person_id = (select auth.uid())
          and (select private.is_young_person(young_person_id)))
    )
  );
create policy "editors rename a document"
  on public.documents for update to authenticated
  using ((select private.access_to(young_person_id, kind)) = 'edit')
  with check ((select private.access_to(young_person_id, kind)) = 'edit');

-- Policies: document_updates ----------------------------------------------------------------------
create policy "people with access read a document's edits"
  on public.document_updates for select to authenticated
  using ((select private.document_access(document_id)) <> 'none');
create policy "editors append their own edits"
  on public.document_updates for insert to authenticated
  with check (
    author_id = (select auth.uid()) and (select private.document_access(document_id)) = 'edit'
  );

-- Policies: document_snapshots (written only by private.compact_document) ---------------------------
create policy "people with access read a document's snapshot"
  on public.document_snapshots for select to authenticated
  using ((select private.document_access(document_id)) <> 'none');

-- Policies: document_reads (append-only) --------------------------------------------------------------
create policy "readers see their own reads; young people see who read their documents"
  on public.document_reads for select to authenticated
  using (reader_id = (select auth.uid()) or young_person_id = (select auth.uid()));
create policy "a read is recorded by the reader, for a document they may read"
  on public.document_reads for insert to authenticated
  with check (
    reader_id = (select auth.uid())
    and (select private.document_access(document_id)) <> 'none'
    and young_person_id = (select d.young_person_id from public.documents d where d.id = document_id)
  );

-- Grants: explicit, nothing for anon ---------------------------------------------------------------------
revoke all on public.documents, public.document_updates, public.document_snapshots,
  public.document_reads from anon, authenticated, public;
grant select, insert (young_person_id, kind, title, created_by), update (title, updated_at)
  on public.documents to authenticated;
grant select, insert (document_id, author_id, update) on public.document_updates to authenticated;
grant select on public.document_snapshots to authenticated;
grant select, insert (document_id, young_person_id, reader_id, purpose)
  on public.document_reads to authenticated;
grant usage on type public.document_kind to authenticated;
-- Identity columns need no rights on their sequences; Supabase's defaults would give them anyway.
revoke all on sequence public.document_updates_id_seq, public.document_reads_id_seq
  from anon, authenticated, public;
