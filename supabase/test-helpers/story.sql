-- "My story" timeline entries and photos (rls_story_timeline_entries / rls_story_photos.test.sql):
-- after tests.create_cast(), tests.create_document_cast() and tests.create_document_shares_cast(),
-- `select tests.create_story_cast();` adds (same eight matrix roles; yp's story is shared with
-- family to comment and with advocate to read, yp2's with outside_sw to read, and not with sw):
--   entry:yp/place          yp's own entry on their story (a place), accepted
--   entry:yp/school         yp's own entry (a school), accepted
--   entry:yp/suggested      family's suggestion for yp's story (a person), waiting for yp
--   entry:yp/declined       family's earlier suggestion, which yp declined
--   entry:yp2/place         yp2's own entry on their story, accepted
--   photo:yp/1              a photo yp added to their story
--   photo:yp2/1             a photo yp2 added to their story

create function tests.add_story_entry(
  fixture text, document text, added_by text, kind text, status text
)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid;
begin
  perform tests._not_acting('add_story_entry');
  insert into public.story_timeline_entries (document_id, kind, name, period, added_by, status,
    decided_at)
  values (tests.id(document), kind, 'Entry ' || fixture, '2019', tests.id(added_by), status,
    case when status = 'declined' then now() end)
  returning id into new_id;
  return tests._register(fixture, 'story_timeline_entries', new_id);
end;
$$;

create function tests.add_story_photo(fixture text, document text, uploaded_by text)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid;
begin
  perform tests._not_acting('add_story_photo');
  insert into public.story_photos (document_id, uploaded_by, media_type, bytes, width, height,
    alt_text)
  values (tests.id(document), tests.id(uploaded_by), 'image/png', '\x89504e470d0a1a0a', 1, 1,
    'Photo ' || fixture)
  returning id into new_id;
  return tests._register(fixture, 'story_photos', new_id);
end;
$$;

create function tests.create_story_cast()
returns void language plpgsql security definer set search_path = ''
as $$
begin
  perform tests.add_story_entry('entry:yp/place', 'doc:yp_story', 'yp', 'place', 'accepted');
  perform tests.add_story_entry('entry:yp/school', 'doc:yp_story', 'yp', 'school', 'accepted');
  perform tests.add_story_entry('entry:yp/suggested', 'doc:yp_story', 'family', 'person',
    'suggested');
  perform tests.add_story_entry('entry:yp/declined', 'doc:yp_story', 'family', 'person',
    'declined');
  perform tests.add_story_entry('entry:yp2/place', 'doc:yp2_story', 'yp2', 'place', 'accepted');
  perform tests.add_story_photo('photo:yp/1', 'doc:yp_story', 'yp');
  perform tests.add_story_photo('photo:yp2/1', 'doc:yp2_story', 'yp2');
end;
$$;
