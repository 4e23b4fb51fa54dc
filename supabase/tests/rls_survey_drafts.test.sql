-- RLS matrix for survey_drafts: unfinished answers are their owner's alone (fixtures: test-helpers/cast.sql, feedback part).
select tests.create_cast();
select tests.create_feedback_cast();

select tests.matrix_rows('survey_drafts', 'select', 'every draft',
$$select 1 from public.survey_drafts$$, $$
  anon         refused
  yp           1          -- their own, not yp2's
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     refused
$$);

select tests.matrix_rows('survey_drafts', 'insert', 'start survey:families',
$$insert into public.survey_drafts (survey_id, user_id, age_band)
  values (tests.id('survey:families'), (select auth.uid()), 'age_11_17')$$, $$
  anon         refused
  yp           refused    -- not for young people
  sw           refused
  family       1
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     refused
$$);

select tests.matrix_rows('survey_drafts', 'insert', 'start survey:draft (unpublished)',
$$insert into public.survey_drafts (survey_id, user_id, age_band)
  values (tests.id('survey:draft'), (select auth.uid()), 'age_11_17')$$, $$
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

select tests.matrix_rows('survey_drafts', 'insert', 'start survey:families for family',
$$insert into public.survey_drafts (survey_id, user_id, age_band)
  values (tests.id('survey:families'), tests.id('family'), 'age_11_17')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       1
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     refused
$$);

select tests.matrix_rows('survey_drafts', 'update', 'save answers to survey:open2',
$$update public.survey_drafts set answers = '{"x": [1]}' where survey_id = tests.id('survey:open2')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     refused
$$);

select tests.matrix_rows('survey_drafts', 'update', 'save answers to survey:open (yp2''s)',
$$update public.survey_drafts set answers = '{}' where survey_id = tests.id('survey:open')$$, $$
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

select tests.matrix_rows('survey_drafts', 'delete', 'throw away every draft',
$$delete from public.survey_drafts$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     refused
$$);

