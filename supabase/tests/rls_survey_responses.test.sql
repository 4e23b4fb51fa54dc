-- RLS matrix for survey_responses: nobody reads or writes it directly, not even the designer (results come only through suppressed private functions) (fixtures: test-helpers/cast.sql, feedback part).
select tests.create_cast();
select tests.create_feedback_cast();

select tests.matrix_rows('survey_responses', 'select', 'every row',
$$select 1 from public.survey_responses$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     refused    -- only suppressed aggregates
$$);

select tests.matrix_rows('survey_responses', 'insert', 'a made-up row',
$$insert into public.survey_responses (survey_id, age_band) values (tests.id('survey:open'), 'age_11_17')$$, $$
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

select tests.matrix_rows('survey_responses', 'update', 'every row',
$$update public.survey_responses set age_band = 'age_8_11'$$, $$
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

select tests.matrix_rows('survey_responses', 'delete', 'every row',
$$delete from public.survey_responses$$, $$
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

