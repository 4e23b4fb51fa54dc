-- RLS matrix for public.advocacy_requests: advocacy is confidential. Only the young person, the
-- advocates of the service they asked, and that service's manager under an open break-glass read a
-- request; nobody in the local authority (not even a social worker of the same organisation, nor
-- its admin) and no advocate of another service. The cast is in test-helpers/cast.sql (create_advocacy_cast).
select tests.create_advocacy_cast();

select tests.matrix_select('advocacy_requests', $$
  anon            -
  yp              req:yp req:closed          -- their own, never yp2's
  sw              -                          -- their own social worker: never
  family          -
  outside_sw      -
  other_la_sw     -
  advocate        req:yp req:anon req:closed -- everything sent to Brightside
  admin           -                          -- the local authority's admin: never
  other_advocate  req:other                  -- Otherside's only
  manager         req:anon                   -- only under the open break-glass (the other lapsed)
$$);

-- insert: requests arrive only through private.submit_advocacy_request (see the anonymous file).
select tests.matrix('advocacy_requests', 'insert', 'insert a request directly',
$$insert into public.advocacy_requests (service_id, young_person_id, call_me, care_status, about,
    urgency, social_worker_may_know)
  values (tests.id('brightside'), (select auth.uid()), 'X', 'in_care', 'x', 'today', 'yes')$$, $$
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

-- update -----------------------------------------------------------------------------------------
select tests.matrix('advocacy_requests', 'update', 'allocate req:yp to advocate',
$$update public.advocacy_requests set allocated_to = tests.id('advocate')
  where id = tests.id('req:yp')$$, $$
  anon            refused
  yp              refused
  sw              refused
  family          refused
  outside_sw      refused
  other_la_sw     refused
  advocate        1
  admin           refused
  other_advocate  refused
  manager         refused
$$);

select tests.matrix('advocacy_requests', 'update', 'allocate req:anon to an advocate of Otherside',
$$update public.advocacy_requests set allocated_to = tests.id('other_advocate')
  where id = tests.id('req:anon')$$, $$
  anon            refused
  yp              refused
  sw              refused
  family          refused
  outside_sw      refused
  other_la_sw     refused
  advocate        refused    -- only to an advocate of the same service
  admin           refused
  other_advocate  refused
  manager         refused    -- break-glass reads, never changes
$$);

select tests.matrix('advocacy_requests', 'update', 'close req:other with an outcome',
$$update public.advocacy_requests set status = 'closed', outcome = 'Helped at school'
  where id = tests.id('req:other')$$, $$
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

select tests.matrix('advocacy_requests', 'update', 'reset the respond clock of req:yp',
$$update public.advocacy_requests set responded_at = now() where id = tests.id('req:yp')$$, $$
  anon            refused
  yp              refused
  sw              refused
  family          refused
  outside_sw      refused
  other_la_sw     refused
  advocate        refused    -- the first advocate message sets it, nobody else
  admin           refused
  other_advocate  refused
  manager         refused
$$);

-- delete -----------------------------------------------------------------------------------------
select tests.matrix('advocacy_requests', 'delete', 'delete req:yp',
$$delete from public.advocacy_requests where id = tests.id('req:yp')$$, $$
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

-- The clocks belong to the database: allocating sets allocated_at and the status; closing needs
-- an outcome and sets closed_at; a closed request stays closed.
select tests.act_as('advocate');
update public.advocacy_requests set allocated_to = tests.id('advocate') where id = tests.id('req:yp');
select tests.expect_equal('advocacy_requests', 'allocating sets the status and the time',
  $$select status || ':' || (allocated_at is not null)::text from public.advocacy_requests
    where id = tests.id('req:yp')$$, 'allocated:true');
select tests.expect_sqlstate('advocacy_requests', 'update', 'close without an outcome',
  $$update public.advocacy_requests set status = 'closed' where id = tests.id('req:yp')$$, '23514');
select tests.expect_sqlstate('advocacy_requests', 'update', 'reopen a closed request',
  $$update public.advocacy_requests set status = 'new' where id = tests.id('req:closed')$$, 'AR410');
-- The first advocate message stops the respond clock.
insert into public.advocacy_messages (request_id, author_id, from_young_person, body)
  values (tests.id('req:anon'), (select auth.uid()), false, 'Hello, I am an advocate.');
select tests.expect_equal('advocacy_requests', 'the first reply sets responded_at',
  $$select responded_at is not null from public.advocacy_requests where id = tests.id('req:anon')$$,
  'true');

-- Break-glass: a manager who opens one (with a reason) reads that request, and only that one.
select tests.act_as('manager');
select tests.expect_visible('advocacy_requests', 'req:anon');
insert into public.advocacy_break_glass (request_id, manager_id, reason, expires_at)
  values (tests.id('req:yp'), (select auth.uid()), 'The advocate reports a risk of serious harm',
    now() + interval '4 hours');
select tests.expect_visible('advocacy_requests', 'req:anon req:yp');
select tests.expect_visible('advocacy_messages', 'msg:yp msg:advocate msg:anon');

-- After all this, the local authority's admin still reads nothing.
select tests.act_as('admin');
select tests.expect_visible('advocacy_requests', '');
