-- RLS matrix for public.document_provenance: runs of words someone else's editor moved, with who
-- wrote them (migration 20261205000100). Everyone who may see a document sees them; nobody
-- records, changes or removes one as anon or authenticated, whatever their access: only the
-- collab service records them, as its own role, through
-- private.record_provenance in the transaction of the edit that moved them (tested as that role
-- in tests/db/content-writers.test.ts and tests/collab/own-words.test.ts).
-- The cast is described in test-helpers/cast.sql and test-helpers/own_words.sql; how to read a matrix row, in test-helpers/helpers.sql.
select tests.create_cast();
select tests.create_document_cast();
select tests.create_document_shares_cast();
select tests.create_own_words_cast();

-- Fixtures, keyed by clock (unique here): yp's words moved by sw's client on the plan, sw's words
-- moved by yp's client on the story, outside_sw's words on yp2's plan.
select tests.add_document_provenance('moved:yp/plan', 'doc:yp_care_plan', 102, 7001, 'yp');
select tests.add_document_provenance('moved:sw/story', 'doc:yp_story', 103, 7002, 'sw');
select tests.add_document_provenance('moved:outside_sw/yp2', 'doc:yp2_care_plan', 201, 7003, 'outside_sw');

select tests.matrix_select_keyed('document_provenance', $$
  anon         -
  yp           moved:yp/plan moved:sw/story
  sw           moved:yp/plan
  family       moved:yp/plan moved:sw/story   -- the story is shared with them
  outside_sw   moved:outside_sw/yp2
  other_la_sw  -
  advocate     moved:yp/plan moved:sw/story   -- shared with them to read
  admin        -
$$);

-- insert -----------------------------------------------------------------------------------------
select tests.matrix('document_provenance', 'insert', 'record moved words on yp''s care plan',
$$insert into public.document_provenance (document_id, client_id, clock, length, writer_id)
  values (tests.id('doc:yp_care_plan'), 900, 8001, 5, tests.id('sw'))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_provenance', 'insert', 'record moved words on yp''s story',
$$insert into public.document_provenance (document_id, client_id, clock, length, writer_id)
  values (tests.id('doc:yp_story'), 903, 8002, 5, null)$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- update and delete: a record is for good --------------------------------------------------------
select tests.matrix('document_provenance', 'update', 'give yp''s moved words to sw',
$$update public.document_provenance set writer_id = tests.id('sw') where clock = 7001$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_provenance', 'delete', 'forget who wrote moved words',
$$delete from public.document_provenance where clock = 7001$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);
