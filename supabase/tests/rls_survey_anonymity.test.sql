-- Anonymity and suppression by construction (issue 6): no survey response can be linked to an
-- account, a person cannot answer twice, and results come only as suppressed figures.
select tests.create_cast();
select tests.create_feedback_cast();

-- Schema: the anonymous tables have no column that refers to a person, and no exact time.
select tests.expect_empty('response tables with a foreign key to auth.users or profiles', $$
  select c.conrelid::regclass, c.conname from pg_catalog.pg_constraint c
  where c.contype = 'f'
    and c.conrelid in ('public.survey_responses'::regclass, 'public.survey_answers'::regclass,
      'public.survey_text_answers'::regclass, 'public.survey_answer_counts'::regclass)
    and c.confrelid in (
      select k.oid from pg_catalog.pg_class k join pg_catalog.pg_namespace n on n.oid = k.relnamespace
      where (n.nspname, k.relname) in (('auth', 'users'), ('public', 'profiles'))
    )
$$);
select tests.expect_empty('response tables with a person-like or exact-time column', $$
  select a.attrelid::regclass, a.attname, a.atttypid::regtype from pg_catalog.pg_attribute a
  where a.attrelid in ('public.survey_responses'::regclass, 'public.survey_answers'::regclass,
      'public.survey_text_answers'::regclass, 'public.survey_answer_counts'::regclass)
    and a.attnum > 0 and not a.attisdropped
    and (a.attname ~ '(user|account|person|profile|created_by|email|ip)'
      or a.atttypid in ('timestamptz'::regtype, 'timestamp'::regtype, 'time'::regtype))
$$);
select tests.expect_empty('the participation table links to a response or records a time', $$
  select a.attname from pg_catalog.pg_attribute a
  where a.attrelid = 'public.survey_participation'::regclass and a.attnum > 0 and not a.attisdropped
    and a.attname not in ('survey_id', 'user_id')
$$);

-- Data: three other people's answers are already waiting; yp sends theirs to survey:open2
-- through the app's only way in. Four are now held: no response is written yet.
select tests.hold_answers('survey:open2', 3);
select tests.act_as('yp');
select private.submit_survey_response(tests.id('survey:open2'), 'age_11_17',
  jsonb_build_object(tests.id('q:open2')::text, '[5]'::jsonb));
select tests.stop_acting();
select tests.expect_empty('no response yet, participation recorded, the draft gone', $$
  select * from tests.survey_counts(tests.id('survey:open2'))
  where (responses, answers, participants, drafts) <> (0, 0, 2, 0)
$$);
select tests.expect_empty('yp''s answers not held with the other three', $$
  select 1 where tests.held_answers('survey:open2') <> 4
$$);
-- A fifth arrives: all five are written together, and nothing is held any more.
select tests.hold_answers('survey:open2', 1);
select tests.release_held_answers('survey:open2');
select tests.expect_empty('five responses written together (with yp''s one answer)', $$
  select * from tests.survey_counts(tests.id('survey:open2'))
  where (responses, answers, participants, drafts) <> (5, 1, 2, 0)
$$);
select tests.expect_empty('answers still held after the release', $$
  select 1 where tests.held_answers('survey:open2') <> 0
$$);
select tests.expect_empty('response rows containing any account''s id or email', $$
  select * from tests.responses_naming_accounts()
$$);

-- A second response from the same person is refused (23505), and nothing more is stored.
select tests.expect_empty('yp answers survey:open2 a second time', $$
  select r.outcome, r.error_code, r.error_message from tests._run('yp',
    format('select private.submit_survey_response(%L, ''age_11_17'', ''{}'')', tests.id('survey:open2')),
    null, false) r
  where r.error_code is distinct from '23505'
$$);
select tests.expect_empty('yp answers survey:open, which they answered before', $$
  select r.outcome, r.error_code from tests._run('yp',
    format('select private.submit_survey_response(%L, ''age_11_17'', ''{}'')', tests.id('survey:open')),
    null, false) r
  where r.error_code is distinct from '23505'
$$);
select tests.expect_empty('still five responses to survey:open2, nothing more held', $$
  select * from tests.survey_counts(tests.id('survey:open2'))
  where responses <> 5 or tests.held_answers('survey:open2') <> 0
$$);
-- Closing a survey writes whatever is still held (fewer than 5), so no answer is lost.
select tests.hold_answers('survey:open2', 2);
select tests.act_as('designer');
update public.surveys set status = 'closed' where id = tests.id('survey:open2');
select tests.stop_acting();
select tests.expect_empty('held answers not written when the survey closed', $$
  select * from tests.survey_counts(tests.id('survey:open2'))
  where responses <> 7 or tests.held_answers('survey:open2') <> 0
$$);
select tests.expect_empty('someone outside the audience answers', $$
  select who, r.outcome, r.error_code
  from unnest(array['sw', 'family', 'other_la_sw', 'designer', 'admin']) who,
    tests._run(who,
      format('select private.submit_survey_response(%L, ''age_11_17'', ''{}'')', tests.id('survey:open2')),
      null, false) r
  where r.error_code is distinct from '42501'
$$);
select tests.expect_empty('an answer outside the scale', $$
  select r.outcome, r.error_code from tests._run('yp2',
    format('select private.submit_survey_response(%L, ''age_11_17'', %L)', tests.id('survey:open'),
      jsonb_build_object(tests.id('q:open'), '[9]'::jsonb)),
    null, false) r
  where r.error_code is distinct from '22023'
$$);

-- Suppression: survey:open has 6 responses from 11–17 and 2 from 8–11.
select tests.act_as('designer');
select tests.expect_empty('figures shown for the 8–11 group (2 people)', $$
  select * from private.survey_results(tests.id('survey:open'))
  where age_band = 'age_8_11' and (n is not null or mean is not null)
$$);
select tests.expect_empty('figures shown for 11–17, which would give away 8–11 (secondary)', $$
  select * from private.survey_results(tests.id('survey:open'))
  where age_band = 'age_11_17' and (n is not null or mean is not null)
$$);
select tests.expect_empty('options of a hidden group listed at all', $$
  select * from private.survey_results(tests.id('survey:open'))
  where age_band is not null and option > 0
$$);
-- Everyone together (8 people) is shown; its mean is not, since some of its option counts are
-- under 5 and the mean would give them away.
select tests.expect_empty('everyone''s count (8 people) not shown, or their mean shown', $$
  select 1 where (
    select n from private.survey_results(tests.id('survey:open'))
    where question_id is null and age_band is null
  ) is distinct from 8 or (
    select mean from private.survey_results(tests.id('survey:open'))
    where question_id = tests.id('q:open') and age_band is null and option = 0
  ) is not null
$$);
select tests.expect_empty('a mean shown while an option count in its group is hidden', $$
  select g.question_id, g.age_band from private.survey_results(tests.id('survey:open')) g
  where g.option = 0 and g.mean is not null and exists (
    select 1 from private.survey_results(tests.id('survey:open')) o
    where o.question_id = g.question_id and o.age_band is not distinct from g.age_band
      and o.option > 0 and o.n is null
  )
$$);
select tests.expect_empty('per-version counts shown for a question with anything hidden', $$
  select o.question_id, o.age_band, o.option from private.survey_results(tests.id('survey:open')) o
  where o.age_band is not null and o.option > 0 and o.n is not null and exists (
    select 1 from private.survey_results(tests.id('survey:open')) h
    where h.question_id = o.question_id and h.age_band is not null and h.n is null
  )
$$);
select tests.expect_empty('an option count under 5 shown', $$
  select * from private.survey_results(tests.id('survey:open')) where n between 1 and 4
$$);
select tests.expect_empty('written answers from the 8–11 group (2 people) shown', $$
  select 1 from private.survey_text_answers(tests.id('q:open_text'))
  having count(*) <> 6 or bool_or(age_band <> 'age_11_17')
$$);
select tests.stop_acting();

select tests.expect_empty('results for anyone but the survey''s designers', $$
  select who, r.error_code
  from unnest(array['yp', 'sw', 'family', 'admin', 'other_designer']) who,
    tests._run(who, format('select * from private.survey_results(%L)', tests.id('survey:open')),
      null, false) r
  where r.error_code is distinct from '42501'
$$);
select tests.expect_empty('written answers for anyone but the survey''s designers', $$
  select who, r.error_code
  from unnest(array['yp', 'sw', 'admin', 'other_designer']) who,
    tests._run(who, format('select * from private.survey_text_answers(%L)', tests.id('q:open_text')),
      null, false) r
  where r.error_code is distinct from '42501'
$$);

-- Differencing between versions: 11–17 answered Yes 7 / No 3, 8–11 answered Yes 7 / No 5, so
-- everyone together is Yes 14 / No 8. 11–17's "No 3" is hidden; if 8–11's counts were shown,
-- 14 − 7 = 7 and 8 − 5 = 3 would give 11–17's hidden counts away. (Counts written straight into
-- the summary the results are computed from.)
select tests.set_answer_counts('survey:open2', 'q:open2', '[
  ["age_11_17", 0, 10], ["age_11_17", 1, 7], ["age_11_17", 2, 3],
  ["age_8_11", 0, 12], ["age_8_11", 1, 7], ["age_8_11", 2, 5]
]');
select tests.act_as('designer');
select tests.expect_empty('a per-version count that, with the all-versions count, gives one away', $$
  select * from private.survey_results(tests.id('survey:open2'))
  where question_id = tests.id('q:open2') and age_band is not null and option > 0 and n is not null
$$);
select tests.expect_empty('everyone''s counts (Yes 14, No 8) not shown', $$
  select 1 where (
    select array_agg(n order by option) from private.survey_results(tests.id('survey:open2'))
    where question_id = tests.id('q:open2') and age_band is null and option > 0
  ) is distinct from array[14, 8]
$$);
select tests.stop_acting();
