-- RLS matrix for survey_text_answers: nobody reads or writes it directly, not even the designer (results come only through suppressed private functions) (fixtures: test-helpers/cast.sql, feedback part).
select tests.create_cast();
select tests.create_feedback_cast();

select tests.matrix_rows('survey_text_answers', 'select', 'every row',
$$select 1 from public.survey_text_answers$$, $$
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

select tests.matrix_rows('survey_text_answers', 'insert', 'a made-up row',
$$insert into public.survey_text_answers (survey_id, question_id, age_band, body) values (tests.id('survey:open'), tests.id('q:open_text'), 'age_11_17', 'hi')$$, $$
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

select tests.matrix_rows('survey_text_answers', 'update', 'every row',
$$update public.survey_text_answers set body = 'changed'$$, $$
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

select tests.matrix_rows('survey_text_answers', 'delete', 'every row',
$$delete from public.survey_text_answers$$, $$
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

