-- RLS matrix for public.documents: who sees a young person's plans and story, who starts and who
-- renames them. Also: removing someone from the circle takes effect at once, and the trigger that
-- tells the collab server to close live sessions is attached (see the end of this file).
-- The cast is described in test-helpers/cast.sql (create_cast, create_document_cast); how to read a matrix
-- row, in test-helpers/helpers.sql.
select tests.create_cast();
select tests.create_document_cast();

-- select: plans at the circle's access level; "my story" to the young person only; admins manage
-- people, they do not read children's documents.
select tests.matrix_select('documents', $$
  anon         -
  yp           doc:yp_care_plan doc:yp_story
  sw           doc:yp_care_plan              -- never yp's story
  family       doc:yp_care_plan
  outside_sw   doc:yp2_care_plan
  other_la_sw  doc:other_yp_pathway
  advocate     doc:yp_care_plan
  admin        -
$$);

-- insert -----------------------------------------------------------------------------------------
select tests.matrix('documents', 'insert', 'start a care plan for yp',
$$insert into public.documents (young_person_id, kind, title, created_by)
  values (tests.id('yp'), 'care_plan', 'Care plan', (select auth.uid()))$$, $$
  anon         refused
  yp           refused    -- practitioners start plans, not the young person
  sw           1
  family       refused    -- comment access
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused    -- manages people, not plans
$$);

select tests.matrix('documents', 'insert', 'start a pathway plan for yp2',
$$insert into public.documents (young_person_id, kind, title, created_by)
  values (tests.id('yp2'), 'pathway_plan', 'Pathway plan', (select auth.uid()))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   1
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('documents', 'insert', 'start a pathway plan for other_yp (Eastmoor)',
$$insert into public.documents (young_person_id, kind, title, created_by)
  values (tests.id('other_yp'), 'pathway_plan', 'Pathway plan', (select auth.uid()))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  1
  advocate     refused
  admin        refused
$$);

select tests.matrix('documents', 'insert', 'start a care plan for yp in sw''s name',
$$insert into public.documents (young_person_id, kind, title, created_by)
  values (tests.id('yp'), 'care_plan', 'Care plan', tests.id('sw'))$$, $$
  anon         refused
  yp           refused
  sw           1
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused    -- created_by must be whoever starts it
$$);

select tests.matrix('documents', 'insert', 'start a "my story" of your own',
$$insert into public.documents (young_person_id, kind, title, created_by)
  values ((select auth.uid()), 'my_story', 'My story', (select auth.uid()))$$, $$
  anon         refused
  yp           1
  sw           refused    -- only young people have a story here
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('documents', 'insert', 'start a "my story" for yp',
$$insert into public.documents (young_person_id, kind, title, created_by)
  values (tests.id('yp'), 'my_story', 'My story', (select auth.uid()))$$, $$
  anon         refused
  yp           1
  sw           refused    -- a story is the young person's to start, even for their social worker
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('documents', 'insert', 'start a care plan for yourself',
$$insert into public.documents (young_person_id, kind, title, created_by)
  values ((select auth.uid()), 'care_plan', 'Care plan', (select auth.uid()))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- update -----------------------------------------------------------------------------------------
select tests.matrix('documents', 'update', 'rename yp''s care plan',
$$update public.documents set title = 'Renamed', updated_at = now()
  where id = tests.id('doc:yp_care_plan')$$, $$
  anon         refused
  yp           1          -- the young person edits their own documents
  sw           1
  family       refused    -- comment access
  outside_sw   refused
  other_la_sw  refused
  advocate     refused    -- comment access
  admin        refused
$$);

select tests.matrix('documents', 'update', 'rename yp''s story',
$$update public.documents set title = 'Renamed' where id = tests.id('doc:yp_story')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('documents', 'update', 'rename yp2''s care plan',
$$update public.documents set title = 'Renamed' where id = tests.id('doc:yp2_care_plan')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   1
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- A document never changes kind or owner: a story turned into a plan would open it to the circle.
select tests.matrix('documents', 'update', 'turn yp''s story into a care plan',
$$update public.documents set kind = 'care_plan' where id = tests.id('doc:yp_story')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('documents', 'update', 'move yp''s care plan to yp2',
$$update public.documents set young_person_id = tests.id('yp2')
  where id = tests.id('doc:yp_care_plan')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- delete: nobody deletes a child's document through the app.
select tests.matrix('documents', 'delete', 'delete yp''s care plan',
$$delete from public.documents where id = tests.id('doc:yp_care_plan')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('documents', 'delete', 'delete yp''s story',
$$delete from public.documents where id = tests.id('doc:yp_story')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- The access helpers, asked directly (the collab server asks private.document_access) ------------
select tests.act_as('family');
select tests.expect_equal('documents', 'family''s access to yp''s care plan',
  $$private.document_access(tests.id('doc:yp_care_plan'))$$, 'comment');
select tests.expect_equal('documents', 'family''s access to yp''s story',
  $$private.document_access(tests.id('doc:yp_story'))$$, 'none');
select tests.act_as('admin');
select tests.expect_equal('documents', 'admin''s access to yp''s care plan',
  $$private.document_access(tests.id('doc:yp_care_plan'))$$, 'none');
select tests.expect_equal('documents', 'admin''s access to a document that does not exist',
  $$private.document_access(gen_random_uuid())$$, 'none');
select tests.act_as('yp');
select tests.expect_equal('documents', 'yp''s access to their own story',
  $$private.document_access(tests.id('doc:yp_story'))$$, 'edit');
select tests.act_as('sw');
select tests.expect_equal('documents', 'sw''s access to yp''s plans',
  $$private.access_to(tests.id('yp'), 'pathway_plan')$$, 'edit');
select tests.expect_equal('documents', 'sw''s access to yp''s story',
  $$private.access_to(tests.id('yp'), 'my_story')$$, 'none');

-- Access follows the circle, at once -------------------------------------------------------------
-- sw gives family edit access: family may now rename the plan (but still not see the story).
select tests.act_as('sw');
update public.circle_members set access = 'edit' where id = tests.id('yp/family');
select tests.act_as('family');
select tests.expect_allowed('documents', 'update',
  'family renames yp''s care plan after sw gave edit access',
  $$update public.documents set title = 'Our plan' where id = tests.id('doc:yp_care_plan')$$, 1);
select tests.expect_visible('documents', 'doc:yp_care_plan');

-- sw removes family from the circle: the plan is gone for them straight away.
select tests.act_as('sw');
delete from public.circle_members where id = tests.id('yp/family');
select tests.act_as('family');
select tests.expect_visible('documents', '');
select tests.expect_refused('documents', 'update', 'family renames yp''s care plan after removal',
  $$update public.documents set title = 'Still mine?' where id = tests.id('doc:yp_care_plan')$$);

-- Live sessions close on removal: the collab server listens on channel document_access_changed,
-- which a trigger on circle_members notifies. A NOTIFY is only queued when the transaction
-- commits, and these files always roll back, so the notification itself cannot be observed here.
-- What can fail here: the trigger must exist, be enabled, fire after every update and delete of
-- any column (no column list, no WHEN), for each row, and call the function that notifies that
-- channel with the young person's id. (The removal above also proves it runs as a circle manager
-- without error.)
select tests.act_as('sw');
select tests.expect_empty(
  'the circle_members trigger that closes live sessions is missing or changed', $$
  select 'no enabled after update or delete, for each row, trigger calling '
    || 'private.notify_access_changed'
  where not exists (
    select from pg_catalog.pg_trigger t
    join pg_catalog.pg_class c on c.oid = t.tgrelid
    join pg_catalog.pg_namespace cn on cn.oid = c.relnamespace
    join pg_catalog.pg_proc p on p.oid = t.tgfoid
    join pg_catalog.pg_namespace pn on pn.oid = p.pronamespace
    where cn.nspname = 'public' and c.relname = 'circle_members'
      and pn.nspname = 'private' and p.proname = 'notify_access_changed'
      and not t.tgisinternal and t.tgenabled = 'O'
      and t.tgtype & 1 = 1                           -- for each row
      and t.tgtype & (2 | 64) = 0                    -- after (not before, not instead of)
      and t.tgtype & (8 | 16) = (8 | 16)             -- on delete and on update
      and cardinality(t.tgattr::int2[]) = 0          -- of every column
      and t.tgqual is null                           -- no when clause
  )
  union all
  select 'private.notify_access_changed does not notify document_access_changed with the '
    || 'young person''s id'
  where not exists (
    select from pg_catalog.pg_proc p
    join pg_catalog.pg_namespace pn on pn.oid = p.pronamespace
    where pn.nspname = 'private' and p.proname = 'notify_access_changed'
      and p.prosrc ~ ('pg_notify\(\s*''document_access_changed''\s*,\s*'
        || 'coalesce\(\s*old\.young_person_id\s*,\s*new\.young_person_id\s*\)::text\s*\)')
  )
$$);

-- Sharing "my story" (rls_document_shares.test.sql has the shares' own matrix) ---------------------
-- A story shared with someone in the circle is visible to them, read-only; stopping the share, or
-- their leaving the circle, hides it again at once.
select tests.stop_acting();
select tests.create_document_shares_cast();
select tests.act_as('advocate');
select tests.expect_visible('documents', 'doc:yp_care_plan doc:yp_story');
select tests.expect_refused('documents', 'update', 'advocate renames yp''s story shared to view',
  $$update public.documents set title = 'Renamed' where id = tests.id('doc:yp_story')$$);
select tests.act_as('outside_sw');
select tests.expect_visible('documents', 'doc:yp2_care_plan doc:yp2_story');
select tests.act_as('sw');
select tests.expect_visible('documents', 'doc:yp_care_plan');
select tests.act_as('yp');
insert into public.document_shares (document_id, person_id, access, shared_by)
values (tests.id('doc:yp_story'), tests.id('sw'), 'view', tests.id('yp'));
select tests.act_as('sw');
select tests.expect_visible('documents', 'doc:yp_care_plan doc:yp_story');
select tests.expect_refused('documents', 'update', 'sw renames yp''s story shared to view',
  $$update public.documents set title = 'Renamed' where id = tests.id('doc:yp_story')$$);
select tests.act_as('yp');
delete from public.document_shares where id = tests.id('share:yp_story/advocate');
delete from public.document_shares
where document_id = tests.id('doc:yp_story') and person_id = tests.id('sw');
select tests.act_as('sw');
select tests.expect_visible('documents', 'doc:yp_care_plan');
select tests.act_as('advocate');
select tests.expect_visible('documents', 'doc:yp_care_plan');
-- outside_sw leaves yp2's circle (removed as its manager would): yp2's story goes with it.
select tests.stop_acting();
select tests.act_as('outside_sw');
delete from public.circle_members where id = tests.id('yp2/outside_sw');
select tests.expect_visible('documents', '');

-- The app starts a document with insert ... returning id, so a new document must be visible to
-- whoever may start it within that same statement (a select policy that looked the row up again
-- would not see it yet).
select tests.act_as('yp');
select tests.expect_allowed('documents', 'insert', 'yp starts a story and gets its id back',
  $$insert into public.documents (young_person_id, kind, title, created_by)
    values ((select auth.uid()), 'my_story', 'My story', (select auth.uid())) returning id$$, 1);
select tests.act_as('sw');
select tests.expect_allowed('documents', 'insert', 'sw starts a care plan and gets its id back',
  $$insert into public.documents (young_person_id, kind, title, created_by)
    values (tests.id('yp'), 'care_plan', 'Care plan', (select auth.uid())) returning id$$, 1);
