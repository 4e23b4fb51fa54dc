-- RLS matrix for public.advocacy_messages: the secure messages between a young person and their
-- advocate. Same readers as the request (see rls_advocacy_requests.test.sql). Advocates write as
-- themselves in open requests of their own service; young people write through
-- private.reply_as_young_person / private.reply_by_reference (rate-limited, see
-- rls_advocacy_anonymous.test.sql). Messages are never edited or deleted.
select tests.create_advocacy_cast();

select tests.matrix_select('advocacy_messages', $$
  anon            -
  yp              msg:yp msg:advocate
  sw              -
  family          -
  outside_sw      -
  other_la_sw     -
  advocate        msg:yp msg:advocate msg:anon
  admin           -
  other_advocate  msg:other
  manager         msg:anon
$$);

select tests.matrix('advocacy_messages', 'insert', 'an advocate''s reply on req:yp',
$$insert into public.advocacy_messages (request_id, author_id, from_young_person, body)
  values (tests.id('req:yp'), (select auth.uid()), false, 'I can meet you on Tuesday.')$$, $$
  anon            refused
  yp              refused    -- young people write through reply_as_young_person
  sw              refused
  family          refused
  outside_sw      refused
  other_la_sw     refused
  advocate        1
  admin           refused
  other_advocate  refused
  manager         refused
$$);

select tests.matrix('advocacy_messages', 'insert', 'a reply on req:other (Otherside)',
$$insert into public.advocacy_messages (request_id, author_id, from_young_person, body)
  values (tests.id('req:other'), (select auth.uid()), false, 'Hello')$$, $$
  anon            refused
  yp              refused
  sw              refused
  family          refused
  outside_sw      refused
  other_la_sw     refused
  advocate        refused
  admin           refused
  other_advocate  1
  manager         refused
$$);

select tests.matrix('advocacy_messages', 'insert', 'a message in req:yp in someone else''s name',
$$insert into public.advocacy_messages (request_id, author_id, from_young_person, body)
  values (tests.id('req:yp'), tests.id('yp'), true, 'Please tell my social worker everything')$$, $$
  anon            refused
  yp              refused
  sw              refused
  family          refused
  outside_sw      refused
  other_la_sw     refused
  advocate        refused    -- never as the young person
  admin           refused
  other_advocate  refused
  manager         refused
$$);

select tests.matrix('advocacy_messages', 'insert', 'a reply on the closed req:closed',
$$insert into public.advocacy_messages (request_id, author_id, from_young_person, body)
  values (tests.id('req:closed'), (select auth.uid()), false, 'One more thing')$$, $$
  anon            refused
  yp              refused
  sw              refused
  family          refused
  outside_sw      refused
  other_la_sw     refused
  advocate        refused
  admin           refused
  other_advocate  refused
  manager         refused
$$);

select tests.matrix('advocacy_messages', 'update', 'edit msg:advocate',
$$update public.advocacy_messages set body = 'Changed' where id = tests.id('msg:advocate')$$, $$
  anon            refused
  yp              refused
  sw              refused
  family          refused
  outside_sw      refused
  other_la_sw     refused
  advocate        refused
  admin           refused
  other_advocate  refused
  manager         refused
$$);

select tests.matrix('advocacy_messages', 'delete', 'delete msg:yp',
$$delete from public.advocacy_messages where id = tests.id('msg:yp')$$, $$
  anon            refused
  yp              refused
  sw              refused
  family          refused
  outside_sw      refused
  other_la_sw     refused
  advocate        refused
  admin           refused
  other_advocate  refused
  manager         refused
$$);

-- A lapsed break-glass reads nothing: bg:expired was on req:yp.
select tests.act_as('manager');
select tests.expect_visible('advocacy_messages', 'msg:anon');
