-- "My story" is private to the young person until they share it, person by person. A share gives
-- one person in the young person's circle 'view' or 'comment' access to one story; never 'edit'
-- (the story is the young person's own words). A share only counts while that person is still in
-- the circle: removing someone from the circle removes their access to the story at once.
-- Removing or changing a share notifies the collab server, which closes live editors that lost
-- access.

create table public.document_shares (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references public.documents (id) on delete cascade,
  person_id uuid not null references public.profiles (id) on delete cascade,
  access public.access_level not null check (access in ('view', 'comment')),
  shared_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (document_id, person_id)
);
create index document_shares_person_id_idx on public.document_shares (person_id);
alter table public.document_shares enable row level security;

-- Helpers -----------------------------------------------------------------------------------------

/** Is `doc` the caller's own "my story"? Only they manage who it is shared with. */
create function private.owns_story(doc uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.documents d
    where d.id = doc and d.kind = 'my_story' and d.young_person_id = (select auth.uid())
  )
$$;

/** Is `person` in the caller's own circle? A story is shared only with people in it. */
create function private.in_my_circle(person uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.circle_members c
    where c.young_person_id = (select auth.uid()) and c.member_id = person
  )
$$;

/**
 * The level `young_person`'s story `doc` is shared with the caller at: 'none' unless it is shared
 * with them and they are still in the young person's circle.
 */
create function private.story_share_access(doc uuid, young_person uuid)
returns public.access_level language sql stable security definer set search_path = ''
as $$
  select coalesce(
    (select s.access from public.document_shares s
     where s.document_id = doc and s.person_id = (select auth.uid())
       and exists (
         select 1 from public.circle_members c
         where c.young_person_id = young_person and c.member_id = s.person_id
       )),
    'none'::public.access_level)
$$;

/**
 * The caller's access to one document ('none' if it does not exist or they may not see it).
 * As before for plans and for the young person's own documents; for someone else's story, the
 * level it was shared with them at (private.story_share_access).
 */
create or replace function private.document_access(doc uuid)
returns public.access_level language sql stable security definer set search_path = ''
as $$
  select coalesce(
    (select case
       when d.kind = 'my_story' and d.young_person_id is distinct from (select auth.uid())
         then private.story_share_access(d.id, d.young_person_id)
       else private.access_to(d.young_person_id, d.kind)
     end
     from public.documents d where d.id = doc),
    'none'::public.access_level)
$$;

revoke all on function private.owns_story(uuid), private.in_my_circle(uuid),
  private.story_share_access(uuid, uuid) from public;
grant execute on function private.owns_story(uuid), private.in_my_circle(uuid),
  private.story_share_access(uuid, uuid) to authenticated;

-- A shared story is seen by the person it is shared with. The policy reads the row's own columns
-- (not private.document_access, which looks the document up again and so, within the statement
-- that inserts it, would not yet see a new document returned by insert ... returning).
drop policy "people see the documents they have access to" on public.documents;
create policy "people see the documents they have access to"
  on public.documents for select to authenticated
  using (
    (select private.access_to(young_person_id, kind)) <> 'none'
    or (kind = 'my_story' and (select private.story_share_access(id, young_person_id)) <> 'none')
  );

-- Live connections close when a share is removed or changed: the collab server listens on this
-- channel and re-checks everyone editing that young person's documents.
create function private.notify_share_changed()
returns trigger language plpgsql security definer set search_path = ''
as $$
declare
  young_person uuid;
begin
  select d.young_person_id into young_person from public.documents d where d.id = old.document_id;
  if young_person is not null then
    perform pg_notify('document_access_changed', young_person::text);
  end if;
  return null;
end;
$$;
revoke all on function private.notify_share_changed() from public, authenticated;

create trigger document_shares_access_changed
  after update or delete on public.document_shares
  for each row execute function private.notify_share_changed();

-- Policies: document_shares -------------------------------------------------------------------------
create policy "the young person sees their story's shares; people see shares with them"
  on public.document_shares for select to authenticated
  using (person_id = (select auth.uid()) or (select private.owns_story(document_id)));
create policy "the young person shares their story with someone in their circle"
  on public.document_shares for insert to authenticated
  with check (
    shared_by = (select auth.uid())
    and (select private.owns_story(document_id))
    and (select private.in_my_circle(person_id))
  );
create policy "the young person changes how a share works"
  on public.document_shares for update to authenticated
  using ((select private.owns_story(document_id)))
  with check ((select private.owns_story(document_id)));
create policy "the young person stops sharing"
  on public.document_shares for delete to authenticated
  using ((select private.owns_story(document_id)));

-- Grants: explicit, nothing for anon ---------------------------------------------------------------
revoke all on public.document_shares from anon, authenticated, public;
grant select, insert (document_id, person_id, access, shared_by), update (access), delete
  on public.document_shares to authenticated;
