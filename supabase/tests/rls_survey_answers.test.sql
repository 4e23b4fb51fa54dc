-- RLS matrix for survey_answers: nobody reads or writes it directly, not even the designer (results come only through suppressed private functions) (fixtures: test-helpers/cast.sql, feedback part).
select tests.create_cast();
select tests.create_feedback_cast();

select tests.matrix_rows('survey_answers', 'select', 'every row',
$$select 1 from public.survey_answers$$, $$
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

select tests.matrix_rows('survey_answers', 'insert', 'a made-up row',
$$insert into public.survey_answers (response_id, question_id, choices) values ((select gen_random_uuid()), tests.id('q:open'), '{1}')$$, $$
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

select tests.matrix_rows('survey_answers', 'update', 'every row',
$$update public.survey_answers set choices = '{5}'$$, $$
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

select tests.matrix_rows('survey_answers', 'delete', 'every row',
$$delete from public.survey_answers$$, $$
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

