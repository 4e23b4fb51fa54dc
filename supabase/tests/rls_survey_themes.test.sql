-- RLS matrix for survey_themes: the designers' own working (fixtures: test-helpers/cast.sql, feedback part).
select tests.create_cast();
select tests.create_feedback_cast();

select tests.matrix_select('survey_themes', $$
  anon         -
  yp           -
  sw           -
  family       -
  outside_sw   -
  other_la_sw  -
  advocate     -
  admin        -
  designer     theme:open
$$);

select tests.matrix('survey_themes', 'insert', 'a theme for survey:open',
$$insert into public.survey_themes (survey_id, name) values (tests.id('survey:open'), 'Wifi')$$, $$
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

select tests.matrix('survey_themes', 'insert', 'a theme for survey:eastmoor',
$$insert into public.survey_themes (survey_id, name) values (tests.id('survey:eastmoor'), 'Wifi')$$, $$
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

select tests.matrix('survey_themes', 'update', 'rename theme:open',
$$update public.survey_themes set name = 'Family time' where id = tests.id('theme:open')$$, $$
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

select tests.matrix('survey_themes', 'delete', 'remove theme:open',
$$delete from public.survey_themes where id = tests.id('theme:open')$$, $$
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

