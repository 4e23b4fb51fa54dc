-- RLS matrix for surveys: designers manage their organisation's surveys; the audience sees published ones (fixtures: test-helpers/cast.sql, feedback part).
select tests.create_cast();
select tests.create_feedback_cast();

select tests.matrix_select('surveys', $$
  anon         -
  yp           survey:open survey:open2
  sw           -
  family       survey:families
  outside_sw   -
  other_la_sw  -
  advocate     -
  admin        -
  designer     survey:draft survey:open survey:open2 survey:families
$$);

select tests.matrix('surveys', 'insert', 'a Northbridge draft',
$$insert into public.surveys (organisation_id, title, audience, bands, created_by)
  values (tests.id('northbridge'), 'New', '{young_person}', '{age_8_11}', (select auth.uid()))$$, $$
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

select tests.matrix('surveys', 'insert', 'an Eastmoor draft',
$$insert into public.surveys (organisation_id, title, audience, bands, created_by)
  values (tests.id('eastmoor'), 'New', '{young_person}', '{age_8_11}', (select auth.uid()))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     refused    -- not their organisation
$$);

select tests.matrix('surveys', 'insert', 'a survey born published',
$$insert into public.surveys (organisation_id, title, audience, bands, created_by, status)
  values (tests.id('northbridge'), 'New', '{young_person}', '{age_8_11}', (select auth.uid()), 'published')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     refused    -- publishing is a step after the questions
$$);

select tests.matrix('surveys', 'update', 'rename survey:open',
$$update public.surveys set title = 'Renamed' where id = tests.id('survey:open')$$, $$
  anon         refused
  yp           refused    -- can see it, cannot change it
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     1
$$);

select tests.matrix('surveys', 'update', 'rename survey:eastmoor',
$$update public.surveys set title = 'Renamed' where id = tests.id('survey:eastmoor')$$, $$
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

select tests.matrix('surveys', 'delete', 'delete survey:draft',
$$delete from public.surveys where id = tests.id('survey:draft')$$, $$
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

select tests.matrix('surveys', 'delete', 'delete survey:open',
$$delete from public.surveys where id = tests.id('survey:open')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     refused    -- published: its answers are kept
$$);

-- A published survey never goes back to draft (its questions would become changeable) and keeps
-- its versions and audience.
select tests.expect_empty('the designer un-publishes or re-bands survey:open', $$
  select r.error_code, r.error_message
  from unnest(array[
    $s$update public.surveys set status = 'draft' where id = tests.id('survey:open')$s$,
    $s$update public.surveys set bands = '{age_4_7}' where id = tests.id('survey:open')$s$,
    $s$update public.surveys set audience = '{family_member}' where id = tests.id('survey:open')$s$
  ]) statement, tests._run('designer', statement, null, false) r
  where r.error_code is distinct from '42501'
$$);
select tests.expect_empty('the designer closes survey:open', $$
  select r.outcome, r.error_code, r.affected from tests._run('designer',
    $s$update public.surveys set status = 'closed' where id = tests.id('survey:open')$s$, null, false) r
  where r.outcome <> 'ok' or r.affected <> 1
$$);
