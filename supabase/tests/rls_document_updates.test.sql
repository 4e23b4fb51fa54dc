-- RLS matrix for public.document_updates: the co-writing log of each document. Everyone who may
-- see a document reads its edits; nobody appends, rewrites or deletes an edit as anon or
-- authenticated (the collab service appends through private.append_update, for editors only).
-- Since migration 20261203001200 nobody writes content as anon or authenticated, whatever their
-- access: the collab service does, as its own role, through private functions that still check
-- the person's access (tested as that role in tests/db/content-writers.test.ts).
-- The cast is described in test-helpers/cast.sql (create_cast, create_document_cast); how to read a matrix
-- row, in test-helpers/helpers.sql.
select tests.create_cast();
select tests.create_document_cast();

select tests.matrix_select_keyed('document_updates', $$
  anon         -
  yp           upd:yp_care_plan/1 upd:yp_care_plan/2 upd:yp_care_plan/3 upd:yp_story/1
  sw           upd:yp_care_plan/1 upd:yp_care_plan/2 upd:yp_care_plan/3
  family       upd:yp_care_plan/1 upd:yp_care_plan/2 upd:yp_care_plan/3
  outside_sw   upd:yp2_care_plan/1
  other_la_sw  upd:other_yp_pathway/1
  advocate     upd:yp_care_plan/1 upd:yp_care_plan/2 upd:yp_care_plan/3
  admin        -
$$);

-- insert: refused to everyone, editors too -----------------------------------------------------
select tests.matrix('document_updates', 'insert', 'append an edit to yp''s care plan as yourself',
$$insert into public.document_updates (document_id, author_id, update)
  values (tests.id('doc:yp_care_plan'), (select auth.uid()), '\x01')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_updates', 'insert', 'append an edit to yp''s story as yourself',
$$insert into public.document_updates (document_id, author_id, update)
  values (tests.id('doc:yp_story'), (select auth.uid()), '\x01')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_updates', 'insert', 'append an edit to yp2''s care plan as yourself',
$$insert into public.document_updates (document_id, author_id, update)
  values (tests.id('doc:yp2_care_plan'), (select auth.uid()), '\x01')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_updates', 'insert', 'append an edit to yp''s care plan in sw''s name',
$$insert into public.document_updates (document_id, author_id, update)
  values (tests.id('doc:yp_care_plan'), tests.id('sw'), '\x01')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_updates', 'insert',
  'append an edit to yp''s care plan with no author',
$$insert into public.document_updates (document_id, author_id, update)
  values (tests.id('doc:yp_care_plan'), null, '\x01')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- update and delete: the log is append-only for everyone ----------------------------------------
select tests.matrix('document_updates', 'update', 'rewrite sw''s edit of yp''s care plan',
$$update public.document_updates set update = '\x02'
  where id = tests.key('upd:yp_care_plan/1')::bigint$$, $$
  anon         refused
  yp           refused
  sw           refused    -- not even the author
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_updates', 'update', 'move an edit of yp''s story to yp''s care plan',
$$update public.document_updates set document_id = tests.id('doc:yp_care_plan')
  where id = tests.key('upd:yp_story/1')::bigint$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_updates', 'delete', 'delete sw''s edit of yp''s care plan',
$$delete from public.document_updates where id = tests.key('upd:yp_care_plan/1')::bigint$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_updates', 'delete', 'delete yp''s edit of their story',
$$delete from public.document_updates where id = tests.key('upd:yp_story/1')::bigint$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- Access follows the circle, at once: removed from the circle, family no longer reads the edits.
-- Given edit access, family still cannot append directly (only through the collab service).
select tests.act_as('sw');
update public.circle_members set access = 'edit' where id = tests.id('yp/family');
select tests.act_as('family');
select tests.expect_refused('document_updates', 'insert',
  'family appends directly after sw gave edit access',
  $$insert into public.document_updates (document_id, author_id, update)
    values (tests.id('doc:yp_care_plan'), (select auth.uid()), '\x01')$$);
select tests.act_as('sw');
delete from public.circle_members where id = tests.id('yp/family');
select tests.act_as('family');
select tests.expect_visible_keyed('document_updates', '');
select tests.expect_refused('document_updates', 'insert', 'family appends after removal',
  $$insert into public.document_updates (document_id, author_id, update)
    values (tests.id('doc:yp_care_plan'), (select auth.uid()), '\x01')$$);

-- Sharing "my story": someone it is shared with reads its edits but never appends one; when the
-- share stops, the edits are hidden again.
select tests.stop_acting();
select tests.create_document_shares_cast();
select tests.act_as('advocate');
select tests.expect_visible_keyed('document_updates',
  'upd:yp_care_plan/1 upd:yp_care_plan/2 upd:yp_care_plan/3 upd:yp_story/1');
select tests.expect_refused('document_updates', 'insert', 'advocate appends to yp''s story shared to view',
  $$insert into public.document_updates (document_id, author_id, update)
    values (tests.id('doc:yp_story'), (select auth.uid()), '\x01')$$);
select tests.act_as('yp');
delete from public.document_shares where id = tests.id('share:yp_story/advocate');
select tests.act_as('advocate');
select tests.expect_visible_keyed('document_updates',
  'upd:yp_care_plan/1 upd:yp_care_plan/2 upd:yp_care_plan/3');
