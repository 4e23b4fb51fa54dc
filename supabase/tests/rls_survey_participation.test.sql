-- RLS matrix for survey_participation: only THAT someone answered; people see only their own row; only submit_survey_response writes (fixtures: test-helpers/cast.sql, feedback part).
select tests.create_cast();
select tests.create_feedback_cast();

select tests.matrix_rows('survey_participation', 'select', 'who answered survey:open',
$$select 1 from public.survey_participation where survey_id = tests.id('survey:open')$$, $$
  anon         refused
  yp           1          -- their own row only
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     refused    -- never who answered
$$);

select tests.matrix_rows('survey_participation', 'insert', 'mark myself as answered',
$$insert into public.survey_participation (survey_id, user_id)
  values (tests.id('survey:open2'), (select auth.uid()))$$, $$
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

select tests.matrix_rows('survey_participation', 'update', 'move a participation',
$$update public.survey_participation set survey_id = tests.id('survey:open2')
  where survey_id = tests.id('survey:open')$$, $$
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

select tests.matrix_rows('survey_participation', 'delete', 'forget an answer (to answer again)',
$$delete from public.survey_participation where survey_id = tests.id('survey:open')$$, $$
  anon         refused
  yp           refused    -- one response each
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     refused
$$);

