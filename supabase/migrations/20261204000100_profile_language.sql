-- A recorded language preference (Welsh Language Standards): the language a person chose for In
-- My Words, kept on their profile so it follows them to any phone or laptop they sign in on.
-- Null until they choose one. The app speaks only the languages it has catalogues for and ignores
-- any other value, so adding a language needs a catalogue, not a migration: the column only
-- insists on the shape of a language code (ISO 639: two or three lower-case letters).
--
-- RLS: the existing profile policies already cover it (people read what they read today, and
-- update only their own profile); the column grant below is the only new right.

alter table public.profiles
  add column language text check (language ~ '^[a-z]{2,3}$');

comment on column public.profiles.language is
  'The language the person chose for the app (en, cy, ...); null until they choose.';

grant update (language) on public.profiles to authenticated;
