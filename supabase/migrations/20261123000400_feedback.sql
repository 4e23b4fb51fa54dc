-- Feedback surveys, anonymous responses, results with small-number suppression, and
-- "you said, we did" actions.
--
-- Anonymity by construction:
--   * survey_responses, survey_answers and survey_text_answers hold no account id and no exact
--     time (a response keeps only the day it was sent). Free-text answers are not even linked to
--     their response, so several free texts cannot be pieced together into one person.
--   * survey_participation records only THAT someone answered (survey, person; no time, no link
--     to the response), so nobody answers twice. Both are written by one security definer
--     function, private.submit_survey_response, in one transaction.
--   * Nobody (not even a survey's designer) can select responses or answers: there are no grants
--     on them. Results come only through private.survey_results, which applies suppression:
--     any figure from fewer than 5 respondents is hidden (null), with secondary suppression so a
--     hidden figure cannot be worked out from the others.
--   * A person's unfinished answers (survey_drafts) are theirs alone, and deleted when they send.

create type public.survey_age_band as enum ('age_4_7', 'age_8_11', 'age_11_17', 'care_leavers');
create type public.survey_question_kind as enum ('scale', 'single', 'multiple', 'text', 'anything_else');
create type public.survey_status as enum ('draft', 'published', 'closed');
create type public.survey_action_status as enum ('planned', 'in_progress', 'done');

-- Surveys ----------------------------------------------------------------------------------------
create table public.surveys (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  title text not null check (char_length(title) between 1 and 120),
  intro text check (char_length(intro) <= 1000),
  -- Who may answer: members of the organisation holding one of these roles.
  audience public.member_role[] not null
    check (cardinality(audience) > 0
      and audience <@ array['young_person', 'family_member']::public.member_role[]),
  -- The age-banded versions. Core questions are asked in every version, so they stay comparable.
  bands public.survey_age_band[] not null check (cardinality(bands) > 0),
  status public.survey_status not null default 'draft',
  -- Rounds of one survey share a series; trends compare questions with the same key across rounds.
  series_id uuid not null default gen_random_uuid(),
  round integer not null default 1 check (round > 0),
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  published_at timestamptz
);
create index surveys_organisation_id_idx on public.surveys (organisation_id);
create index surveys_series_id_idx on public.surveys (series_id);
alter table public.surveys enable row level security;

create table public.survey_questions (
  id uuid primary key default gen_random_uuid(),
  survey_id uuid not null references public.surveys (id) on delete cascade,
  position integer not null,
  kind public.survey_question_kind not null,
  -- The same key in another round of the series means "the same question" (for trends).
  key text not null default gen_random_uuid()::text,
  prompt text not null check (char_length(prompt) between 1 and 300),
  -- Simpler words for the 4–7 and 8–11 versions; the meaning stays the same.
  simple_prompt text check (char_length(simple_prompt) <= 300),
  options text[] not null default '{}'
    check (cardinality(options) <= 12),
  -- null: a core question, asked in every version. Otherwise asked only in this version.
  only_band public.survey_age_band,
  unique (survey_id, position),
  check ((kind in ('single', 'multiple')) = (cardinality(options) >= 2))
);
alter table public.survey_questions enable row level security;

-- Who has answered (never what) --------------------------------------------------------------------
create table public.survey_participation (
  survey_id uuid not null references public.surveys (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  primary key (survey_id, user_id)
);
create index survey_participation_user_id_idx on public.survey_participation (user_id);
alter table public.survey_participation enable row level security;

-- Unfinished answers, kept on the server (never in the browser) until sent ------------------------
create table public.survey_drafts (
  survey_id uuid not null references public.surveys (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  age_band public.survey_age_band not null,
  -- { "<question id>": [numbers] | "text" }
  answers jsonb not null default '{}' check (jsonb_typeof(answers) = 'object'),
  updated_at timestamptz not null default now(),
  primary key (survey_id, user_id)
);
create index survey_drafts_user_id_idx on public.survey_drafts (user_id);
alter table public.survey_drafts enable row level security;

-- Anonymous responses: no account id, no exact time ------------------------------------------------
create table public.survey_responses (
  id uuid primary key default gen_random_uuid(),
  survey_id uuid not null references public.surveys (id) on delete cascade,
  age_band public.survey_age_band not null,
  submitted_on date not null default current_date
);
create index survey_responses_survey_band_idx on public.survey_responses (survey_id, age_band);
alter table public.survey_responses enable row level security;

-- Scale and choice answers: the scale value (1–5) or the chosen option numbers (1-based).
create table public.survey_answers (
  response_id uuid not null references public.survey_responses (id) on delete cascade,
  question_id uuid not null references public.survey_questions (id) on delete cascade,
  choices smallint[] not null check (cardinality(choices) > 0),
  primary key (response_id, question_id)
);
create index survey_answers_question_id_idx on public.survey_answers (question_id);
alter table public.survey_answers enable row level security;

-- Free-text answers, deliberately not linked to their response.
create table public.survey_text_answers (
  id uuid primary key default gen_random_uuid(),
  survey_id uuid not null references public.surveys (id) on delete cascade,
  question_id uuid not null references public.survey_questions (id) on delete cascade,
  age_band public.survey_age_band not null,
  body text not null check (char_length(body) between 1 and 2000),
  theme_ids uuid[] not null default '{}'
);
create index survey_text_answers_question_idx on public.survey_text_answers (question_id, age_band);
alter table public.survey_text_answers enable row level security;

-- Running totals per question, version and option (option 0: how many answered the question), so
-- results for 100,000 responses read a few hundred rows. Kept by submit_survey_response.
create table public.survey_answer_counts (
  survey_id uuid not null references public.surveys (id) on delete cascade,
  question_id uuid not null references public.survey_questions (id) on delete cascade,
  age_band public.survey_age_band not null,
  option smallint not null check (option >= 0),
  n integer not null check (n >= 0),
  primary key (survey_id, question_id, age_band, option)
);
alter table public.survey_answer_counts enable row level security;

-- Themes the designer tags free text with --------------------------------------------------------
create table public.survey_themes (
  id uuid primary key default gen_random_uuid(),
  survey_id uuid not null references public.surveys (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 80),
  unique (survey_id, name)
);
alter table public.survey_themes enable row level security;

-- "You said, we did" ------------------------------------------------------------------------------
create table public.survey_actions (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  survey_id uuid not null references public.surveys (id) on delete cascade,
  question_id uuid references public.survey_questions (id) on delete set null,
  theme_id uuid references public.survey_themes (id) on delete set null,
  you_said text not null check (char_length(you_said) between 1 and 300),
  we_did text not null check (char_length(we_did) between 1 and 600),
  owner_name text not null check (char_length(owner_name) between 1 and 120),
  status public.survey_action_status not null default 'planned',
  progress integer not null default 0 check (progress between 0 and 100),
  published boolean not null default false,
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index survey_actions_organisation_idx on public.survey_actions (organisation_id, published);
create index survey_actions_survey_idx on public.survey_actions (survey_id);
alter table public.survey_actions enable row level security;

-- Once published, a survey never goes back to draft and keeps its versions and audience, so its
-- answers stay comparable (questions are locked by the policies on survey_questions).
create function private.guard_published_survey()
returns trigger language plpgsql set search_path = ''
as $$
begin
  if old.status <> 'draft'
    and (new.status = 'draft' or new.bands <> old.bands or new.audience <> old.audience) then
    raise exception 'A published survey cannot go back to draft or change its versions or audience.'
      using errcode = '42501';
  end if;
  return new;
end;
$$;
revoke all on function private.guard_published_survey() from public, anon, authenticated;
create trigger surveys_guard_published
  before update on public.surveys
  for each row execute function private.guard_published_survey();

-- Helpers ----------------------------------------------------------------------------------------

/** Is the caller a service designer of the organisation that runs `survey`? */
create function private.designs_survey(survey uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.surveys s
    join public.memberships m on m.organisation_id = s.organisation_id
    where s.id = survey and m.user_id = (select auth.uid()) and m.role = 'service_designer'
  )
$$;

/** Is `survey` a draft the caller designs? Questions change only while a survey is a draft. */
create function private.designs_draft(survey uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.surveys s
    join public.memberships m on m.organisation_id = s.organisation_id
    where s.id = survey and s.status = 'draft'
      and m.user_id = (select auth.uid()) and m.role = 'service_designer'
  )
$$;

/** Is `survey` published to the caller: a member of its organisation in its audience? */
create function private.may_answer(survey uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.surveys s
    join public.memberships m on m.organisation_id = s.organisation_id
    where s.id = survey and s.status = 'published'
      and m.user_id = (select auth.uid()) and m.role = any (s.audience)
  )
$$;

/** May the caller see `survey` and its questions (its designers, and those it is published to)? */
create function private.may_see_survey(survey uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select private.designs_survey(survey) or private.may_answer(survey)
$$;

/** Is the caller a member (any role) of `org`? */
create function private.is_member_of(org uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m where m.organisation_id = org and m.user_id = (select auth.uid())
  )
$$;

/** Why a response was refused, in words the app can show. */
create function private.refuse(message text, code text default '22023')
returns void language plpgsql immutable set search_path = ''
as $$
begin
  raise exception '%', message using errcode = code;
end;
$$;

/**
 * Checks one set of answers (`store` false) or writes it as one anonymous response (`store`
 * true): the response row gets no account id and only the day it is written. `answers` maps
 * question ids to an array of numbers (scale value 1–5, or option numbers from 1) or to a string
 * (free text). Every question may be skipped. Called only by the two functions below.
 */
create function private.record_survey_answers(
  survey uuid, band public.survey_age_band, answers jsonb, store boolean
)
returns void language plpgsql volatile security definer set search_path = ''
as $$
declare
  q public.survey_questions;
  response uuid;
  answer jsonb;
  picked smallint[];
  body text;
begin
  if store then
    insert into public.survey_responses (survey_id, age_band) values (survey, band)
      returning id into response;
  end if;

  for q in
    select * from public.survey_questions
    where survey_id = survey and (only_band is null or only_band = band)
    order by position
  loop
    answer := answers -> q.id::text;
    continue when answer is null or answer = 'null'::jsonb;
    if q.kind in ('text', 'anything_else') then
      if jsonb_typeof(answer) <> 'string' then
        perform private.refuse('A written answer must be text.');
      end if;
      body := btrim(answer #>> '{}');
      continue when body = '';
      if char_length(body) > 2000 then
        perform private.refuse('Please keep each written answer to 2000 characters or fewer.');
      end if;
      continue when not store;
      insert into public.survey_text_answers (survey_id, question_id, age_band, body)
      values (survey, q.id, band, body);
      insert into public.survey_answer_counts (survey_id, question_id, age_band, option, n)
      values (survey, q.id, band, 0, 1)
      on conflict on constraint survey_answer_counts_pkey
      do update set n = public.survey_answer_counts.n + 1;
      continue;
    end if;
    if jsonb_typeof(answer) <> 'array' or exists (
      select 1 from jsonb_array_elements(answer) e where jsonb_typeof(e) <> 'number'
    ) then
      perform private.refuse('A choice must be a list of numbers.');
    end if;
    select coalesce(array_agg(distinct (e #>> '{}')::smallint order by (e #>> '{}')::smallint), '{}')
      into picked from jsonb_array_elements(answer) e;
    continue when cardinality(picked) = 0;
    if q.kind = 'scale' and (cardinality(picked) <> 1 or picked[1] not between 1 and 5) then
      perform private.refuse('A scale answer is one number from 1 to 5.');
    end if;
    if q.kind = 'single' and cardinality(picked) <> 1 then
      perform private.refuse('Choose one answer.');
    end if;
    if q.kind in ('single', 'multiple')
      and exists (select 1 from unnest(picked) p where p not between 1 and cardinality(q.options)) then
      perform private.refuse('That choice is not one of the answers.');
    end if;
    continue when not store;
    insert into public.survey_answers (response_id, question_id, choices) values (response, q.id, picked);
    insert into public.survey_answer_counts (survey_id, question_id, age_band, option, n)
    select survey, q.id, band, o, 1 from unnest(array[0::smallint] || picked) o
    on conflict on constraint survey_answer_counts_pkey
    do update set n = public.survey_answer_counts.n + 1;
  end loop;
end;
$$;

-- Answers wait here, unlinked to anyone, until at least 5 have arrived for their survey; then
-- they are written together, in random order, in one transaction. Nobody (not even someone who
-- can read the database, or a designer watching the results) can match a response to the
-- person whose participation was recorded at the same moment.
create table private.survey_held_answers (
  id uuid primary key default gen_random_uuid(),
  survey_id uuid not null references public.surveys (id) on delete cascade,
  age_band public.survey_age_band not null,
  answers jsonb not null
);
revoke all on private.survey_held_answers from public, anon, authenticated;

/**
 * Writes a survey's held answers as responses, in random order, if at least `at_least` are
 * waiting. Serialised per survey, so two people sending the fifth answer at once cannot both
 * release (and count) the same batch.
 */
create function private.release_held_answers(survey uuid, at_least integer)
returns integer language plpgsql volatile security definer set search_path = ''
as $$
declare
  held record;
  released integer := 0;
begin
  perform pg_advisory_xact_lock(hashtext('survey_held_answers'), hashtext(survey::text));
  if (select count(*) from private.survey_held_answers h where h.survey_id = survey) < at_least then
    return 0;
  end if;
  for held in
    select h.age_band, h.answers from private.survey_held_answers h
    where h.survey_id = survey order by random()
  loop
    perform private.record_survey_answers(survey, held.age_band, held.answers, true);
    released := released + 1;
  end loop;
  delete from private.survey_held_answers h where h.survey_id = survey;
  return released;
end;
$$;

/**
 * Sends the caller's answers to `survey`, and records that they took part. The participation row
 * gets no time; the answers are checked now and held, without any link to the person, until at
 * least 5 can be written together (see survey_held_answers). A second response from the same
 * person fails with 23505.
 */
create function private.submit_survey_response(survey uuid, band public.survey_age_band, answers jsonb)
returns void language plpgsql volatile security definer set search_path = ''
as $$
declare
  s public.surveys;
begin
  if not private.may_answer(survey) then
    perform private.refuse('This survey is not open to you.', '42501');
  end if;
  select * into s from public.surveys where id = survey;
  if not band = any (s.bands) then
    perform private.refuse('This survey has no version for that age group.');
  end if;
  if answers is null or jsonb_typeof(answers) <> 'object' then
    perform private.refuse('Answers must be an object.');
  end if;
  begin
    insert into public.survey_participation (survey_id, user_id) values (survey, (select auth.uid()));
  exception when unique_violation then
    perform private.refuse('You have already answered this survey.', '23505');
  end;
  perform private.record_survey_answers(survey, band, answers, false);
  insert into private.survey_held_answers (survey_id, age_band, answers) values (survey, band, answers);
  perform private.release_held_answers(survey, 5);
  delete from public.survey_drafts where survey_id = survey and user_id = (select auth.uid());
end;
$$;

/** When a survey closes, whatever is still held is written, so no answer is lost. */
create function private.release_on_close()
returns trigger language plpgsql security definer set search_path = ''
as $$
begin
  perform private.release_held_answers(new.id, 1);
  return null;
end;
$$;
revoke all on function private.record_survey_answers(uuid, public.survey_age_band, jsonb, boolean),
  private.release_held_answers(uuid, integer), private.release_on_close()
  from public, anon, authenticated;

create trigger surveys_release_on_close
  after update of status on public.surveys
  for each row when (new.status = 'closed' and old.status is distinct from 'closed')
  execute function private.release_on_close();

/**
 * Rebuilds a survey's running totals from its answers (for bulk loads and repairs). Not granted to
 * anyone: the owner runs it.
 */
create function private.rebuild_survey_counts(survey uuid)
returns void language sql volatile security definer set search_path = ''
as $$
  delete from public.survey_answer_counts where survey_id = survey;
  insert into public.survey_answer_counts (survey_id, question_id, age_band, option, n)
  select survey, a.question_id, r.age_band, o.option, count(*)::int
  from public.survey_responses r
  join public.survey_answers a on a.response_id = r.id
  cross join lateral unnest(array[0::smallint] || a.choices) as o (option)
  where r.survey_id = survey
  group by a.question_id, r.age_band, o.option
  union all
  select survey, t.question_id, t.age_band, 0, count(*)::int
  from public.survey_text_answers t where t.survey_id = survey
  group by t.question_id, t.age_band;
$$;

/**
 * A survey's results with small-number suppression, for its designers only. Rows:
 *   question_id null, option 0   responses (per version, and for all versions when age_band is null)
 *   option 0                     how many answered the question; `mean` for scale questions
 *   option k > 0                 how many chose option k (scale: value k)
 * `n` (and `mean`) are null when hidden:
 *   1. a group (one question in one version, or all versions) answered by fewer than 5 is hidden;
 *   2. if exactly one version of a question is hidden, the next smallest version is hidden too,
 *      so it cannot be worked out from the all-versions figure;
 *   3. in a shown group, option counts of 1–4 are hidden, and if exactly one is, the next
 *      smallest count is hidden too;
 *   4. a scale question's mean is hidden whenever any option count in its group is;
 *   5. per-version option counts of a question are shown only if every version of it is shown
 *      and none of its per-version counts is hidden; otherwise all of them are hidden, so no
 *      count can be had by subtracting versions from the all-versions figure.
 */
create function private.survey_results(survey uuid)
returns table (question_id uuid, age_band public.survey_age_band, option smallint, n integer, mean numeric)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.designs_survey(survey) then
    perform private.refuse('Only the survey''s designers may see its results.', '42501');
  end if;
  return query
  with cells as (
    select c.question_id, c.age_band, c.option, c.n
    from public.survey_answer_counts c where c.survey_id = survey
    union all
    select c.question_id, null::public.survey_age_band, c.option, sum(c.n)::int
    from public.survey_answer_counts c where c.survey_id = survey
    group by c.question_id, c.option
    union all
    select null::uuid, r.age_band, 0::smallint, count(*)::int
    from public.survey_responses r where r.survey_id = survey group by r.age_band
    union all
    select null::uuid, null::public.survey_age_band, 0::smallint, count(*)::int
    from public.survey_responses r where r.survey_id = survey having count(*) > 0
  ),
  groups as (
    select c.question_id, c.age_band, c.n as base, c.n < 5 as small,
      (select sum(o.option * o.n)::numeric / nullif(sum(o.n), 0)
       from cells o join public.survey_questions q on q.id = o.question_id and q.kind = 'scale'
       where o.question_id = c.question_id and o.age_band is not distinct from c.age_band
         and o.option > 0) as mean
    from cells c where c.option = 0
  ),
  ranked as (
    select g.*,
      count(*) filter (where g.small and g.age_band is not null)
        over (partition by g.question_id) as small_bands,
      row_number() over (
        partition by g.question_id, (g.small or g.age_band is null) order by g.base, g.age_band
      ) as rank_shown
    from groups g
  ),
  hidden_groups as (
    select r.question_id, r.age_band,
      r.small or (r.age_band is not null and r.small_bands = 1 and not r.small and r.rank_shown = 1)
        as hidden,
      r.mean
    from ranked r
  ),
  options as (
    select c.question_id, c.age_band, c.option, c.n, c.n between 1 and 4 as small,
      count(*) filter (where c.n between 1 and 4)
        over (partition by c.question_id, c.age_band) as small_count,
      row_number() over (
        partition by c.question_id, c.age_band, (c.n between 1 and 4 or c.n = 0) order by c.n, c.option
      ) as rank_shown
    from cells c where c.option > 0
  )
  ,
  option_cells as (
    select o.question_id, o.age_band, o.option,
      o.small or (o.small_count = 1 and o.n >= 5 and o.rank_shown = 1) as hidden, o.n
    from options o
  ),
  -- Questions whose per-version option counts could be worked out from the all-versions counts
  -- minus the other versions: any version hidden, or any per-version count hidden.
  unsafe_questions as (
    select h.question_id from hidden_groups h
    where h.question_id is not null and h.age_band is not null and h.hidden
    union
    select c.question_id from option_cells c where c.age_band is not null and c.hidden
  ),
  option_figures as (
    select c.question_id, c.age_band, c.option, c.n,
      c.hidden or (
        c.age_band is not null and c.question_id in (select u.question_id from unsafe_questions u)
      ) as hidden
    from option_cells c
  )
  -- The mean is shown only when every option count in its group is: with the group's size, the
  -- shown counts and the mean, two hidden counts could otherwise be solved for exactly.
  select h.question_id, h.age_band, 0::smallint,
    case when h.hidden then null else g.base end,
    case
      when h.hidden then null
      when exists (
        select 1 from option_figures f
        where f.question_id = h.question_id and f.age_band is not distinct from h.age_band
          and f.hidden
      ) then null
      else round(h.mean, 2)
    end
  from hidden_groups h
  join groups g on g.question_id is not distinct from h.question_id
    and g.age_band is not distinct from h.age_band
  union all
  select f.question_id, f.age_band, f.option, case when f.hidden then null else f.n end, null
  from option_figures f
  join hidden_groups h on h.question_id = f.question_id and h.age_band is not distinct from f.age_band
  -- A hidden group shows nothing, not even which options someone chose.
  where not h.hidden;
end;
$$;

/**
 * Free-text answers to one question, for the survey's designers, only from versions where at
 * least 5 people answered that question (so a small group's words are never shown).
 */
create function private.survey_text_answers(question uuid, max_rows integer default 100)
returns table (id uuid, age_band public.survey_age_band, body text, theme_ids uuid[])
language plpgsql stable security definer set search_path = ''
as $$
declare
  survey uuid;
begin
  select q.survey_id into survey from public.survey_questions q where q.id = question;
  if survey is null or not private.designs_survey(survey) then
    perform private.refuse('Only the survey''s designers may read its answers.', '42501');
  end if;
  return query
  select t.id, t.age_band, t.body, t.theme_ids
  from public.survey_text_answers t
  where t.question_id = question
    and t.age_band in (
      select c.age_band from public.survey_answer_counts c
      where c.question_id = question and c.option = 0 and c.n >= 5
    )
  order by t.id
  limit least(greatest(max_rows, 0), 500);
end;
$$;

/** Tags (or untags) a free-text answer with a theme of the same survey; designers only. */
create function private.tag_text_answer(answer uuid, theme uuid, tagged boolean)
returns void language plpgsql volatile security definer set search_path = ''
as $$
declare
  survey uuid;
begin
  select t.survey_id into survey from public.survey_text_answers t
  join public.survey_themes th on th.survey_id = t.survey_id and th.id = theme
  where t.id = answer;
  if survey is null or not private.designs_survey(survey) then
    perform private.refuse('Only the survey''s designers may tag its answers.', '42501');
  end if;
  update public.survey_text_answers
  set theme_ids = case when tagged then array(select distinct unnest(theme_ids || theme))
                       else array_remove(theme_ids, theme) end
  where id = answer;
end;
$$;

/** How many free-text answers carry each theme; counts of 1–4 are hidden (null). Designers only. */
create function private.survey_theme_counts(survey uuid)
returns table (theme_id uuid, n integer)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.designs_survey(survey) then
    perform private.refuse('Only the survey''s designers may see its results.', '42501');
  end if;
  return query
  select th.id, case when count(t.id) between 1 and 4 then null else count(t.id)::int end
  from public.survey_themes th
  left join public.survey_text_answers t on t.survey_id = th.survey_id and th.id = any (t.theme_ids)
  where th.survey_id = survey
  group by th.id;
end;
$$;

/**
 * How many took part, and how many could have (members of the organisation in the audience).
 * A figure under 5 is hidden (null). Designers only.
 */
create function private.survey_reach(survey uuid, out participants integer, out eligible integer)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.designs_survey(survey) then
    perform private.refuse('Only the survey''s designers may see its results.', '42501');
  end if;
  select count(*)::int into participants from public.survey_participation p where p.survey_id = survey;
  select count(*)::int into eligible from public.memberships m
  join public.surveys s on s.organisation_id = m.organisation_id and m.role = any (s.audience)
  where s.id = survey;
  if participants < 5 then participants := null; end if;
  if eligible < 5 then eligible := null; end if;
end;
$$;

/** An organisation's published "you said, we did" actions, for its public page (anyone). */
create function private.published_actions(org uuid)
returns table (
  organisation_name text, id uuid, you_said text, we_did text,
  status public.survey_action_status, progress integer, updated_at timestamptz
)
language sql stable security definer set search_path = ''
as $$
  select o.name, a.id, a.you_said, a.we_did, a.status, a.progress, a.updated_at
  from public.organisations o
  join public.survey_actions a on a.organisation_id = o.id and a.published
  where o.id = org
  order by a.updated_at desc
$$;

-- Named one by one: a blanket grant would also reach other migrations' functions.
revoke all on function private.designs_survey(uuid), private.designs_draft(uuid),
  private.may_answer(uuid), private.may_see_survey(uuid), private.is_member_of(uuid),
  private.refuse(text, text),
  private.submit_survey_response(uuid, public.survey_age_band, jsonb),
  private.rebuild_survey_counts(uuid), private.survey_results(uuid),
  private.survey_text_answers(uuid, integer), private.tag_text_answer(uuid, uuid, boolean),
  private.survey_theme_counts(uuid), private.survey_reach(uuid), private.published_actions(uuid)
  from public, anon, authenticated;
grant execute on function private.designs_survey(uuid), private.designs_draft(uuid),
  private.may_answer(uuid), private.may_see_survey(uuid), private.is_member_of(uuid),
  private.submit_survey_response(uuid, public.survey_age_band, jsonb),
  private.survey_results(uuid), private.survey_text_answers(uuid, integer),
  private.tag_text_answer(uuid, uuid, boolean), private.survey_theme_counts(uuid),
  private.survey_reach(uuid), private.published_actions(uuid)
  to authenticated;
-- The public "you said, we did" page reads through this one function only.
grant usage on schema private to anon;
grant execute on function private.published_actions(uuid) to anon;

-- Policies: surveys -------------------------------------------------------------------------------
create policy "designers see their organisation's surveys; the audience sees published ones"
  on public.surveys for select to authenticated
  using (
    (select private.has_org_role(organisation_id, array['service_designer']::public.member_role[]))
    or (select private.may_answer(id))
  );
create policy "designers create draft surveys for their organisation"
  on public.surveys for insert to authenticated
  with check (
    created_by = (select auth.uid()) and status = 'draft'
    and (select private.has_org_role(organisation_id, array['service_designer']::public.member_role[]))
  );
create policy "designers change their organisation's surveys"
  on public.surveys for update to authenticated
  using ((select private.has_org_role(organisation_id, array['service_designer']::public.member_role[])))
  with check ((select private.has_org_role(organisation_id, array['service_designer']::public.member_role[])));
create policy "designers delete draft surveys"
  on public.surveys for delete to authenticated
  using (
    status = 'draft'
    and (select private.has_org_role(organisation_id, array['service_designer']::public.member_role[]))
  );

-- Policies: survey_questions ----------------------------------------------------------------------
create policy "designers and the audience see questions"
  on public.survey_questions for select to authenticated
  using ((select private.may_see_survey(survey_id)));
create policy "designers add questions to drafts"
  on public.survey_questions for insert to authenticated
  with check ((select private.designs_draft(survey_id)));
create policy "designers change questions of drafts"
  on public.survey_questions for update to authenticated
  using ((select private.designs_draft(survey_id)))
  with check ((select private.designs_draft(survey_id)));
create policy "designers remove questions from drafts"
  on public.survey_questions for delete to authenticated
  using ((select private.designs_draft(survey_id)));

-- Policies: survey_participation (written only by submit_survey_response) ------------------------
create policy "people see only whether they themselves answered"
  on public.survey_participation for select to authenticated
  using (user_id = (select auth.uid()));

-- Policies: survey_drafts -------------------------------------------------------------------------
create policy "people see their own unfinished answers"
  on public.survey_drafts for select to authenticated
  using (user_id = (select auth.uid()));
create policy "people start answering surveys published to them"
  on public.survey_drafts for insert to authenticated
  with check (user_id = (select auth.uid()) and (select private.may_answer(survey_id)));
create policy "people save their own unfinished answers"
  on public.survey_drafts for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()) and (select private.may_answer(survey_id)));
create policy "people throw away their own unfinished answers"
  on public.survey_drafts for delete to authenticated
  using (user_id = (select auth.uid()));

-- survey_responses, survey_answers, survey_text_answers, survey_answer_counts: RLS on, no grants,
-- and a policy that matches nothing. Only the private functions above read or write them.
create policy "nobody reads responses directly"
  on public.survey_responses for select to authenticated using (false);
create policy "nobody reads answers directly"
  on public.survey_answers for select to authenticated using (false);
create policy "nobody reads written answers directly"
  on public.survey_text_answers for select to authenticated using (false);
create policy "nobody reads the running totals directly"
  on public.survey_answer_counts for select to authenticated using (false);

-- Policies: survey_themes -------------------------------------------------------------------------
create policy "designers see themes"
  on public.survey_themes for select to authenticated
  using ((select private.designs_survey(survey_id)));
create policy "designers add themes"
  on public.survey_themes for insert to authenticated
  with check ((select private.designs_survey(survey_id)));
create policy "designers rename themes"
  on public.survey_themes for update to authenticated
  using ((select private.designs_survey(survey_id)))
  with check ((select private.designs_survey(survey_id)));
create policy "designers remove themes"
  on public.survey_themes for delete to authenticated
  using ((select private.designs_survey(survey_id)));

-- Policies: survey_actions ------------------------------------------------------------------------
create policy "designers see their organisation's actions; members see published ones"
  on public.survey_actions for select to authenticated
  using (
    (select private.has_org_role(organisation_id, array['service_designer']::public.member_role[]))
    or (published and (select private.is_member_of(organisation_id)))
  );
create policy "designers add actions for their organisation's surveys"
  on public.survey_actions for insert to authenticated
  with check (
    created_by = (select auth.uid())
    and (select private.designs_survey(survey_id))
    and organisation_id = (select s.organisation_id from public.surveys s where s.id = survey_id)
  );
create policy "designers update their organisation's actions"
  on public.survey_actions for update to authenticated
  using ((select private.has_org_role(organisation_id, array['service_designer']::public.member_role[])))
  with check ((select private.has_org_role(organisation_id, array['service_designer']::public.member_role[])));
create policy "designers remove their organisation's actions"
  on public.survey_actions for delete to authenticated
  using ((select private.has_org_role(organisation_id, array['service_designer']::public.member_role[])));

-- Grants: explicit; nothing for anon; nothing at all on responses and answers ----------------------
revoke all on public.surveys, public.survey_questions, public.survey_participation,
  public.survey_drafts, public.survey_responses, public.survey_answers, public.survey_text_answers,
  public.survey_answer_counts, public.survey_themes, public.survey_actions
  from anon, authenticated, public;
revoke all on public.survey_responses, public.survey_answers, public.survey_text_answers,
  public.survey_answer_counts from authenticated;
grant select, insert (organisation_id, title, intro, audience, bands, series_id, round, created_by),
  update (title, intro, audience, bands, status, published_at), delete on public.surveys to authenticated;
grant select, insert (survey_id, position, kind, key, prompt, simple_prompt, options, only_band),
  update (position, prompt, simple_prompt, options, only_band), delete
  on public.survey_questions to authenticated;
grant select on public.survey_participation to authenticated;
grant select, insert (survey_id, user_id, age_band, answers),
  update (age_band, answers, updated_at), delete on public.survey_drafts to authenticated;
grant select, insert (survey_id, name), update (name), delete on public.survey_themes to authenticated;
grant select, insert (organisation_id, survey_id, question_id, theme_id, you_said, we_did,
  owner_name, status, progress, published, created_by),
  update (question_id, theme_id, you_said, we_did, owner_name, status, progress, published,
    updated_at), delete on public.survey_actions to authenticated;
grant usage on type public.survey_age_band, public.survey_question_kind, public.survey_status,
  public.survey_action_status to authenticated;
