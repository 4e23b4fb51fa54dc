-- RLS matrix for public.document_snapshots, and compaction through private.compact_document, the
-- only way a snapshot is written: by an editor, replacing the log up to `through`, only forwards.
-- The cast is described in _cast.sql (create_cast, create_document_cast); how to read a matrix
-- row, in _helpers.sql.
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
$$insert into public.document_snapshots (document_id, state, through_update_id)
  values (tests.id('doc:yp_care_plan'), '\x02', tests.key('upd:yp_care_plan/3')::bigint)
  on conflict (document_id) do update set state = excluded.state,
    through_update_id = excluded.through_update_id$$, $$
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
$$update public.document_snapshots set through_update_id = 0
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

-- Compaction: refused (42501) for anyone without edit access -----------------------------------
select tests.act_as('family');
select tests.expect_sqlstate('document_snapshots', 'compact',
  'family (comment) compacts yp''s care plan',
  $$select private.compact_document(tests.id('doc:yp_care_plan'), '\x02',
    tests.key('upd:yp_care_plan/3')::bigint)$$, '42501');
select tests.act_as('advocate');
select tests.expect_sqlstate('document_snapshots', 'compact',
  'advocate (comment) compacts yp''s care plan',
  $$select private.compact_document(tests.id('doc:yp_care_plan'), '\x02',
    tests.key('upd:yp_care_plan/3')::bigint)$$, '42501');
select tests.act_as('outside_sw');
select tests.expect_sqlstate('document_snapshots', 'compact',
  'outside_sw compacts yp''s care plan',
  $$select private.compact_document(tests.id('doc:yp_care_plan'), '\x02',
    tests.key('upd:yp_care_plan/3')::bigint)$$, '42501');
select tests.act_as('admin');
select tests.expect_sqlstate('document_snapshots', 'compact',
  'admin compacts yp''s care plan',
  $$select private.compact_document(tests.id('doc:yp_care_plan'), '\x02',
    tests.key('upd:yp_care_plan/3')::bigint)$$, '42501');
select tests.act_as('sw');
select tests.expect_sqlstate('document_snapshots', 'compact',
  'sw compacts yp''s story',
  $$select private.compact_document(tests.id('doc:yp_story'), '\x02',
    tests.key('upd:yp_story/1')::bigint)$$, '42501');
select tests.expect_sqlstate('document_snapshots', 'compact',
  'sw compacts a document that does not exist',
  $$select private.compact_document(gen_random_uuid(), '\x02', 1)$$, '42501');
select tests.act_as('anon');
select tests.expect_sqlstate('document_snapshots', 'compact',
  'anon compacts yp''s care plan',
  $$select private.compact_document(tests.id('doc:yp_care_plan'), '\x02',
    tests.key('upd:yp_care_plan/3')::bigint)$$, '42501');

-- ...and none of those attempts changed anything.
select tests.act_as('sw');
select tests.expect_visible_keyed('document_updates',
  'upd:yp_care_plan/1 upd:yp_care_plan/2 upd:yp_care_plan/3');
select tests.expect_equal('document_snapshots',
  'yp''s care plan snapshot before compaction',
  $$(select encode(state, 'hex') from public.document_snapshots
     where document_id = tests.id('doc:yp_care_plan'))$$, '00');

-- An editor compacts: the log up to `through` is replaced by the snapshot ----------------------
-- (These steps are not rolled back: each builds on the one before.)
select tests.expect_equal('document_snapshots',
  'sw compacts yp''s care plan through its 2nd edit',
  $$private.compact_document(tests.id('doc:yp_care_plan'), '\xc0de',
    tests.key('upd:yp_care_plan/2')::bigint)$$, 'true');
select tests.expect_visible_keyed('document_updates', 'upd:yp_care_plan/3');
select tests.expect_equal('document_snapshots',
  'yp''s care plan snapshot after compaction',
  $$(select encode(state, 'hex') || ' through ' || through_update_id from public.document_snapshots
     where document_id = tests.id('doc:yp_care_plan'))$$,
  'c0de through ' || tests.key('upd:yp_care_plan/2'));

-- Only forwards: an older or equal `through` changes nothing and says so.
select tests.expect_equal('document_snapshots',
  'sw compacts yp''s care plan again through its 1st edit',
  $$private.compact_document(tests.id('doc:yp_care_plan'), '\x01de',
    tests.key('upd:yp_care_plan/1')::bigint)$$, 'false');
select tests.expect_equal('document_snapshots',
  'sw compacts yp''s care plan again through its 2nd edit',
  $$private.compact_document(tests.id('doc:yp_care_plan'), '\x02de',
    tests.key('upd:yp_care_plan/2')::bigint)$$, 'false');
-- `through` must be an edit of this document still in the log, or a later edit would be hidden.
select tests.expect_equal('document_snapshots',
  'sw compacts yp''s care plan through another document''s edit',
  $$private.compact_document(tests.id('doc:yp_care_plan'), '\x03de',
    tests.key('upd:other_yp_pathway/1')::bigint)$$, 'false');
select tests.expect_equal('document_snapshots',
  'sw compacts yp''s care plan through an edit not made yet',
  $$private.compact_document(tests.id('doc:yp_care_plan'), '\x04de',
    tests.key('upd:yp_care_plan/3')::bigint + 1000)$$, 'false');
select tests.expect_equal('document_snapshots',
  'yp''s care plan snapshot after refused compactions',
  $$(select encode(state, 'hex') || ' through ' || through_update_id from public.document_snapshots
     where document_id = tests.id('doc:yp_care_plan'))$$,
  'c0de through ' || tests.key('upd:yp_care_plan/2'));
select tests.expect_visible_keyed('document_updates', 'upd:yp_care_plan/3');

-- The young person is an editor of their own documents, the story included.
select tests.act_as('yp');
select tests.expect_equal('document_snapshots',
  'yp compacts their story',
  $$private.compact_document(tests.id('doc:yp_story'), '\x57',
    tests.key('upd:yp_story/1')::bigint)$$,
  'true');
select tests.expect_visible_keyed('document_updates', 'upd:yp_care_plan/3');
select tests.expect_visible_keyed('document_snapshots', 'snap:yp_care_plan snap:yp_story');
