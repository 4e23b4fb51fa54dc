-- "In my own words": who wrote each piece of a document, and suggestions to change the young
-- person's words.
--
-- Every Yjs edit carries a client id (random per open editor). The collab server binds each new
-- client id to the person whose connection first sent it, in the same transaction as that edit,
-- so attribution comes from who sent an update, never from anything the browser claims. Text
-- from a client bound to the young person the document is about is "in their own words": the
-- collab server refuses edits by anyone else that would change it, and others suggest instead.

create table public.document_writers (
  document_id uuid not null references public.documents (id) on delete cascade,
  -- Yjs client ids are unsigned 32-bit integers.
  client_id bigint not null check (client_id between 0 and 4294967295),
  -- Attribution outlives an account's deletion only as "someone"; the words stay.
  writer_id uuid references public.profiles (id) on delete set null,
  -- The template a document starts from (headings, prompts) is nobody's own words.
  from_template boolean not null default false,
  created_at timestamptz not null default now(),
  primary key (document_id, client_id)
);
create index document_writers_writer_id_idx on public.document_writers (writer_id);
alter table public.document_writers enable row level security;

create type public.suggestion_status as enum ('pending', 'accepted', 'declined');

create table public.document_suggestions (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references public.documents (id) on delete cascade,
  author_id uuid references public.profiles (id) on delete set null,
  -- Where the words are: two encoded Yjs relative positions, which follow the text as it moves.
  anchor_start bytea not null check (octet_length(anchor_start) between 1 and 256),
  anchor_end bytea not null check (octet_length(anchor_end) between 1 and 256),
  -- The words as the server read them when the suggestion was made (empty: an addition).
  original_text text not null check (char_length(original_text) <= 4000),
  suggested_text text not null check (char_length(suggested_text) <= 4000),
  status public.suggestion_status not null default 'pending',
  decided_by uuid references public.profiles (id) on delete set null,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  constraint document_suggestions_changes_something check (original_text <> suggested_text),
  constraint document_suggestions_decided check ((status = 'pending') = (decided_at is null))
);
create index document_suggestions_document_id_idx on public.document_suggestions (document_id, created_at);
create index document_suggestions_author_id_idx on public.document_suggestions (author_id);
create index document_suggestions_decided_by_idx on public.document_suggestions (decided_by);
alter table public.document_suggestions enable row level security;

/** Is the caller the young person this document is about? */
create function private.is_subject_of(doc uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.documents d where d.id = doc and d.young_person_id = (select auth.uid())
  )
$$;
revoke all on function private.is_subject_of(uuid) from public;
grant execute on function private.is_subject_of(uuid) to authenticated;

-- Policies: document_writers (append-only, written by the collab server as each writer) ---------
create policy "people with access see who wrote a document"
  on public.document_writers for select to authenticated
  using ((select private.document_access(document_id)) <> 'none');
create policy "an editor binds a client id to themselves"
  on public.document_writers for insert to authenticated
  with check (
    writer_id = (select auth.uid())
    and (select private.document_access(document_id)) = 'edit'
    -- Only the person who starts a document writes its template, and only then: in the
    -- transaction that created the document (now() is the transaction's start time).
    and (
      not from_template
      or exists (
        select 1 from public.documents d
        where d.id = document_id and d.created_by = (select auth.uid()) and d.created_at = now()
      )
    )
  );

-- Policies: document_suggestions -----------------------------------------------------------------
create policy "people with access see a document's suggestions"
  on public.document_suggestions for select to authenticated
  using ((select private.document_access(document_id)) <> 'none');
create policy "people who may comment suggest changes to the young person's words"
  on public.document_suggestions for insert to authenticated
  with check (
    author_id = (select auth.uid())
    and status = 'pending'
    and (select private.document_access(document_id)) in ('comment', 'edit')
    and not (select private.is_subject_of(document_id))
  );
create policy "the young person accepts or declines a suggestion, once"
  on public.document_suggestions for update to authenticated
  using (status = 'pending' and (select private.is_subject_of(document_id)))
  with check (
    status <> 'pending' and decided_by = (select auth.uid())
    and (select private.is_subject_of(document_id))
  );

-- Grants: explicit, nothing for anon -------------------------------------------------------------
revoke all on public.document_writers, public.document_suggestions from anon, authenticated, public;
grant select, insert (document_id, client_id, writer_id, from_template)
  on public.document_writers to authenticated;
grant select,
  insert (document_id, author_id, anchor_start, anchor_end, original_text, suggested_text),
  update (status, decided_by, decided_at)
  on public.document_suggestions to authenticated;
grant usage on type public.suggestion_status to authenticated;
