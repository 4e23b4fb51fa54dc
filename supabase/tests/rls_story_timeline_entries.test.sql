-- RLS matrix for public.story_timeline_entries: the places, people and schools on a young
-- person's "my story" timeline. The young person sees, adds, changes and removes entries and
-- accepts or declines suggestions; people the story is shared with to comment suggest entries
-- (which stay 'suggested' until the young person decides, seen only by the young person and the
-- suggester); people it is shared with to read see accepted entries only; nobody else sees any.
-- The cast is described in test-helpers/cast.sql and test-helpers/story.sql; how to read a matrix row, in test-helpers/helpers.sql.
select tests.create_cast();
select tests.create_document_cast();
select tests.create_document_shares_cast();
select tests.create_story_cast();

select tests.matrix_select('story_timeline_entries', $$
  anon         -
  yp           entry:yp/place entry:yp/school entry:yp/suggested entry:yp/declined
  sw           -                    -- yp's social worker: the story is not shared with them
  family       entry:yp/place entry:yp/school entry:yp/suggested   -- their own suggestion, waiting
  outside_sw   entry:yp2/place
  other_la_sw  -
  advocate     entry:yp/place entry:yp/school   -- shared to read: accepted entries only
  admin        -
$$);

-- insert -----------------------------------------------------------------------------------------
select tests.matrix('story_timeline_entries', 'insert', 'add an accepted place to yp''s story',
$$insert into public.story_timeline_entries (document_id, kind, name, added_by, status)
  values (tests.id('doc:yp_story'), 'place', 'Nan''s house', (select auth.uid()), 'accepted')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused    -- may only suggest: it is yp's story
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_timeline_entries', 'insert', 'suggest a person for yp''s story',
$$insert into public.story_timeline_entries (document_id, kind, name, added_by, status)
  values (tests.id('doc:yp_story'), 'person', 'Auntie Jo', (select auth.uid()), 'suggested')$$, $$
  anon         refused
  yp           refused    -- yp adds entries as accepted, not as suggestions to themselves
  sw           refused    -- not shared with them
  family       1          -- shared to comment
  outside_sw   refused
  other_la_sw  refused
  advocate     refused    -- shared to read only
  admin        refused
$$);

select tests.matrix('story_timeline_entries', 'insert', 'suggest an entry already decided',
$$insert into public.story_timeline_entries (document_id, kind, name, added_by, status)
  values (tests.id('doc:yp_story'), 'school', 'Hill Primary', (select auth.uid()), 'declined')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused    -- only yp decides
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_timeline_entries', 'insert', 'suggest an entry in yp''s name',
$$insert into public.story_timeline_entries (document_id, kind, name, added_by, status)
  values (tests.id('doc:yp_story'), 'person', 'Auntie Jo', tests.id('yp'), 'suggested')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused    -- added_by must be whoever adds it
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_timeline_entries', 'insert', 'add an entry to yp''s care plan',
$$insert into public.story_timeline_entries (document_id, kind, name, added_by, status)
  values (tests.id('doc:yp_care_plan'), 'place', 'Home', (select auth.uid()), 'accepted')$$, $$
  anon         refused
  yp           refused    -- timelines belong to stories only
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_timeline_entries', 'insert', 'add an entry to yp2''s story',
$$insert into public.story_timeline_entries (document_id, kind, name, added_by, status)
  values (tests.id('doc:yp2_story'), 'place', 'Home', (select auth.uid()), 'suggested')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused    -- shared to read only
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- update -----------------------------------------------------------------------------------------
select tests.matrix('story_timeline_entries', 'update', 'accept family''s suggestion',
$$update public.story_timeline_entries set status = 'accepted', decided_at = now()
  where id = tests.id('entry:yp/suggested')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused    -- not even their own suggestion
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_timeline_entries', 'update', 'change the name of yp''s place',
$$update public.story_timeline_entries set name = 'Our flat', period = 'Year 7'
  where id = tests.id('entry:yp/place')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_timeline_entries', 'update', 'move yp''s place to yp''s care plan',
$$update public.story_timeline_entries set document_id = tests.id('doc:yp_care_plan')
  where id = tests.id('entry:yp/place')$$, $$
  anon         refused
  yp           refused    -- no entry moves between documents
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_timeline_entries', 'update', 'say yp suggested family''s entry',
$$update public.story_timeline_entries set added_by = tests.id('yp')
  where id = tests.id('entry:yp/suggested')$$, $$
  anon         refused
  yp           refused    -- who added an entry stays true
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_timeline_entries', 'update', 'change yp2''s place',
$$update public.story_timeline_entries set name = 'Somewhere' where id = tests.id('entry:yp2/place')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused    -- shared to read
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- delete -----------------------------------------------------------------------------------------
select tests.matrix('story_timeline_entries', 'delete', 'remove yp''s place',
$$delete from public.story_timeline_entries where id = tests.id('entry:yp/place')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_timeline_entries', 'delete', 'remove family''s waiting suggestion',
$$delete from public.story_timeline_entries where id = tests.id('entry:yp/suggested')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused    -- once suggested, it is yp's to decide
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('story_timeline_entries', 'delete', 'remove yp2''s place',
$$delete from public.story_timeline_entries where id = tests.id('entry:yp2/place')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- A suggestion is never shown as accepted before yp accepts it: the advocate (shared to read)
-- sees it only once accepted, and a declined one never.
select tests.act_as('yp');
update public.story_timeline_entries set status = 'accepted', decided_at = now()
where id = tests.id('entry:yp/suggested');
select tests.act_as('advocate');
select tests.expect_visible('story_timeline_entries',
  'entry:yp/place entry:yp/school entry:yp/suggested');

-- Sharing decides: shared with sw to read, sw sees the accepted entries; stopped, nothing.
select tests.act_as('yp');
insert into public.document_shares (document_id, person_id, access, shared_by)
values (tests.id('doc:yp_story'), tests.id('sw'), 'view', tests.id('yp'));
select tests.act_as('sw');
select tests.expect_visible('story_timeline_entries',
  'entry:yp/place entry:yp/school entry:yp/suggested');
select tests.act_as('yp');
delete from public.document_shares
where document_id = tests.id('doc:yp_story') and person_id = tests.id('sw');
select tests.act_as('sw');
select tests.expect_visible('story_timeline_entries', '');

-- Removed from the circle, family sees nothing and can suggest nothing.
select tests.act_as('sw');
delete from public.circle_members where id = tests.id('yp/family');
select tests.act_as('family');
select tests.expect_visible('story_timeline_entries', '');
select tests.expect_refused('story_timeline_entries', 'insert', 'suggest after leaving the circle',
  $$insert into public.story_timeline_entries (document_id, kind, name, added_by, status)
    values (tests.id('doc:yp_story'), 'person', 'Auntie Jo', (select auth.uid()), 'suggested')$$);
