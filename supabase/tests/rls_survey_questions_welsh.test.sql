-- RLS matrix for the Welsh wording of survey questions (migration 20261204001000_survey_welsh):
-- like the English, designers write it only while the survey is a draft; once published, answers
-- stay comparable because no wording can change (fixtures: test-helpers/cast.sql, feedback part).
select tests.create_cast();
select tests.create_feedback_cast();

select tests.matrix('survey_questions', 'insert', 'a question in both languages on survey:draft',
$$insert into public.survey_questions (survey_id, position, kind, prompt, prompt_cy, options, options_cy)
  values (tests.id('survey:draft'), 9, 'single', 'Do you know your worker?',
    'Ydych chi''n adnabod eich gweithiwr?', '{Yes,No}', '{Ydw,"Nac ydw"}')$$, $$
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

select tests.matrix('survey_questions', 'update', 'write q:draft in Welsh',
$$update public.survey_questions set prompt_cy = 'Geiriau newydd', simple_prompt_cy = 'Geiriau syml'
  where id = tests.id('q:draft')$$, $$
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

select tests.matrix('survey_questions', 'update', 'write q:open in Welsh after publishing',
$$update public.survey_questions set prompt_cy = 'Geiriau newydd' where id = tests.id('q:open')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
  designer     refused    -- published questions stay comparable, in every language
$$);
