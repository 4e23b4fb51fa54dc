-- RLS matrix for public.document_shares: a young person shares their "my story" with people in
-- their circle, one person at a time. Only the young person who owns the story manages its
-- shares; people see the shares that concern them; nobody else sees any. What a share lets the
-- person do with the story (read it, never write in it) is checked at the end of
-- rls_documents.test.sql and rls_document_updates.test.sql, and through private.document_access
-- below. The cast is described in test-helpers/cast.sql (create_cast, create_document_cast,
-- create_document_shares_cast); how to read a matrix row, in test-helpers/helpers.sql.
select tests.create_cast();
select tests.create_document_cast();
select tests.create_document_shares_cast();

select tests.matrix_select('document_shares', $$
  anon         -
  yp           share:yp_story/family share:yp_story/advocate
  sw           -                  -- not shared with sw, and never another person's shares
  family       share:yp_story/family
  outside_sw   share:yp2_story/outside_sw
  other_la_sw  -
  advocate     share:yp_story/advocate
  admin        -
$$);

-- insert -----------------------------------------------------------------------------------------
select tests.matrix('document_shares', 'insert', 'share yp''s story with sw',
$$insert into public.document_shares (document_id, person_id, access, shared_by)
  values (tests.id('doc:yp_story'), tests.id('sw'), 'view', (select auth.uid()))$$, $$
  anon         refused
  yp           1
  sw           refused    -- not even with themselves: the story is yp's to share
  family       refused    -- shared with them, but they do not pass it on
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_shares', 'insert', 'share yp''s story with outside_sw (not in yp''s circle)',
$$insert into public.document_shares (document_id, person_id, access, shared_by)
  values (tests.id('doc:yp_story'), tests.id('outside_sw'), 'view', (select auth.uid()))$$, $$
  anon         refused
  yp           refused    -- only with people in their circle
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_shares', 'insert', 'share yp''s care plan with sw',
$$insert into public.document_shares (document_id, person_id, access, shared_by)
  values (tests.id('doc:yp_care_plan'), tests.id('sw'), 'view', (select auth.uid()))$$, $$
  anon         refused
  yp           refused    -- plans go by circle access, not shares
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_shares', 'insert', 'share yp''s story with sw in yp''s name',
$$insert into public.document_shares (document_id, person_id, access, shared_by)
  values (tests.id('doc:yp_story'), tests.id('sw'), 'view', tests.id('yp'))$$, $$
  anon         refused
  yp           1
  sw           refused    -- shared_by must be whoever shares it
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_shares', 'insert', 'share yp''s story with sw in sw''s name',
$$insert into public.document_shares (document_id, person_id, access, shared_by)
  values (tests.id('doc:yp_story'), tests.id('sw'), 'view', tests.id('sw'))$$, $$
  anon         refused
  yp           refused    -- shared_by is not yp
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- A share never gives edit access: the story stays in the young person's own words.
select tests.act_as('yp');
select tests.expect_sqlstate('document_shares', 'insert', 'share yp''s story with sw to edit',
  $$insert into public.document_shares (document_id, person_id, access, shared_by)
    values (tests.id('doc:yp_story'), tests.id('sw'), 'edit', (select auth.uid()))$$, '23514');
select tests.expect_sqlstate('document_shares', 'update', 'let family edit yp''s story',
  $$update public.document_shares set access = 'edit' where id = tests.id('share:yp_story/family')$$,
  '23514');

-- update -----------------------------------------------------------------------------------------
select tests.matrix('document_shares', 'update', 'family may only read yp''s story now',
$$update public.document_shares set access = 'view' where id = tests.id('share:yp_story/family')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused    -- not even their own share
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_shares', 'update', 'hand family''s share of yp''s story to sw',
$$update public.document_shares set person_id = tests.id('sw')
  where id = tests.id('share:yp_story/family')$$, $$
  anon         refused
  yp           refused    -- a share is for one person: stop it and share again instead
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_shares', 'update', 'move family''s share to yp''s care plan',
$$update public.document_shares set document_id = tests.id('doc:yp_care_plan')
  where id = tests.id('share:yp_story/family')$$, $$
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
select tests.matrix('document_shares', 'delete', 'stop sharing yp''s story with family',
$$delete from public.document_shares where id = tests.id('share:yp_story/family')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_shares', 'delete', 'stop sharing yp2''s story with outside_sw',
$$delete from public.document_shares where id = tests.id('share:yp2_story/outside_sw')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- What a share gives, asked as the collab server asks ------------------------------------------
select tests.act_as('family');
select tests.expect_equal('document_shares', 'family''s access to yp''s story (shared to comment)',
  $$private.document_access(tests.id('doc:yp_story'))$$, 'comment');
select tests.expect_equal('document_shares', 'family''s access to yp''s care plan is unchanged',
  $$private.document_access(tests.id('doc:yp_care_plan'))$$, 'comment');
select tests.act_as('advocate');
select tests.expect_equal('document_shares', 'advocate''s access to yp''s story (shared to view)',
  $$private.document_access(tests.id('doc:yp_story'))$$, 'view');
select tests.act_as('sw');
select tests.expect_equal('document_shares', 'sw''s access to yp''s story (not shared)',
  $$private.document_access(tests.id('doc:yp_story'))$$, 'none');
select tests.expect_equal('document_shares', 'sw''s access to yp''s care plan is unchanged',
  $$private.document_access(tests.id('doc:yp_care_plan'))$$, 'edit');
select tests.act_as('yp');
select tests.expect_equal('document_shares', 'yp''s access to their own story',
  $$private.document_access(tests.id('doc:yp_story'))$$, 'edit');
select tests.act_as('outside_sw');
select tests.expect_equal('document_shares', 'outside_sw''s access to yp2''s story',
  $$private.document_access(tests.id('doc:yp2_story'))$$, 'view');
select tests.expect_equal('document_shares', 'outside_sw''s access to yp''s story',
  $$private.document_access(tests.id('doc:yp_story'))$$, 'none');

-- Sharing and stopping take effect at once.
select tests.act_as('yp');
insert into public.document_shares (document_id, person_id, access, shared_by)
values (tests.id('doc:yp_story'), tests.id('sw'), 'view', tests.id('yp'));
select tests.act_as('sw');
select tests.expect_equal('document_shares', 'sw''s access to yp''s story once shared',
  $$private.document_access(tests.id('doc:yp_story'))$$, 'view');
select tests.act_as('yp');
delete from public.document_shares
where document_id = tests.id('doc:yp_story') and person_id = tests.id('sw');
select tests.act_as('sw');
select tests.expect_equal('document_shares', 'sw''s access to yp''s story after yp stopped sharing',
  $$private.document_access(tests.id('doc:yp_story'))$$, 'none');

-- A share counts only while the person is in the circle: sw removes family from yp's circle.
select tests.act_as('sw');
delete from public.circle_members where id = tests.id('yp/family');
select tests.act_as('family');
select tests.expect_equal('document_shares', 'family''s access to yp''s story after leaving the circle',
  $$private.document_access(tests.id('doc:yp_story'))$$, 'none');

-- Live sessions close when a share is removed or changed: as for circle_members
-- (rls_documents.test.sql), the NOTIFY itself cannot be observed in a rolled-back transaction,
-- so what is checked is that the trigger exists, fires after every update and delete, for each
-- row, and calls the function that notifies channel document_access_changed.
select tests.act_as('yp');
select tests.expect_empty(
  'the document_shares trigger that closes live sessions is missing or changed', $$
  select 'no enabled after update or delete, for each row, trigger calling '
    || 'private.notify_share_changed'
  where not exists (
    select from pg_catalog.pg_trigger t
    join pg_catalog.pg_class c on c.oid = t.tgrelid
    join pg_catalog.pg_namespace cn on cn.oid = c.relnamespace
    join pg_catalog.pg_proc p on p.oid = t.tgfoid
    join pg_catalog.pg_namespace pn on pn.oid = p.pronamespace
    where cn.nspname = 'public' and c.relname = 'document_shares'
      and pn.nspname = 'private' and p.proname = 'notify_share_changed'
      and not t.tgisinternal and t.tgenabled = 'O'
      and t.tgtype & 1 = 1
      and t.tgtype & (2 | 64) = 0
      and t.tgtype & (8 | 16) = (8 | 16)
      and cardinality(t.tgattr::int2[]) = 0
      and t.tgqual is null
  )
  union all
  select 'private.notify_share_changed does not notify document_access_changed'
  where not exists (
    select from pg_catalog.pg_proc p
    join pg_catalog.pg_namespace pn on pn.oid = p.pronamespace
    where pn.nspname = 'private' and p.proname = 'notify_share_changed'
      and p.prosrc ~ 'pg_notify\(\s*''document_access_changed''\s*,\s*young_person::text\s*\)'
  )
$$);
