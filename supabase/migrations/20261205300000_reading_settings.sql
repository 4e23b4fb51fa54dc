-- Reading settings (issue 16, item 1): text size, an easy-to-read font, line spacing, high
-- contrast, less movement and read-aloud, chosen by a young person the first time they sign in
-- and changeable from every page. The app applies them on the server (classes on <html>), so they
-- work without JavaScript and on the first paint.
--
-- They lived on public.profiles (larger_text, dyslexia_font, read_aloud), where everyone who may
-- see a person's profile (their circle, their advocate, admins) could read them. How someone
-- needs to read is theirs alone: the new table is readable and writable only by its person, and
-- the old columns are moved here and dropped.
--
-- A row exists once the person has chosen (or kept the defaults on the first-time screen): no row
-- means "not chosen yet", which is what sends a newly invited young person to that screen.

create table public.reading_settings (
  person_id uuid primary key references public.profiles (id) on delete cascade,
  text_size text not null default 'standard' check (text_size in ('standard', 'large', 'larger')),
  readable_font boolean not null default false,
  wide_spacing boolean not null default false,
  high_contrast boolean not null default false,
  reduced_motion boolean not null default false,
  read_aloud boolean not null default false,
  chosen_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table public.reading_settings enable row level security;

comment on table public.reading_settings is
  'How a person likes to read the app; readable and writable by that person alone.';

create policy "people see only their own reading settings"
  on public.reading_settings for select to authenticated
  using (person_id = (select auth.uid()));
create policy "people record only their own reading settings"
  on public.reading_settings for insert to authenticated
  with check (person_id = (select auth.uid()));
create policy "people change only their own reading settings"
  on public.reading_settings for update to authenticated
  using (person_id = (select auth.uid()))
  with check (person_id = (select auth.uid()));

-- Supabase grants everything on new public tables by default: take it back, then grant only what
-- the app does (no delete: a person changes their settings, never loses the record of choosing).
revoke all on public.reading_settings from anon, authenticated, public;
grant select,
  insert (person_id, text_size, readable_font, wide_spacing, high_contrast, reduced_motion,
    read_aloud),
  update (text_size, readable_font, wide_spacing, high_contrast, reduced_motion, read_aloud,
    updated_at)
  on public.reading_settings to authenticated;

-- What people chose in "My settings" comes with them.
insert into public.reading_settings (person_id, text_size, readable_font, read_aloud)
select id, case when larger_text then 'large' else 'standard' end, dyslexia_font, read_aloud
from public.profiles
where larger_text or dyslexia_font or read_aloud;

alter table public.profiles
  drop column larger_text,
  drop column dyslexia_font,
  drop column read_aloud;
