-- "My story": a timeline of places, people and schools, and photos. Both belong to one "my story"
-- document and follow its sharing (migration 000500): the young person adds, changes and removes
-- them; people the story is shared with to comment may suggest timeline entries, which stay
-- 'suggested' (seen only by the young person and whoever suggested them) until the young person
-- accepts or declines them; people it is shared with to read see accepted entries and photos only;
-- nobody else sees anything. Photos are added by the young person only: a photo of someone else's
-- is easier to talk about than to upload into a child's life story, and nothing in the issue needs
-- more.
--
-- Photos are stored here, in Postgres, never in a public bucket: the app checks size and type and
-- strips metadata (EXIF, GPS, XMP, text chunks) before the insert, and serves them itself under
-- RLS, with an audit row for each read.

create table public.story_timeline_entries (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references public.documents (id) on delete cascade,
  kind text not null check (kind in ('place', 'person', 'school')),
  name text not null check (char_length(name) between 1 and 120),
  -- Free text, as a child would say it: "2019", "Year 7", "When I was little".
  period text check (period is null or char_length(period) between 1 and 40),
  note text check (note is null or char_length(note) between 1 and 1000),
  added_by uuid references public.profiles (id) on delete set null,
  status text not null default 'accepted' check (status in ('accepted', 'suggested', 'declined')),
  -- When the young person accepted or declined a suggestion; null while it waits.
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  constraint story_timeline_entries_decided_when_not_waiting
    check (status <> 'suggested' or decided_at is null)
);
create index story_timeline_entries_document_id_idx
  on public.story_timeline_entries (document_id, created_at);
create index story_timeline_entries_added_by_idx on public.story_timeline_entries (added_by);
alter table public.story_timeline_entries enable row level security;

create table public.story_photos (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references public.documents (id) on delete cascade,
  uploaded_by uuid references public.profiles (id) on delete set null,
  -- Only raster types the app has checked byte by byte; never SVG (it can carry script).
  media_type text not null check (media_type in ('image/jpeg', 'image/png', 'image/webp')),
  -- The app's limit is 5 MiB; stripping metadata only makes a photo smaller.
  bytes bytea not null check (octet_length(bytes) between 1 and 5242880),
  width integer check (width is null or width between 1 and 65535),
  height integer check (height is null or height between 1 and 65535),
  -- Every photo says what it shows, for people using screen readers.
  alt_text text not null check (char_length(alt_text) between 1 and 250),
  caption text check (caption is null or char_length(caption) between 1 and 500),
  created_at timestamptz not null default now()
);
create index story_photos_document_id_idx on public.story_photos (document_id, created_at);
create index story_photos_uploaded_by_idx on public.story_photos (uploaded_by);
alter table public.story_photos enable row level security;

-- Helpers -----------------------------------------------------------------------------------------

/**
 * The caller's access to `doc` if it is a "my story" ('none' for any other kind of document, or
 * one they may not see): timeline entries and photos belong to stories only.
 */
create function private.story_access(doc uuid)
returns public.access_level language sql stable security definer set search_path = ''
as $$
  select coalesce(
    (select private.document_access(d.id) from public.documents d
     where d.id = doc and d.kind = 'my_story'),
    'none'::public.access_level)
$$;

revoke all on function private.story_access(uuid) from public, anon;
grant execute on function private.story_access(uuid) to authenticated;

-- Policies: story_timeline_entries ------------------------------------------------------------------
create policy "the young person sees their whole timeline; readers see accepted entries; people see their own suggestions"
  on public.story_timeline_entries for select to authenticated
  -- One access lookup per row: 'edit' on a story is its young person (shares are view or comment).
  using (
    case (select private.story_access(document_id))
      when 'edit' then true
      when 'comment' then status = 'accepted'
        or (status = 'suggested' and added_by = (select auth.uid()))
      when 'view' then status = 'accepted'
      else false
    end
  );
create policy "the young person adds to their timeline; commenters suggest"
  on public.story_timeline_entries for insert to authenticated
  with check (
    added_by = (select auth.uid())
    and decided_at is null
    and case (select private.story_access(document_id))
      when 'edit' then status = 'accepted'
      when 'comment' then status = 'suggested'
      else false
    end
  );
create policy "the young person changes their timeline and decides on suggestions"
  on public.story_timeline_entries for update to authenticated
  using ((select private.owns_story(document_id)))
  with check ((select private.owns_story(document_id)));
create policy "the young person removes entries from their timeline"
  on public.story_timeline_entries for delete to authenticated
  using ((select private.owns_story(document_id)));

-- Policies: story_photos ----------------------------------------------------------------------------
create policy "people who can see a story see its photos"
  on public.story_photos for select to authenticated
  using ((select private.story_access(document_id)) <> 'none');
create policy "the young person adds photos to their story"
  on public.story_photos for insert to authenticated
  with check (uploaded_by = (select auth.uid()) and (select private.owns_story(document_id)));
create policy "the young person changes what a photo says"
  on public.story_photos for update to authenticated
  using ((select private.owns_story(document_id)))
  with check ((select private.owns_story(document_id)));
create policy "the young person removes photos from their story"
  on public.story_photos for delete to authenticated
  using ((select private.owns_story(document_id)));

-- Grants: explicit, nothing for anon. Nobody moves an entry or photo to another document, changes
-- who added it, or swaps a photo's bytes (remove it and add another instead). ----------------------
revoke all on public.story_timeline_entries, public.story_photos from anon, authenticated, public;
grant select, insert (document_id, kind, name, period, note, added_by, status),
  update (kind, name, period, note, status, decided_at), delete
  on public.story_timeline_entries to authenticated;
grant select, insert (document_id, uploaded_by, media_type, bytes, width, height, alt_text, caption),
  update (alt_text, caption), delete
  on public.story_photos to authenticated;
