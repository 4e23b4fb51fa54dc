-- RLS matrix for survey_questions: designers change drafts only; the audience reads published questions (fixtures: test-helpers/cast.sql, feedback part).
select tests.create_cast();
select tests.create_feedback_cast();

select tests.matrix_select('survey_questions', $$
  anon         -
  yp           q:open q:open_text q:open2
  sw           -
  family       -
  outside_sw   -
  other_la_sw  -
  advocate     -
  admin        -
  designer     q:draft q:open q:open_text q:open2
$$);

select tests.matrix('survey_questions', 'insert', 'a question on survey:draft',
$$insert into public.survey_questions (survey_id, position, kind, prompt)
  values (tests.id('survey:draft'), 9, 'text', 'Anything else?')$$, $$
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

select tests.matrix('survey_questions', 'insert', 'a question on survey:open',
$$insert into public.survey_questions (survey_id, position, kind, prompt)
  values (tests.id('survey:open'), 9, 'text', 'Anything else?')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     refused    -- published questions stay comparable
$$);

select tests.matrix('survey_questions', 'update', 'reword q:draft',
$$update public.survey_questions set prompt = 'New words' where id = tests.id('q:draft')$$, $$
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

select tests.matrix('survey_questions', 'update', 'reword q:open',
$$update public.survey_questions set prompt = 'New words' where id = tests.id('q:open')$$, $$
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

select tests.matrix('survey_questions', 'delete', 'remove q:draft',
$$delete from public.survey_questions where id = tests.id('q:draft')$$, $$
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

select tests.matrix('survey_questions', 'delete', 'remove q:open',
$$delete from public.survey_questions where id = tests.id('q:open')$$, $$
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

