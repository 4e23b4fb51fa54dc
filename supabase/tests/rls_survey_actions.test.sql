-- RLS matrix for survey_actions: designers manage them; published ones reach members of the organisation (and anyone, through private.published_actions) (fixtures: test-helpers/cast.sql, feedback part).
select tests.create_cast();
select tests.create_feedback_cast();

select tests.matrix_select('survey_actions', $$
  anon         -
  yp           action:published
  sw           action:published
  family       action:published
  outside_sw   action:published
  other_la_sw  action:eastmoor
  advocate     -
  admin        action:published
  designer     action:hidden action:published
$$);

select tests.matrix('survey_actions', 'insert', 'an action for survey:open',
$$insert into public.survey_actions (organisation_id, survey_id, you_said, we_did, owner_name, created_by)
  values (tests.id('northbridge'), tests.id('survey:open'), 'a', 'b', 'c', (select auth.uid()))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     1
$$);

select tests.matrix('survey_actions', 'insert', 'an Eastmoor action for survey:open',
$$insert into public.survey_actions (organisation_id, survey_id, you_said, we_did, owner_name, created_by)
  values (tests.id('eastmoor'), tests.id('survey:open'), 'a', 'b', 'c', (select auth.uid()))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     refused    -- an action belongs to its survey's organisation
$$);

select tests.matrix('survey_actions', 'update', 'progress on action:hidden',
$$update public.survey_actions set progress = 50, published = true where id = tests.id('action:hidden')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     1
$$);

select tests.matrix('survey_actions', 'update', 'progress on action:eastmoor',
$$update public.survey_actions set progress = 50 where id = tests.id('action:eastmoor')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     refused
$$);

select tests.matrix('survey_actions', 'delete', 'remove action:published',
$$delete from public.survey_actions where id = tests.id('action:published')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     1
$$);

-- Anyone (not signed in) reads published actions through the one function granted to anon.
select tests.act_as('anon');
select tests.expect_empty('anon reads exactly the published Northbridge action', $$
  select count(*) from private.published_actions(tests.id('northbridge'))
  having count(*) <> 1 or bool_or(you_said <> 'You said action:published')
$$);
select tests.stop_acting();
