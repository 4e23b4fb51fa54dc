-- RLS matrix for public.story_photos: photos on a young person's "my story". Everyone the story
-- is shared with sees its photos; only the young person adds, describes and removes them; nobody
-- else sees any. Nobody swaps a photo's bytes or moves it to another document.
-- The cast is described in test-helpers/cast.sql and test-helpers/story.sql; how to read a matrix row, in test-helpers/helpers.sql.
select tests.create_cast();
select tests.create_document_cast();
select tests.create_document_shares_cast();
select tests.create_story_cast();

select tests.matrix_select('story_photos', $$
  anon         -
  yp           photo:yp/1
  sw           -             -- the story is not shared with yp's social worker
  family       photo:yp/1    -- shared to comment
  outside_sw   photo:yp2/1   -- yp2 shared their story to read
  other_la_sw  -
  advocate     photo:yp/1    -- shared to read
  admin        -
$$);

-- insert -----------------------------------------------------------------------------------------
select tests.matrix('story_photos', 'insert', 'add a photo to yp''s story',
$$insert into public.story_photos (document_id, uploaded_by, media_type, bytes, alt_text)
  values (tests.id('doc:yp_story'), (select auth.uid()), 'image/jpeg', '\xffd8ffd9', 'The beach')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused    -- photos are the young person's to add
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_photos', 'insert', 'add a photo to yp''s story in yp''s name',
$$insert into public.story_photos (document_id, uploaded_by, media_type, bytes, alt_text)
  values (tests.id('doc:yp_story'), tests.id('yp'), 'image/jpeg', '\xffd8ffd9', 'The beach')$$, $$
  anon         refused
  yp           1
  sw           refused    -- never in someone else's name
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_photos', 'insert', 'add a photo to yp''s care plan',
$$insert into public.story_photos (document_id, uploaded_by, media_type, bytes, alt_text)
  values (tests.id('doc:yp_care_plan'), (select auth.uid()), 'image/png', '\x89504e47', 'Home')$$, $$
  anon         refused
  yp           refused    -- photos belong to stories only
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_photos', 'insert', 'add a photo to yp2''s story',
$$insert into public.story_photos (document_id, uploaded_by, media_type, bytes, alt_text)
  values (tests.id('doc:yp2_story'), (select auth.uid()), 'image/png', '\x89504e47', 'Home')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused    -- shared to read
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- The table itself refuses SVG, photos with no description, and oversized bytes, whoever asks.
select tests.act_as('yp');
select tests.expect_sqlstate('story_photos', 'insert', 'an SVG',
  $$insert into public.story_photos (document_id, uploaded_by, media_type, bytes, alt_text)
    values (tests.id('doc:yp_story'), tests.id('yp'), 'image/svg+xml', '\x3c737667', 'A drawing')$$,
  '23514');
select tests.expect_sqlstate('story_photos', 'insert', 'a photo without a description',
  $$insert into public.story_photos (document_id, uploaded_by, media_type, bytes, alt_text)
    values (tests.id('doc:yp_story'), tests.id('yp'), 'image/png', '\x89504e47', '')$$, '23514');
select tests.expect_sqlstate('story_photos', 'insert', 'a photo over 5 MiB',
  $$insert into public.story_photos (document_id, uploaded_by, media_type, bytes, alt_text)
    values (tests.id('doc:yp_story'), tests.id('yp'), 'image/png',
      decode(repeat('00', 5242881), 'hex'), 'Big')$$, '23514');

-- update -----------------------------------------------------------------------------------------
select tests.matrix('story_photos', 'update', 'describe yp''s photo differently',
$$update public.story_photos set alt_text = 'Me and Nan at the beach', caption = 'Summer'
  where id = tests.id('photo:yp/1')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_photos', 'update', 'swap the bytes of yp''s photo',
$$update public.story_photos set bytes = '\xffd8ffd9', media_type = 'image/jpeg'
  where id = tests.id('photo:yp/1')$$, $$
  anon         refused
  yp           refused    -- remove it and add another instead: every upload is checked
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_photos', 'update', 'swap the phone-sized version of yp''s photo',
$$update public.story_photos set phone_bytes = null, phone_width = null, phone_height = null
  where id = tests.id('photo:yp/1')$$, $$
  anon         refused
  yp           refused    -- both versions are made by the app from one checked upload
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_photos', 'update', 'move yp''s photo to yp''s care plan',
$$update public.story_photos set document_id = tests.id('doc:yp_care_plan')
  where id = tests.id('photo:yp/1')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_photos', 'update', 'describe yp2''s photo differently',
$$update public.story_photos set alt_text = 'Something' where id = tests.id('photo:yp2/1')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- delete -----------------------------------------------------------------------------------------
select tests.matrix('story_photos', 'delete', 'remove yp''s photo',
$$delete from public.story_photos where id = tests.id('photo:yp/1')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_photos', 'delete', 'remove yp2''s photo',
$$delete from public.story_photos where id = tests.id('photo:yp2/1')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- Sharing decides, at once: shared with sw, sw sees the photo; stopped, nothing. Removed from
-- the circle, family sees nothing even though the share row remains.
select tests.act_as('yp');
insert into public.document_shares (document_id, person_id, access, shared_by)
values (tests.id('doc:yp_story'), tests.id('sw'), 'view', tests.id('yp'));
select tests.act_as('sw');
select tests.expect_visible('story_photos', 'photo:yp/1');
select tests.act_as('yp');
delete from public.document_shares
where document_id = tests.id('doc:yp_story') and person_id = tests.id('sw');
select tests.act_as('sw');
select tests.expect_visible('story_photos', '');
delete from public.circle_members where id = tests.id('yp/family');
select tests.act_as('family');
select tests.expect_visible('story_photos', '');
