-- RLS matrix for public.document_snapshots, and compaction through private.compact_document, the
-- only way a snapshot is written: by the collab service alone (migration 20261203001200), never
-- by a person, whatever their access.
-- The cast is described in test-helpers/cast.sql (create_cast, create_document_cast); how to read a matrix
-- row, in test-helpers/helpers.sql.
select tests.create_cast();
select tests.create_document_cast();

select tests.matrix_select_keyed('document_snapshots', $$
  anon         -
  yp           snap:yp_care_plan snap:yp_story
  sw           snap:yp_care_plan
  family       snap:yp_care_plan
  outside_sw   snap:yp2_care_plan
  other_la_sw  snap:other_yp_pathway
  advocate     snap:yp_care_plan
  admin        -
$$);

-- Nobody writes snapshots directly, not even an editor (the upsert would also work on a document
-- without one, so the refusal does not rest on the existing row).
select tests.matrix('document_snapshots', 'insert', 'write a snapshot of yp''s care plan directly',
$$insert into public.document_snapshots (document_id, state, through_seq)
  values (tests.id('doc:yp_care_plan'), '\x02', 3)
  on conflict (document_id) do update set state = excluded.state,
    through_seq = excluded.through_seq$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_snapshots', 'update', 'overwrite yp''s care plan snapshot',
$$update public.document_snapshots set state = '\x02'
  where document_id = tests.id('doc:yp_care_plan')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_snapshots', 'update', 'wind back yp''s story snapshot',
$$update public.document_snapshots set through_seq = 0
  where document_id = tests.id('doc:yp_story')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_snapshots', 'delete', 'delete yp''s care plan snapshot',
$$delete from public.document_snapshots where document_id = tests.id('doc:yp_care_plan')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- Compaction: refused (42501) to every person, editors and the young person too ----------------
-- Only the collab service may call private.compact_document, with a snapshot it built from the
-- stored log (tests/db/content-writers.test.ts compacts as that role).
select tests.act_as('sw');
select tests.expect_sqlstate('document_snapshots', 'compact',
  'sw (edit) compacts yp''s care plan',
  $$select private.compact_document(tests.id('doc:yp_care_plan'), '\x02',
    tests.key('upd:yp_care_plan/3')::bigint,
    gen_random_uuid(), 1)$$, '42501');
select tests.act_as('yp');
select tests.expect_sqlstate('document_snapshots', 'compact',
  'yp compacts their story',
  $$select private.compact_document(tests.id('doc:yp_story'), '\x57',
    tests.key('upd:yp_story/1')::bigint,
    gen_random_uuid(), 1)$$, '42501');
select tests.act_as('family');
select tests.expect_sqlstate('document_snapshots', 'compact',
  'family (comment) compacts yp''s care plan',
  $$select private.compact_document(tests.id('doc:yp_care_plan'), '\x02',
    tests.key('upd:yp_care_plan/3')::bigint,
    gen_random_uuid(), 1)$$, '42501');
select tests.act_as('outside_sw');
select tests.expect_sqlstate('document_snapshots', 'compact',
  'outside_sw compacts yp''s care plan',
  $$select private.compact_document(tests.id('doc:yp_care_plan'), '\x02',
    tests.key('upd:yp_care_plan/3')::bigint,
    gen_random_uuid(), 1)$$, '42501');
select tests.act_as('admin');
select tests.expect_sqlstate('document_snapshots', 'compact',
  'admin compacts yp''s care plan',
  $$select private.compact_document(tests.id('doc:yp_care_plan'), '\x02',
    tests.key('upd:yp_care_plan/3')::bigint,
    gen_random_uuid(), 1)$$, '42501');
select tests.act_as('anon');
select tests.expect_sqlstate('document_snapshots', 'compact',
  'anon compacts yp''s care plan',
  $$select private.compact_document(tests.id('doc:yp_care_plan'), '\x02',
    tests.key('upd:yp_care_plan/3')::bigint,
    gen_random_uuid(), 1)$$, '42501');

-- ...and none of those attempts changed anything.
select tests.act_as('sw');
select tests.expect_visible_keyed('document_updates',
  'upd:yp_care_plan/1 upd:yp_care_plan/2 upd:yp_care_plan/3');
select tests.expect_equal('document_snapshots',
  'yp''s care plan snapshot after refused compactions',
  $$(select encode(state, 'hex') from public.document_snapshots
     where document_id = tests.id('doc:yp_care_plan'))$$, '00');
select tests.act_as('yp');
select tests.expect_visible_keyed('document_snapshots', 'snap:yp_care_plan snap:yp_story');
