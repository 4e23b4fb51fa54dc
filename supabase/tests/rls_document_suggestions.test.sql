-- RLS matrix for public.document_suggestions: suggested changes to the young person's own words.
-- Everyone who may see the document sees its suggestions; nobody inserts one as anon or
-- authenticated (the collab service records it for someone who may comment or edit, not the
-- young person, with the words it read at the anchors); only the young person decides, once;
-- nobody deletes a suggestion.
-- Since migration 20261203001200 nobody writes content as anon or authenticated, whatever their
-- access: the collab service does, as its own role, through private functions that still check
-- the person's access (tested as that role in tests/db/content-writers.test.ts).
-- The cast is described in test-helpers/cast.sql and test-helpers/own_words.sql; how to read a matrix row, in test-helpers/helpers.sql.
select tests.create_cast();
select tests.create_document_cast();
select tests.create_document_shares_cast();
select tests.create_own_words_cast();

select tests.matrix_select('document_suggestions', $$
  anon         -
  yp           sug:family/plan sug:sw/plan/declined sug:family/story
  sw           sug:family/plan sug:sw/plan/declined              -- the story is not shared with sw
  family       sug:family/plan sug:sw/plan/declined sug:family/story
  outside_sw   sug:outside_sw/yp2
  other_la_sw  -
  advocate     sug:family/plan sug:sw/plan/declined sug:family/story
  admin        -
$$);

-- insert -----------------------------------------------------------------------------------------
select tests.matrix('document_suggestions', 'insert', 'suggest a change on yp''s care plan',
$$insert into public.document_suggestions (document_id, author_id, anchor_start, anchor_end,
    original_text, suggested_text)
  values (tests.id('doc:yp_care_plan'), (select auth.uid()), '\x00', '\x01', 'a', 'b')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_suggestions', 'insert', 'suggest on yp''s story',
$$insert into public.document_suggestions (document_id, author_id, anchor_start, anchor_end,
    original_text, suggested_text)
  values (tests.id('doc:yp_story'), (select auth.uid()), '\x00', '\x01', '', 'Nan''s dog Biscuit')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_suggestions', 'insert', 'suggest on yp''s care plan in family''s name',
$$insert into public.document_suggestions (document_id, author_id, anchor_start, anchor_end,
    original_text, suggested_text)
  values (tests.id('doc:yp_care_plan'), tests.id('family'), '\x00', '\x01', 'a', 'b')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- update: only yp decides, once -------------------------------------------------------------------
select tests.matrix('document_suggestions', 'update', 'decline family''s suggestion on the plan',
$$update public.document_suggestions
  set status = 'declined', decided_by = (select auth.uid()), decided_at = now()
  where id = tests.id('sug:family/plan')$$, $$
  anon         refused
  yp           1
  sw           refused    -- yp's words: yp decides
  family       refused    -- not even on their own suggestion
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_suggestions', 'update', 'accept the already declined suggestion',
$$update public.document_suggestions
  set status = 'accepted', decided_by = (select auth.uid()), decided_at = now()
  where id = tests.id('sug:sw/plan/declined')$$, $$
  anon         refused
  yp           refused    -- decided once, kept
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_suggestions', 'update', 'rewrite the suggested words',
$$update public.document_suggestions set suggested_text = 'something else'
  where id = tests.id('sug:family/plan')$$, $$
  anon         refused
  yp           refused    -- only the decision columns may change
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_suggestions', 'update', 'decide outside_sw''s suggestion on yp2''s plan',
$$update public.document_suggestions
  set status = 'accepted', decided_by = (select auth.uid()), decided_at = now()
  where id = tests.id('sug:outside_sw/yp2')$$, $$
  anon         refused
  yp           refused    -- not yp's words
  sw           refused
  family       refused
  outside_sw   refused    -- yp2 decides, not their social worker
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- delete: kept ------------------------------------------------------------------------------------
select tests.matrix('document_suggestions', 'delete', 'remove family''s suggestion',
$$delete from public.document_suggestions where id = tests.id('sug:family/plan')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);
