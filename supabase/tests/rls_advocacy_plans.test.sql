-- RLS matrix for public.advocacy_plans: what the young person wants stopped, started or changed,
-- the steps and the review date. Read like the request; written by the service's advocates.
select tests.create_advocacy_cast();

select tests.matrix_select('advocacy_plans', $$
  anon            -
  yp              plan:yp
  sw              -
  family          -
  outside_sw      -
  other_la_sw     -
  advocate        plan:yp
  admin           -
  other_advocate  plan:other
  manager         -          -- its break-glass is on req:anon, which has no plan
$$);

select tests.matrix('advocacy_plans', 'insert', 'write a plan for req:anon',
$$insert into public.advocacy_plans (request_id, steps, review_on, updated_by)
  values (tests.id('req:anon'), 'Call the housing officer together', current_date + 28,
    (select auth.uid()))$$, $$
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

select tests.matrix('advocacy_plans', 'update', 'change the steps of plan:yp',
$$update public.advocacy_plans set steps = 'Ask for a review meeting', updated_by = (select auth.uid())
  where id = tests.id('plan:yp')$$, $$
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

select tests.matrix('advocacy_plans', 'delete', 'delete plan:other',
$$delete from public.advocacy_plans where id = tests.id('plan:other')$$, $$
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
