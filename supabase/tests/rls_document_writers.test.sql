-- RLS matrix for public.document_writers: which Yjs client id belongs to whom, the source of "in
-- my own words". Everyone who may see a document sees who wrote it; nobody binds, changes or
-- removes a binding as anon or authenticated (the collab service binds a client id to the editor
-- whose edit first uses it, and the template's to the starter, through private functions).
-- Since migration 20261203001200 nobody writes content as anon or authenticated, whatever their
-- access: the collab service does, as its own role, through private functions that still check
-- the person's access (tested as that role in tests/db/content-writers.test.ts).
-- The cast is described in test-helpers/cast.sql and test-helpers/own_words.sql; how to read a matrix row, in test-helpers/helpers.sql.
select tests.create_cast();
select tests.create_document_cast();
select tests.create_document_shares_cast();
select tests.create_own_words_cast();

select tests.matrix_select_keyed('document_writers', $$
  anon         -
  yp           writer:yp/plan writer:sw/template writer:yp/story
  sw           writer:yp/plan writer:sw/template
  family       writer:yp/plan writer:sw/template writer:yp/story   -- the story is shared with them
  outside_sw   writer:outside_sw/yp2
  other_la_sw  -
  advocate     writer:yp/plan writer:sw/template writer:yp/story   -- shared with them to read
  admin        -
$$);

-- insert -----------------------------------------------------------------------------------------
select tests.matrix('document_writers', 'insert', 'bind a client on yp''s care plan to yourself',
$$insert into public.document_writers (document_id, client_id, writer_id)
  values (tests.id('doc:yp_care_plan'), 900, (select auth.uid()))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_writers', 'insert', 'bind a client on yp''s care plan to yp',
$$insert into public.document_writers (document_id, client_id, writer_id)
  values (tests.id('doc:yp_care_plan'), 901, tests.id('yp'))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_writers', 'insert', 'bind a template client on yp''s care plan',
$$insert into public.document_writers (document_id, client_id, writer_id, from_template)
  values (tests.id('doc:yp_care_plan'), 902, (select auth.uid()), true)$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_writers', 'insert', 'bind a client on yp''s story to yourself',
$$insert into public.document_writers (document_id, client_id, writer_id)
  values (tests.id('doc:yp_story'), 903, (select auth.uid()))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- update and delete: a binding is for good --------------------------------------------------------
select tests.matrix('document_writers', 'update', 'move yp''s words to sw',
$$update public.document_writers set writer_id = tests.id('sw') where client_id = 101$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_writers', 'delete', 'forget who wrote yp''s words',
$$delete from public.document_writers where client_id = 101$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);
