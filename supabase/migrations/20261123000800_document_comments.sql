-- Comments on a document: threads anchored to words (or to the whole document), replies,
-- resolving and reopening, and mentions of people who can read the document. People with
-- comment access (family, advocates) take part here without being able to change the text.
-- Comments are part of the record: nobody edits or deletes one through the app.

create table public.document_comments (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references public.documents (id) on delete cascade,
  -- null: this comment starts a thread; otherwise the thread it replies to.
  thread_id uuid references public.document_comments (id) on delete cascade,
  author_id uuid references public.profiles (id) on delete set null,
  body text not null check (char_length(body) between 1 and 4000),
  -- Where a thread points: two encoded Yjs relative positions (null: the whole document), and the
  -- words there as the server read them when the thread started.
  anchor_start bytea check (octet_length(anchor_start) between 1 and 256),
  anchor_end bytea check (octet_length(anchor_end) between 1 and 256),
  quote text check (char_length(quote) <= 4000),
  resolved_at timestamptz,
  resolved_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint document_comments_anchor_pair check ((anchor_start is null) = (anchor_end is null)),
  constraint document_comments_replies_plain check (
    thread_id is null or (anchor_start is null and quote is null and resolved_at is null)
  )
);
create index document_comments_document_id_idx on public.document_comments (document_id, created_at);
create index document_comments_thread_id_idx on public.document_comments (thread_id);
create index document_comments_author_id_idx on public.document_comments (author_id);
create index document_comments_resolved_by_idx on public.document_comments (resolved_by);
alter table public.document_comments enable row level security;

create table public.document_comment_mentions (
  comment_id uuid not null references public.document_comments (id) on delete cascade,
  person_id uuid not null references public.profiles (id) on delete cascade,
  -- When the person opened the document after being mentioned (null: not yet).
  seen_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (comment_id, person_id)
);
create index document_comment_mentions_person_id_idx
  on public.document_comment_mentions (person_id, created_at desc);
alter table public.document_comment_mentions enable row level security;

/** Is `thread` a thread (not a reply) on document `doc`? Replies stay one level deep. */
create function private.is_thread_of(thread uuid, doc uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.document_comments c
    where c.id = thread and c.document_id = doc and c.thread_id is null
  )
$$;

/**
 * May the caller mention `person` on document `doc`? Only people who can read it: the young
 * person; for plans, anyone in their circle with access; for a story, people it is shared with
 * who are still in the circle (as private.story_share_access) — but only the young person knows
 * who those are, so anyone else may mention only the young person on a story. Asked only by
 * someone who can see the document, so it tells nobody anything about a document they cannot open.
 */
create function private.may_be_mentioned(person uuid, doc uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select private.document_access(doc) <> 'none' and exists (
    select 1 from public.documents d
    where d.id = doc and (
      d.young_person_id = person
      or (d.kind <> 'my_story' and exists (
        select 1 from public.circle_members c
        where c.young_person_id = d.young_person_id and c.member_id = person
          and c.access <> 'none'))
      or (d.kind = 'my_story' and d.young_person_id = (select auth.uid()) and exists (
        select 1 from public.document_shares s
        join public.circle_members c
          on c.young_person_id = d.young_person_id and c.member_id = s.person_id
        where s.document_id = d.id and s.person_id = person))
    )
  )
$$;

/**
 * May the caller see that `person` was mentioned on `comment`? On plans, anyone who can read the
 * document (the circle knows each other). On a story, who it is shared with is the young
 * person's to know: only the young person, the comment's author and the person mentioned.
 */
create function private.may_see_mention(comment uuid, person uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.document_comments c
    join public.documents d on d.id = c.document_id
    where c.id = comment
      and private.document_access(d.id) <> 'none'
      and (
        d.kind <> 'my_story'
        or person = (select auth.uid())
        or d.young_person_id = (select auth.uid())
        or c.author_id = (select auth.uid())
      )
  )
$$;

revoke all on function private.is_thread_of(uuid, uuid), private.may_be_mentioned(uuid, uuid),
  private.may_see_mention(uuid, uuid) from public;
grant execute on function private.is_thread_of(uuid, uuid), private.may_be_mentioned(uuid, uuid),
  private.may_see_mention(uuid, uuid) to authenticated;

-- Policies: document_comments --------------------------------------------------------------------
create policy "people with access read a document's comments"
  on public.document_comments for select to authenticated
  using ((select private.document_access(document_id)) <> 'none');
create policy "people who may comment start threads and reply, as themselves"
  on public.document_comments for insert to authenticated
  with check (
    author_id = (select auth.uid())
    and (select private.document_access(document_id)) in ('comment', 'edit')
    and (thread_id is null or (select private.is_thread_of(thread_id, document_id)))
  );
create policy "people who may comment resolve and reopen threads"
  on public.document_comments for update to authenticated
  using (thread_id is null and (select private.document_access(document_id)) in ('comment', 'edit'))
  with check (
    thread_id is null
    and (select private.document_access(document_id)) in ('comment', 'edit')
    and (
      (resolved_at is not null and resolved_by = (select auth.uid()))
      or (resolved_at is null and resolved_by is null)
    )
  );

-- Policies: document_comment_mentions ------------------------------------------------------------
create policy "people see mentions of them, and mentions they may know about"
  on public.document_comment_mentions for select to authenticated
  using (
    person_id = (select auth.uid())
    or (select private.may_see_mention(comment_id, person_id))
  );
create policy "a comment's author mentions people who can read the document"
  on public.document_comment_mentions for insert to authenticated
  with check (
    exists (
      select 1 from public.document_comments c
      where c.id = comment_id and c.author_id = (select auth.uid())
        and private.may_be_mentioned(person_id, c.document_id)
    )
  );
create policy "people mark their mentions as seen"
  on public.document_comment_mentions for update to authenticated
  using (person_id = (select auth.uid()))
  with check (person_id = (select auth.uid()));

-- Grants: explicit, nothing for anon -------------------------------------------------------------
revoke all on public.document_comments, public.document_comment_mentions
  from anon, authenticated, public;
grant select,
  insert (document_id, thread_id, author_id, body, anchor_start, anchor_end, quote),
  update (resolved_at, resolved_by)
  on public.document_comments to authenticated;
grant select, insert (comment_id, person_id), update (seen_at)
  on public.document_comment_mentions to authenticated;
