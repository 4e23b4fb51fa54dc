-- RLS matrix for public.document_versions: named versions of a document. Everyone with access to
-- the document reads its versions; nobody inserts, changes or deletes one as anon or
-- authenticated (a version is part of the statutory record: the collab service saves it for an
-- editor, in their name, with the state built from the stored log).
-- Since migration 20261203001200 nobody writes content as anon or authenticated, whatever their
-- access: the collab service does, as its own role, through private functions that still check
-- the person's access (tested as that role in tests/db/content-writers.test.ts).
-- The cast is described in test-helpers/cast.sql (create_cast, create_document_cast, create_version_cast);
-- how to read a matrix row, in test-helpers/helpers.sql.
select tests.create_cast();
select tests.create_document_cast();
select tests.create_version_cast();

select tests.matrix_select('document_versions', $$
  anon         -
  yp           ver:yp_care_plan/agreed ver:yp_care_plan/draft ver:yp_story/1 ver:yp_story/2
  sw           ver:yp_care_plan/agreed ver:yp_care_plan/draft    -- never yp's story
  family       ver:yp_care_plan/agreed ver:yp_care_plan/draft
  outside_sw   ver:yp2_care_plan/1
  other_la_sw  ver:other_yp_pathway/1
  advocate     ver:yp_care_plan/agreed ver:yp_care_plan/draft
  admin        -
$$);

-- insert -----------------------------------------------------------------------------------------
select tests.matrix('document_versions', 'insert', 'save a version of yp''s care plan',
$$insert into public.document_versions (document_id, name, state, created_by)
  values (tests.id('doc:yp_care_plan'), 'Agreed at my review', '\x00', (select auth.uid()))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_versions', 'insert', 'save a review version of yp''s story',
$$insert into public.document_versions (document_id, name, state, is_review, created_by)
  values (tests.id('doc:yp_story'), 'My story', '\x00', true, (select auth.uid()))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_versions', 'insert', 'save a version of yp2''s care plan',
$$insert into public.document_versions (document_id, name, state, created_by)
  values (tests.id('doc:yp2_care_plan'), 'Draft', '\x00', (select auth.uid()))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_versions', 'insert', 'save a version of yp''s care plan as sw',
$$insert into public.document_versions (document_id, name, state, created_by)
  values (tests.id('doc:yp_care_plan'), 'Agreed', '\x00', tests.id('sw'))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- update and delete: nobody, not even the person who saved it --------------------------------------
select tests.matrix('document_versions', 'update', 'rename the agreed version of yp''s care plan',
$$update public.document_versions set name = 'Something else'
  where id = tests.id('ver:yp_care_plan/agreed')$$, $$
  anon         refused
  yp           refused
  sw           refused    -- saved it, still may not change it
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_versions', 'update', 'swap the content of yp''s story version',
$$update public.document_versions set state = '\x01' where id = tests.id('ver:yp_story/1')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_versions', 'delete', 'delete the agreed version of yp''s care plan',
$$delete from public.document_versions where id = tests.id('ver:yp_care_plan/agreed')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_versions', 'delete', 'delete yp2''s care plan version',
$$delete from public.document_versions where id = tests.id('ver:yp2_care_plan/1')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- Removed from the circle, family no longer sees the plan's versions.
select tests.act_as('sw');
delete from public.circle_members where id = tests.id('yp/family');
select tests.act_as('family');
select tests.expect_visible('document_versions', '');
