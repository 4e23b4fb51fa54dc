-- RLS matrix for public.document_comments: threads and replies on a document. Everyone who may
-- see the document reads its comments; people with comment or edit access comment and reply in
-- their own name, and resolve or reopen threads; replies stay one level deep and on their own
-- document; nobody edits or deletes a comment.
-- The cast is described in test-helpers/cast.sql and test-helpers/comments.sql; how to read a matrix row, in test-helpers/helpers.sql.
select tests.create_cast();
select tests.create_document_cast();
select tests.create_document_shares_cast();
select tests.create_comments_cast();

select tests.matrix_select('document_comments', $$
  anon         -
  yp           comment:sw/plan comment:family/reply comment:advocate/resolved comment:yp/story comment:family/story
  sw           comment:sw/plan comment:family/reply comment:advocate/resolved   -- not yp's story
  family       comment:sw/plan comment:family/reply comment:advocate/resolved comment:yp/story comment:family/story
  outside_sw   comment:outside_sw/yp2
  other_la_sw  -
  advocate     comment:sw/plan comment:family/reply comment:advocate/resolved comment:yp/story comment:family/story
  admin        -
$$);

-- insert -----------------------------------------------------------------------------------------
select tests.matrix('document_comments', 'insert', 'start a thread on yp''s care plan',
$$insert into public.document_comments (document_id, author_id, body)
  values (tests.id('doc:yp_care_plan'), (select auth.uid()), 'Can we talk about weekends?')$$, $$
  anon         refused
  yp           1
  sw           1
  family       1          -- comment access
  outside_sw   refused
  other_la_sw  refused
  advocate     1          -- comment access
  admin        refused
$$);

select tests.matrix('document_comments', 'insert', 'start a thread on yp''s story',
$$insert into public.document_comments (document_id, author_id, body)
  values (tests.id('doc:yp_story'), (select auth.uid()), 'I remember that day too')$$, $$
  anon         refused
  yp           1
  sw           refused    -- not shared with them
  family       1          -- shared to comment
  outside_sw   refused
  other_la_sw  refused
  advocate     refused    -- shared to read only
  admin        refused
$$);

select tests.matrix('document_comments', 'insert', 'reply to sw''s thread',
$$insert into public.document_comments (document_id, thread_id, author_id, body)
  values (tests.id('doc:yp_care_plan'), tests.id('comment:sw/plan'), (select auth.uid()), 'Yes')$$, $$
  anon         refused
  yp           1
  sw           1
  family       1
  outside_sw   refused
  other_la_sw  refused
  advocate     1
  admin        refused
$$);

select tests.matrix('document_comments', 'insert', 'reply to a reply',
$$insert into public.document_comments (document_id, thread_id, author_id, body)
  values (tests.id('doc:yp_care_plan'), tests.id('comment:family/reply'), (select auth.uid()),
    'Threads are one level deep')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_comments', 'insert', 'reply on yp''s story to a thread of the plan',
$$insert into public.document_comments (document_id, thread_id, author_id, body)
  values (tests.id('doc:yp_story'), tests.id('comment:sw/plan'), (select auth.uid()), 'Wrong place')$$, $$
  anon         refused
  yp           refused    -- a reply stays on its thread's document
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_comments', 'insert', 'comment on yp''s care plan as sw',
$$insert into public.document_comments (document_id, author_id, body)
  values (tests.id('doc:yp_care_plan'), tests.id('sw'), 'Signed, sw')$$, $$
  anon         refused
  yp           refused    -- never in someone else's name
  sw           1
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- update: resolve and reopen, nothing else --------------------------------------------------------
select tests.matrix('document_comments', 'update', 'resolve sw''s thread',
$$update public.document_comments set resolved_at = now(), resolved_by = (select auth.uid())
  where id = tests.id('comment:sw/plan')$$, $$
  anon         refused
  yp           1
  sw           1
  family       1
  outside_sw   refused
  other_la_sw  refused
  advocate     1
  admin        refused
$$);

select tests.matrix('document_comments', 'update', 'resolve sw''s thread in sw''s name',
$$update public.document_comments set resolved_at = now(), resolved_by = tests.id('sw')
  where id = tests.id('comment:sw/plan')$$, $$
  anon         refused
  yp           refused
  sw           1
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_comments', 'update', 'reopen the resolved thread',
$$update public.document_comments set resolved_at = null, resolved_by = null
  where id = tests.id('comment:advocate/resolved')$$, $$
  anon         refused
  yp           1
  sw           1
  family       1
  outside_sw   refused
  other_la_sw  refused
  advocate     1
  admin        refused
$$);

-- (Resolving a reply is refused by the table itself: check document_comments_replies_plain.)

select tests.matrix('document_comments', 'update', 'rewrite sw''s comment',
$$update public.document_comments set body = 'Something else'
  where id = tests.id('comment:sw/plan')$$, $$
  anon         refused
  yp           refused
  sw           refused    -- not even the author: comments are part of the record
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- delete: kept ------------------------------------------------------------------------------------
select tests.matrix('document_comments', 'delete', 'remove sw''s comment',
$$delete from public.document_comments where id = tests.id('comment:sw/plan')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);
