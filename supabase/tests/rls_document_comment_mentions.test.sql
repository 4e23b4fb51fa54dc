-- RLS matrix for public.document_comment_mentions: who a comment lets know. People see mentions
-- of them and, on plans, mentions on comments they can read; on a story (who it is shared with is
-- the young person's to know) only the young person, the author and the person mentioned do. A
-- comment's author mentions only people who can read the document (on a story, unless they are
-- the young person, only the young person); each person marks their own mentions as seen.
-- The cast is described in test-helpers/cast.sql and test-helpers/comments.sql; how to read a matrix row, in test-helpers/helpers.sql.
select tests.create_cast();
select tests.create_document_cast();
select tests.create_document_shares_cast();
select tests.create_comments_cast();

select tests.matrix_select_keyed('document_comment_mentions', $$
  anon         -
  yp           mention:sw->yp mention:yp->family
  sw           mention:sw->yp                       -- not on yp's story
  family       mention:sw->yp mention:yp->family
  outside_sw   mention:outside_sw->yp2
  other_la_sw  -
  advocate     mention:sw->yp                        -- not who else yp's story is shared with
  admin        -
$$);

-- insert -----------------------------------------------------------------------------------------
select tests.matrix('document_comment_mentions', 'insert', 'mention family on sw''s thread',
$$insert into public.document_comment_mentions (comment_id, person_id)
  values (tests.id('comment:sw/plan'), tests.id('family'))$$, $$
  anon         refused
  yp           refused    -- only the comment's author
  sw           1
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_comment_mentions', 'insert', 'mention outside_sw on sw''s thread',
$$insert into public.document_comment_mentions (comment_id, person_id)
  values (tests.id('comment:sw/plan'), tests.id('outside_sw'))$$, $$
  anon         refused
  yp           refused
  sw           refused    -- outside_sw cannot read yp's plan
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_comment_mentions', 'insert', 'mention sw on yp''s story thread',
$$insert into public.document_comment_mentions (comment_id, person_id)
  values (tests.id('comment:yp/story'), tests.id('sw'))$$, $$
  anon         refused
  yp           refused    -- the story is not shared with sw: a mention would not reach them
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_comment_mentions', 'insert', 'mention advocate on yp''s story thread',
$$insert into public.document_comment_mentions (comment_id, person_id)
  values (tests.id('comment:yp/story'), tests.id('advocate'))$$, $$
  anon         refused
  yp           1          -- shared with the advocate
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_comment_mentions', 'insert', 'mention yp on family''s story thread',
$$insert into public.document_comment_mentions (comment_id, person_id)
  values (tests.id('comment:family/story'), tests.id('yp'))$$, $$
  anon         refused
  yp           refused    -- only the comment's author
  sw           refused
  family       1
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_comment_mentions', 'insert', 'mention advocate on family''s story thread',
$$insert into public.document_comment_mentions (comment_id, person_id)
  values (tests.id('comment:family/story'), tests.id('advocate'))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused    -- the story is shared with the advocate, but that is yp's to know
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- update: only seen_at, only your own ---------------------------------------------------------------
select tests.matrix('document_comment_mentions', 'update', 'mark yp''s mention as seen',
$$update public.document_comment_mentions set seen_at = now()
  where comment_id = tests.id('comment:sw/plan') and person_id = tests.id('yp')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_comment_mentions', 'update', 'move yp''s mention to sw',
$$update public.document_comment_mentions set person_id = tests.id('sw')
  where comment_id = tests.id('comment:sw/plan')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- delete: kept ------------------------------------------------------------------------------------
select tests.matrix('document_comment_mentions', 'delete', 'remove yp''s mention',
$$delete from public.document_comment_mentions where comment_id = tests.id('comment:sw/plan')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);
