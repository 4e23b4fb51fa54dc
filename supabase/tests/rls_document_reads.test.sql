-- RLS matrix for public.document_reads: the append-only audit of every read of a child's document
-- (who, what, when, why). The reader records their own read of a document they may read; the
-- young person sees every read of their documents; a reader sees their own; nobody else sees any;
-- nobody changes or deletes one.
-- The cast is described in test-helpers/cast.sql (create_cast, create_document_cast); how to read a matrix
-- row, in test-helpers/helpers.sql.
select tests.create_cast();
select tests.create_document_cast();

select tests.matrix_select_keyed('document_reads', $$
  anon         -
  yp           read:sw/yp_care_plan read:family/yp_care_plan read:advocate/yp_care_plan
  yp           read:yp/yp_story
  sw           read:sw/yp_care_plan           -- not who else read the plan
  family       read:family/yp_care_plan
  outside_sw   read:outside_sw/yp2_care_plan
  other_la_sw  read:other_la_sw/other_yp_pathway
  advocate     read:advocate/yp_care_plan
  admin        -
$$);

-- insert -----------------------------------------------------------------------------------------
select tests.matrix('document_reads', 'insert', 'record your read of yp''s care plan',
$$insert into public.document_reads (document_id, young_person_id, reader_id, purpose)
  values (tests.id('doc:yp_care_plan'), tests.id('yp'), (select auth.uid()), 'view')$$, $$
  anon         refused
  yp           1
  sw           1
  family       1
  outside_sw   refused    -- may not read it, so may not record reading it
  other_la_sw  refused
  advocate     1
  admin        refused
$$);

select tests.matrix('document_reads', 'insert', 'record your read of yp''s story',
$$insert into public.document_reads (document_id, young_person_id, reader_id, purpose)
  values (tests.id('doc:yp_story'), tests.id('yp'), (select auth.uid()), 'view')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_reads', 'insert', 'record your read of yp2''s care plan',
$$insert into public.document_reads (document_id, young_person_id, reader_id, purpose)
  values (tests.id('doc:yp2_care_plan'), tests.id('yp2'), (select auth.uid()), 'print')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   1
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- A read is never forged: not in someone else's name, not filed under another young person.
select tests.matrix('document_reads', 'insert',
  'record a read of yp''s care plan in family''s name',
$$insert into public.document_reads (document_id, young_person_id, reader_id, purpose)
  values (tests.id('doc:yp_care_plan'), tests.id('yp'), tests.id('family'), 'view')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       1
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_reads', 'insert', 'record your read of yp''s care plan under yp2',
$$insert into public.document_reads (document_id, young_person_id, reader_id, purpose)
  values (tests.id('doc:yp_care_plan'), tests.id('yp2'), (select auth.uid()), 'view')$$, $$
  anon         refused
  yp           refused
  sw           refused    -- yp2 would then see a read of a document that is not theirs
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- update and delete: the audit is append-only for everyone, the young person included ----------
select tests.matrix('document_reads', 'update', 'change why sw read yp''s care plan',
$$update public.document_reads set purpose = 'view'
  where id = tests.key('read:sw/yp_care_plan')::bigint$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_reads', 'update', 'backdate family''s read of yp''s care plan',
$$update public.document_reads set read_at = now() - interval '1 year'
  where id = tests.key('read:family/yp_care_plan')::bigint$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_reads', 'delete', 'delete sw''s read of yp''s care plan',
$$delete from public.document_reads where id = tests.key('read:sw/yp_care_plan')::bigint$$, $$
  anon         refused
  yp           refused
  sw           refused    -- not even the reader
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_reads', 'delete', 'delete yp''s read of their story',
$$delete from public.document_reads where id = tests.key('read:yp/yp_story')::bigint$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- Removed from the circle, family can no longer record (so no longer make) a read of the plan,
-- but still sees the reads they made; yp still sees them too.
select tests.act_as('sw');
delete from public.circle_members where id = tests.id('yp/family');
select tests.act_as('family');
select tests.expect_refused('document_reads', 'insert', 'family records a read after removal',
  $$insert into public.document_reads (document_id, young_person_id, reader_id, purpose)
    values (tests.id('doc:yp_care_plan'), tests.id('yp'), (select auth.uid()), 'view')$$);
select tests.expect_visible_keyed('document_reads', 'read:family/yp_care_plan');
select tests.act_as('yp');
select tests.expect_visible_keyed('document_reads',
  'read:sw/yp_care_plan read:family/yp_care_plan read:advocate/yp_care_plan read:yp/yp_story');
