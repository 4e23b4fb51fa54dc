-- RLS matrix for public.advocacy_break_glass: a safeguarding break-glass is opened only by the
-- advocacy service's manager, with a reason, for at most 24 hours; it is never changed or
-- deleted, and every one stays visible to the service's managers (the review list).
select tests.create_advocacy_cast();

select tests.matrix_select('advocacy_break_glass', $$
  anon            -
  yp              -
  sw              -
  family          -
  outside_sw      -
  other_la_sw     -
  advocate        -
  admin           -
  other_advocate  -
  manager         bg:open bg:expired    -- Brightside's, never Otherside's bg:other
$$);

select tests.matrix('advocacy_break_glass', 'insert', 'open a 4-hour break-glass on req:yp',
$$insert into public.advocacy_break_glass (request_id, manager_id, reason, expires_at)
  values (tests.id('req:yp'), (select auth.uid()), 'The advocate reports a risk of serious harm',
    now() + interval '4 hours')$$, $$
  anon            refused
  yp              refused
  sw              refused    -- a social worker cannot break the glass
  family          refused
  outside_sw      refused
  other_la_sw     refused
  advocate        refused
  admin           refused    -- nor the local authority's admin
  other_advocate  refused
  manager         1
$$);

select tests.matrix('advocacy_break_glass', 'insert', 'open a break-glass on Otherside''s req:other',
$$insert into public.advocacy_break_glass (request_id, manager_id, reason, expires_at)
  values (tests.id('req:other'), (select auth.uid()), 'The advocate reports a risk of serious harm',
    now() + interval '4 hours')$$, $$
  anon            refused
  yp              refused
  sw              refused
  family          refused
  outside_sw      refused
  other_la_sw     refused
  advocate        refused
  admin           refused
  other_advocate  refused
  manager         refused    -- another service's request
$$);

select tests.matrix('advocacy_break_glass', 'update', 'extend bg:open by a week',
$$update public.advocacy_break_glass set expires_at = now() + interval '7 days'
  where id = tests.id('bg:open')$$, $$
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

select tests.matrix('advocacy_break_glass', 'delete', 'delete the record bg:expired',
$$delete from public.advocacy_break_glass where id = tests.id('bg:expired')$$, $$
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

-- It must have a reason and it must expire within a day.
select tests.act_as('manager');
select tests.expect_sqlstate('advocacy_break_glass', 'insert', 'no reason given',
  $$insert into public.advocacy_break_glass (request_id, manager_id, reason, expires_at)
    values (tests.id('req:yp'), (select auth.uid()), 'because', now() + interval '1 hour')$$,
  '23514');
select tests.expect_sqlstate('advocacy_break_glass', 'insert', 'open for three days',
  $$insert into public.advocacy_break_glass (request_id, manager_id, reason, expires_at)
    values (tests.id('req:yp'), (select auth.uid()), 'The advocate reports a risk of serious harm',
      now() + interval '3 days')$$,
  '42501');
-- Without a break-glass, the manager sees only content-free facts, for choosing one.
select tests.expect_equal('advocacy_break_glass', 'manager''s content-free list of requests',
  $$select count(*) from private.advocacy_requests_for_manager()$$, '3');
-- In words: the first words of what it is about, and the service; never more than eight words.
select tests.expect_equal('advocacy_break_glass', 'the list gives first words and the service',
  $$select string_agg(first_words || '|' || more_words || '|' || service_name, ';'
      order by first_words) from private.advocacy_requests_for_manager()$$,
  'My contact with my brother|false|Brightside;My flat|false|Brightside;Pocket money|false|Brightside');
select tests.act_as('advocate');
select tests.expect_equal('advocacy_break_glass', 'an advocate gets no manager list',
  $$select count(*) from private.advocacy_requests_for_manager()$$, '0');
