-- Story photos sized for a cheap phone (issue 16). The app now re-encodes every upload with
-- libvips (sharp) and stores two new files made from the decoded pixels, never the uploaded
-- bytes: `bytes` holds the full-size one (as before, in the uploaded format, at most 5 MiB) and
-- `phone_bytes` a WebP at most 1280 pixels on its longer side, served by default.
--
-- Photos stored before this have no phone version (null): they are served at full size, as
-- they always were, so every existing photo still shows. New rows always have one (the app
-- writes both in one insert); the constraint below cannot say so without refusing updates to
-- the description of an older photo.

alter table public.story_photos
  add column phone_bytes bytea
    -- A WebP file ("RIFF", size, "WEBP"), no bigger than the full-size limit.
    check (phone_bytes is null or (octet_length(phone_bytes) between 12 and 5242880
      and substring(phone_bytes from 1 for 4) = '\x52494646'::bytea
      and substring(phone_bytes from 9 for 4) = '\x57454250'::bytea)),
  add column phone_width integer check (phone_width is null or phone_width between 1 and 1280),
  add column phone_height integer check (phone_height is null or phone_height between 1 and 1280),
  add constraint story_photos_phone_version_whole check (
    (phone_bytes is null) = (phone_width is null) and (phone_bytes is null) = (phone_height is null));

comment on column public.story_photos.bytes is
  'The full-size photo, re-encoded by the app from the uploaded pixels (no metadata); served on request.';
comment on column public.story_photos.phone_bytes is
  'The photo as WebP, at most 1280 px on its longer side, served by default; null for photos stored before 2026-12-05.';

-- Added with the rest of a photo, never changed afterwards (remove it and add another instead):
-- the column grants stay as they were, plus the new columns on insert.
grant insert (phone_bytes, phone_width, phone_height) on public.story_photos to authenticated;
