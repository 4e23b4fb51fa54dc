-- RLS matrix for survey_answer_counts: nobody reads or writes it directly, not even the designer (results come only through suppressed private functions) (fixtures: test-helpers/cast.sql, feedback part).
select tests.create_cast();
select tests.create_feedback_cast();

select tests.matrix_rows('survey_answer_counts', 'select', 'every row',
$$select 1 from public.survey_answer_counts$$, $$
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

select tests.matrix_rows('survey_answer_counts', 'insert', 'a made-up row',
$$insert into public.survey_answer_counts (survey_id, question_id, age_band, option, n) values (tests.id('survey:open'), tests.id('q:open'), 'age_11_17', 1, 100)$$, $$
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

select tests.matrix_rows('survey_answer_counts', 'update', 'every row',
$$update public.survey_answer_counts set n = n + 100$$, $$
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

select tests.matrix_rows('survey_answer_counts', 'delete', 'every row',
$$delete from public.survey_answer_counts$$, $$
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

