-- The people, organisations, circles and invites every RLS matrix file starts from
-- (`select tests.create_cast();`). Each file makes its own copy inside its own transaction.
--
-- The eight matrix roles (columns of every matrix row):
--   anon         not signed in
--   yp           a young person looked after by Northbridge (a local authority)
--   sw           yp's social worker at Northbridge, in yp's circle with edit access
--   family       yp's mum, a Northbridge family member, in yp's circle with comment access
--   outside_sw   a Northbridge social worker NOT in yp's circle; in yp2's circle instead
--   other_la_sw  a social worker at Eastmoor (another local authority), in other_yp's circle
--   advocate     an advocate of Brightside (an advocacy service), in yp's circle (chosen by yp)
--   admin        Northbridge's admin, in no circle
--
-- Everyone else exists so that a leak has something to leak, or an action something to act on:
--   yp2          another Northbridge young person (outside_sw's case)
--   other_yp     an Eastmoor young person (other_la_sw's case)
--   other_admin  Eastmoor's admin
--   advocate2    a Brightside advocate in no circle (yp may add them)
--   newcomer     has an account and a profile but belongs nowhere yet (people add them to things)
--   new_yp       invited by sw as a young person, not yet in any organisation or circle
--   ghost        an auth account whose profile does not exist
--
-- Rows are named: people by name, memberships `person@organisation`, circle rows
-- `young_person/member`, invites `invite:...`; tests.id('name') gives the id.
--
-- Invites (all made some time ago):
--   invite:yp        Northbridge, sw invited yp as a young person, accepted
--   invite:expired   Northbridge, sw's earlier invite to yp, lapsed unaccepted
--   invite:family    Northbridge, sw invited family into yp's circle as Mum, not yet accepted
--   invite:new_yp    Northbridge, sw invited new_yp as a young person, pending
--   invite:yp2       Northbridge, outside_sw invited yp2, accepted
--   invite:other_yp  Eastmoor, other_la_sw invited other_yp, accepted

create function tests.create_cast()
returns void language plpgsql set search_path = ''
as $$
begin
  perform tests.create_organisation('northbridge', 'local_authority');
  perform tests.create_organisation('eastmoor', 'local_authority');
  perform tests.create_organisation('brightside', 'advocacy_service');

  perform tests.create_person(p) from unnest(array[
    'yp', 'sw', 'family', 'outside_sw', 'other_la_sw', 'advocate', 'admin',
    'yp2', 'other_yp', 'other_admin', 'advocate2', 'newcomer', 'new_yp'
  ]) p;
  perform tests.create_person('ghost', with_profile => false);

  perform tests.add_membership('yp', 'northbridge', 'young_person');
  perform tests.add_membership('sw', 'northbridge', 'social_worker');
  perform tests.add_membership('family', 'northbridge', 'family_member');
  perform tests.add_membership('outside_sw', 'northbridge', 'social_worker');
  perform tests.add_membership('admin', 'northbridge', 'admin');
  perform tests.add_membership('yp2', 'northbridge', 'young_person');
  perform tests.add_membership('other_la_sw', 'eastmoor', 'social_worker');
  perform tests.add_membership('other_yp', 'eastmoor', 'young_person');
  perform tests.add_membership('other_admin', 'eastmoor', 'admin');
  perform tests.add_membership('advocate', 'brightside', 'advocate');
  perform tests.add_membership('advocate2', 'brightside', 'advocate');

  perform tests.add_to_circle('yp', 'sw', 'Social worker', 'edit', 'sw');
  perform tests.add_to_circle('yp', 'family', 'Mum', 'comment', 'sw');
  perform tests.add_to_circle('yp', 'advocate', 'Advocate', 'comment', 'yp');
  perform tests.add_to_circle('yp2', 'outside_sw', 'Social worker', 'edit', 'outside_sw');
  perform tests.add_to_circle('other_yp', 'other_la_sw', 'Social worker', 'edit', 'other_la_sw');

  perform tests.create_invite('invite:yp', 'northbridge', 'yp', 'sw', 'young_person',
    accepted => true);
  perform tests.create_invite('invite:expired', 'northbridge', 'yp', 'sw', 'young_person',
    expired => true);
  perform tests.create_invite('invite:family', 'northbridge', 'family', 'sw', 'family_member',
    young_person => 'yp', relationship => 'Mum');
  perform tests.create_invite('invite:new_yp', 'northbridge', 'new_yp', 'sw', 'young_person');
  perform tests.create_invite('invite:yp2', 'northbridge', 'yp2', 'outside_sw', 'young_person',
    accepted => true);
  perform tests.create_invite('invite:other_yp', 'eastmoor', 'other_yp', 'other_la_sw',
    'young_person', accepted => true);

  perform tests.matrix_role('anon', 'not signed in');
  perform tests.matrix_role('yp', 'the young person');
  perform tests.matrix_role('sw', 'their social worker (in the circle, edit access)');
  perform tests.matrix_role('family', 'their mum (in the circle, comment access)');
  perform tests.matrix_role('outside_sw', 'a social worker of the same local authority, not in the circle');
  perform tests.matrix_role('other_la_sw', 'a social worker of another local authority');
  perform tests.matrix_role('advocate', 'an advocate of an advocacy service (in the circle)');
  perform tests.matrix_role('admin', 'an admin of the young person''s local authority');
end;
$$;

-- Advocacy (rls_advocacy_*.test.sql): `select tests.create_advocacy_cast();` instead of
-- tests.create_cast(). It adds two matrix roles, so every advocacy matrix row also says what
--   other_advocate  an advocate of Otherside, another advocacy service
--   manager         Brightside's manager (an admin of the advocacy service), who reads a request
--                   only under an open break-glass
-- may do, and these rows:
--   req:yp      yp's own request to Brightside (signed in); req:anon an anonymous request to
--               Brightside (reference 'test-reference-anon-0001'); req:other yp2's request to
--               Otherside; req:closed yp's earlier request to Brightside, closed
--   msg:yp, msg:advocate (on req:yp), msg:anon (req:anon), msg:other (req:other)
--   plan:yp (req:yp), plan:other (req:other)
--   bg:open     manager's open break-glass on req:anon; bg:expired manager's lapsed one on req:yp
--   bg:other    other_manager's break-glass on req:other (Otherside)
create function tests.create_advocacy_cast()
returns void language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid;
begin
  perform tests.create_cast();
  perform tests.create_organisation('otherside', 'advocacy_service');
  perform tests.create_person(p) from unnest(array['other_advocate', 'manager', 'other_manager']) p;
  perform tests.add_membership('other_advocate', 'otherside', 'advocate');
  perform tests.add_membership('manager', 'brightside', 'admin');
  perform tests.add_membership('other_manager', 'otherside', 'admin');

  insert into public.advocacy_requests (service_id, young_person_id, call_me, care_status, about,
      urgency, social_worker_may_know)
    values (tests.id('brightside'), tests.id('yp'), 'Y', 'in_care', 'My contact with my brother',
      'this_week', 'no')
    returning id into new_id;
  perform tests._register('req:yp', 'advocacy_requests', new_id);
  insert into public.advocacy_requests (service_id, reference_hash, call_me, care_status, about,
      urgency, social_worker_may_know)
    values (tests.id('brightside'), extensions.digest('test-reference-anon-0001', 'sha256'), 'A',
      'care_leaver', 'My flat', 'today', 'ask_me')
    returning id into new_id;
  perform tests._register('req:anon', 'advocacy_requests', new_id);
  insert into public.advocacy_requests (service_id, young_person_id, call_me, care_status, about,
      urgency, social_worker_may_know)
    values (tests.id('otherside'), tests.id('yp2'), 'Z', 'in_care', 'School', 'not_urgent', 'yes')
    returning id into new_id;
  perform tests._register('req:other', 'advocacy_requests', new_id);
  insert into public.advocacy_requests (service_id, young_person_id, call_me, care_status, about,
      urgency, social_worker_may_know, status, outcome, closed_at)
    values (tests.id('brightside'), tests.id('yp'), 'Y', 'in_care', 'Pocket money', 'not_urgent',
      'yes', 'closed', 'Sorted at the review', now() - interval '3 days')
    returning id into new_id;
  perform tests._register('req:closed', 'advocacy_requests', new_id);

  insert into public.advocacy_messages (request_id, author_id, from_young_person, body)
    values (tests.id('req:yp'), tests.id('yp'), true, 'Can you help?') returning id into new_id;
  perform tests._register('msg:yp', 'advocacy_messages', new_id);
  insert into public.advocacy_messages (request_id, author_id, from_young_person, body)
    values (tests.id('req:yp'), tests.id('advocate'), false, 'Yes, I can.') returning id into new_id;
  perform tests._register('msg:advocate', 'advocacy_messages', new_id);
  insert into public.advocacy_messages (request_id, author_id, from_young_person, body)
    values (tests.id('req:anon'), null, true, 'Thanks') returning id into new_id;
  perform tests._register('msg:anon', 'advocacy_messages', new_id);
  insert into public.advocacy_messages (request_id, author_id, from_young_person, body)
    values (tests.id('req:other'), tests.id('yp2'), true, 'Hello') returning id into new_id;
  perform tests._register('msg:other', 'advocacy_messages', new_id);

  insert into public.advocacy_plans (request_id, wants_stopped, updated_by)
    values (tests.id('req:yp'), 'Moving schools', tests.id('advocate')) returning id into new_id;
  perform tests._register('plan:yp', 'advocacy_plans', new_id);
  insert into public.advocacy_plans (request_id, wants_started, updated_by)
    values (tests.id('req:other'), 'Football', tests.id('other_advocate')) returning id into new_id;
  perform tests._register('plan:other', 'advocacy_plans', new_id);

  insert into public.advocacy_break_glass (request_id, manager_id, reason, expires_at)
    values (tests.id('req:anon'), tests.id('manager'), 'Advocate reports a risk of serious harm',
      now() + interval '2 hours') returning id into new_id;
  perform tests._register('bg:open', 'advocacy_break_glass', new_id);
  insert into public.advocacy_break_glass (request_id, manager_id, reason, created_at, expires_at)
    values (tests.id('req:yp'), tests.id('manager'), 'Checking a concern raised last week',
      now() - interval '30 hours', now() - interval '10 hours') returning id into new_id;
  perform tests._register('bg:expired', 'advocacy_break_glass', new_id);
  insert into public.advocacy_break_glass (request_id, manager_id, reason, expires_at)
    values (tests.id('req:other'), tests.id('other_manager'), 'Otherside safeguarding check now',
      now() + interval '1 hour') returning id into new_id;
  perform tests._register('bg:other', 'advocacy_break_glass', new_id);

  perform tests.matrix_role('other_advocate', 'an advocate of another advocacy service');
  perform tests.matrix_role('manager', 'the advocacy service''s manager (break-glass only)');
end;
$$;

/**
 * Advocacy checks on functions (which refuse with their own SQLSTATEs, not only 42501): the
 * current actor runs `statement` (rolled back) and it must fail with exactly `expected_state`.
 */
create function tests.expect_sqlstate(
  tbl text, op text, what text, statement text, expected_state text
)
returns void language plpgsql set search_path = ''
as $$
declare
  who text := tests._current_actor();
  r record := tests._run(who, statement, null, false);
  passed boolean := r.outcome = 'error' and r.error_code = expected_state;
begin
  perform tests._record(tbl, op, false, passed, case when not passed then format(
    '%s %s as %s (%s): expected SQLSTATE %s, but %s', tbl, op, who, what, expected_state,
    case when r.outcome = 'ok' then format('it succeeded (%s rows)', r.affected)
      else format('it failed with %s: %s', r.error_code, r.error_message) end) end);
end;
$$;

/** `query` (one value, run as the current actor, not rolled back) equals `expected` as text. */
create function tests.expect_equal(tbl text, what text, query text, expected text)
returns void language plpgsql set search_path = ''
as $$
declare
  got text;
begin
  execute format('select (%s)::text', query) into got;
  perform tests._record(tbl, 'check', false, got is not distinct from expected,
    case when got is distinct from expected then format('%s as %s (%s): expected %s, got %s',
      tbl, tests._current_actor(), what, coalesce(expected, 'null'), coalesce(got, 'null')) end);
end;
$$;

-- Documents (rls_document*.test.sql): `select tests.create_cast(); select
-- tests.create_document_cast();`. The same eight matrix roles; these rows:
--   doc:yp_care_plan       yp's care plan (sw started it): the circle sees it at its access level
--   doc:yp_story           yp's "my story": private to yp
--   doc:yp2_care_plan      yp2's care plan (outside_sw's case)
--   doc:other_yp_pathway   other_yp's pathway plan (Eastmoor, other_la_sw's case)
--   snap:<doc>             a snapshot of each document, through an edit already compacted away
--   upd:yp_care_plan/1..3  edits after the snapshot, by sw, yp and sw; upd:yp_story/1 by yp;
--   upd:yp2_care_plan/1 by outside_sw; upd:other_yp_pathway/1 by other_la_sw
--   read:<reader>/<doc>    reads of yp's care plan by sw, family and advocate; of yp's story by
--                          yp; of yp2's care plan by outside_sw; of other_yp's pathway plan by
--                          other_la_sw
-- document_updates and document_reads have bigint ids and document_snapshots is keyed by
-- document_id, so tests.id()/tests.matrix_select (uuid ids) cannot name their rows: they are
-- "keyed fixtures" instead (tests.key('upd:yp_care_plan/1') gives the key as text), with
-- tests.matrix_select_keyed / tests.expect_visible_keyed as the select checks.

create table tests.keyed_fixtures (
  name text primary key,
  tbl text not null,
  key_column text not null,
  key text not null,
  unique (tbl, key)
);

create function tests._register_keyed(fixture text, table_name text, column_name text, row_key text)
returns text language plpgsql security definer set search_path = ''
as $$
begin
  if exists (select from tests.keyed_fixtures k where k.tbl = table_name
      and k.key_column <> column_name) then
    raise exception 'tests._register_keyed: % is keyed by another column', table_name;
  end if;
  insert into tests.keyed_fixtures (name, tbl, key_column, key)
  values (fixture, table_name, column_name, row_key);
  return row_key;
end;
$$;

/** The key (as text) of a keyed fixture row; unknown names raise, as tests.id does. */
create function tests.key(fixture text)
returns text language plpgsql stable security definer set search_path = ''
as $$
declare
  found text;
begin
  select k.key into found from tests.keyed_fixtures k where k.name = fixture;
  if found is null then
    raise exception 'tests.key: there is no keyed fixture named "%"', fixture;
  end if;
  return found;
end;
$$;

create function tests._keyed(table_name text, out key_column text, out keys text[])
language sql stable security definer set search_path = ''
as $$
  select min(k.key_column), coalesce(array_agg(k.key), '{}') from tests.keyed_fixtures k
  where k.tbl = table_name
$$;

create function tests._keyed_names(table_name text, row_keys text[])
returns text[] language sql stable security definer set search_path = ''
as $$
  select coalesce(array_agg(k.name order by k.name), '{}') from tests.keyed_fixtures k
  where k.tbl = table_name and (row_keys is null or k.key = any (row_keys))
$$;

/** As tests._visible, for keyed fixtures: which of them `who` can select, rolled back. */
create function tests._visible_keyed(
  who text, table_name text, out outcome text, out seen text[], out error_code text,
  out error_message text
)
language plpgsql set search_path = ''
as $$
declare
  claims text := tests._claims(who);
  k record;
  seen_keys text[];
begin
  select * into k from tests._keyed(table_name);
  begin
    perform tests._become(who, claims);
    execute format('select coalesce(array_agg(%I::text), ''{}'') from public.%I '
        'where %I::text = any ($1)', k.key_column, table_name, k.key_column)
      into seen_keys using k.keys;
    raise exception using errcode = 'TSTRB', message = 'tests: roll back this check';
  exception
    when sqlstate 'TSTRB' then
      outcome := 'ok';
    when others then
      outcome := 'error';
      get stacked diagnostics error_code = returned_sqlstate, error_message = message_text;
  end;
  seen := case when outcome = 'ok' then tests._keyed_names(table_name, seen_keys) else '{}' end;
end;
$$;

/** As tests._check_select (same messages, same coverage), for keyed fixtures. */
create function tests._check_select_keyed(tbl text, who text, expected text[], in_matrix boolean)
returns boolean language plpgsql set search_path = ''
as $$
declare
  v record;
begin
  if exists (select 1 from unnest(expected) e where e <> all (tests._keyed_names(tbl, null))) then
    return tests._judge_select(tbl, who, expected, in_matrix, tests._keyed_names(tbl, null),
      'keyed fixture rows', null, '{}', null, null);
  end if;
  v := tests._visible_keyed(who, tbl);
  return tests._judge_select(tbl, who, expected, in_matrix, tests._keyed_names(tbl, null),
    'keyed fixture rows', v.outcome, v.seen, v.error_code, v.error_message);
end;
$$;

/** As tests.matrix_select, for a table whose rows are keyed fixtures. */
create function tests.matrix_select_keyed(tbl text, expectations text)
returns void language plpgsql set search_path = ''
as $$
declare
  line record;
begin
  for line in select * from tests._parse_matrix(tbl, 'select', expectations) loop
    perform tests._check_select_keyed(tbl, line.who, array_remove(line.items, '-'), true);
  end loop;
end;
$$;

/** As tests.expect_visible, for keyed fixtures. */
create function tests.expect_visible_keyed(tbl text, rows text)
returns void language plpgsql set search_path = ''
as $$
begin
  perform tests._check_select_keyed(tbl, tests._current_actor(),
    array_remove(regexp_split_to_array(trim(rows), '[\s,]+'), ''), false);
end;
$$;

create function tests.create_document(fixture text, young_person text, kind text, created_by text)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid;
begin
  perform tests._not_acting('create_document');
  insert into public.documents (young_person_id, kind, title, created_by)
  values (tests.id(young_person), kind::public.document_kind, initcap(replace(fixture, '_', ' ')),
    tests.id(created_by))
  returning id into new_id;
  return tests._register(fixture, 'documents', new_id);
end;
$$;

/** An edit of `document` by `author`; its bytes are `\x01` unless given. */
create function tests.add_document_update(
  fixture text, document text, author text, bytes bytea default '\x01'
)
returns text language plpgsql security definer set search_path = ''
as $$
declare
  new_id bigint;
begin
  perform tests._not_acting('add_document_update');
  insert into public.document_updates (document_id, author_id, update)
  values (tests.id(document), tests.id(author), bytes)
  returning id into new_id;
  return tests._register_keyed(fixture, 'document_updates', 'id', new_id::text);
end;
$$;

/** A snapshot of `document` through one edit, which (as compaction does) is then removed. */
create function tests.create_snapshot(fixture text, document text)
returns text language plpgsql security definer set search_path = ''
as $$
declare
  through bigint;
  through_id bigint;
begin
  perform tests._not_acting('create_snapshot');
  insert into public.document_updates (document_id, author_id, update)
  values (tests.id(document), null, '\x00')
  returning seq, id into through, through_id;
  insert into public.document_snapshots (document_id, state, through_seq)
  values (tests.id(document), '\x00', through);
  delete from public.document_updates where id = through_id;
  return tests._register_keyed(fixture, 'document_snapshots', 'document_id',
    tests.id(document)::text);
end;
$$;

create function tests.add_document_read(fixture text, document text, reader text, purpose text)
returns text language plpgsql security definer set search_path = ''
as $$
declare
  new_id bigint;
begin
  perform tests._not_acting('add_document_read');
  insert into public.document_reads (document_id, young_person_id, reader_id, purpose)
  select d.id, d.young_person_id, tests.id(reader), purpose
  from public.documents d where d.id = tests.id(document)
  returning id into new_id;
  return tests._register_keyed(fixture, 'document_reads', 'id', new_id::text);
end;
$$;

create function tests.create_document_cast()
returns void language plpgsql security definer set search_path = ''
as $$
begin
  perform tests.create_document('doc:yp_care_plan', 'yp', 'care_plan', 'sw');
  perform tests.create_document('doc:yp_story', 'yp', 'my_story', 'yp');
  perform tests.create_document('doc:yp2_care_plan', 'yp2', 'care_plan', 'outside_sw');
  perform tests.create_document('doc:other_yp_pathway', 'other_yp', 'pathway_plan', 'other_la_sw');

  perform tests.create_snapshot('snap:yp_care_plan', 'doc:yp_care_plan');
  perform tests.create_snapshot('snap:yp_story', 'doc:yp_story');
  perform tests.create_snapshot('snap:yp2_care_plan', 'doc:yp2_care_plan');
  perform tests.create_snapshot('snap:other_yp_pathway', 'doc:other_yp_pathway');

  perform tests.add_document_update('upd:yp_care_plan/1', 'doc:yp_care_plan', 'sw');
  perform tests.add_document_update('upd:yp_care_plan/2', 'doc:yp_care_plan', 'yp');
  perform tests.add_document_update('upd:yp_care_plan/3', 'doc:yp_care_plan', 'sw');
  perform tests.add_document_update('upd:yp_story/1', 'doc:yp_story', 'yp');
  perform tests.add_document_update('upd:yp2_care_plan/1', 'doc:yp2_care_plan', 'outside_sw');
  perform tests.add_document_update('upd:other_yp_pathway/1', 'doc:other_yp_pathway',
    'other_la_sw');

  perform tests.add_document_read('read:sw/yp_care_plan', 'doc:yp_care_plan', 'sw', 'edit');
  perform tests.add_document_read('read:family/yp_care_plan', 'doc:yp_care_plan', 'family', 'view');
  perform tests.add_document_read('read:advocate/yp_care_plan', 'doc:yp_care_plan', 'advocate',
    'view');
  perform tests.add_document_read('read:yp/yp_story', 'doc:yp_story', 'yp', 'edit');
  perform tests.add_document_read('read:outside_sw/yp2_care_plan', 'doc:yp2_care_plan',
    'outside_sw', 'view');
  perform tests.add_document_read('read:other_la_sw/other_yp_pathway', 'doc:other_yp_pathway',
    'other_la_sw', 'print');
end;
$$;

-- Feedback surveys (rls_survey*.test.sql) ---------------------------------------------------------
-- `select tests.create_feedback_cast();` after tests.create_cast() adds a ninth matrix role,
--   designer     a service designer at Northbridge
-- and other_designer (Eastmoor's). Surveys, all by Northbridge unless said:
--   survey:draft     a draft for young people (8–11 and 11–17), question q:draft
--   survey:open      published to young people, questions q:open (scale) and q:open_text; yp has
--                    answered it; 8 anonymous responses: 6 from 11–17, 2 from 8–11
--   survey:open2     published to young people, question q:open2; yp has a draft (unfinished
--                    answers), yp2 has answered it
--   survey:families  published to family members
--   survey:eastmoor  Eastmoor's, published to its young people, question q:eastmoor
-- theme:open (survey:open); actions action:published and action:hidden (Northbridge, survey:open),
-- action:eastmoor (published). yp2 also has a draft for survey:open.

create function tests._feedback_row(fixture text, tbl text, row_id uuid)
returns uuid language sql security definer set search_path = ''
as $$ select tests._register(fixture, tbl, row_id) $$;

create function tests.create_feedback_cast()
returns void language plpgsql security definer set search_path = ''
as $$
declare
  s uuid;
  rid uuid;
  band public.survey_age_band;
  v_f text;
  v_sv text;
  v_p int;
  v_k text;
  v_o text;
  v_pub boolean;
  v_d text;
begin
  perform tests._not_acting('create_feedback_cast');
  perform tests.create_person('designer');
  perform tests.create_person('other_designer');
  perform tests.add_membership('designer', 'northbridge', 'service_designer');
  perform tests.add_membership('other_designer', 'eastmoor', 'service_designer');
  perform tests.matrix_role('designer', 'a service designer of the young person''s local authority');

  insert into public.surveys (organisation_id, title, audience, bands, status, created_by)
  select tests.id(o), t, a::public.member_role[], b::public.survey_age_band[],
    st::public.survey_status, tests.id(d)
  from (values
    ('survey:draft', 'northbridge', 'Draft', '{young_person}', '{age_8_11,age_11_17}', 'draft', 'designer'),
    ('survey:open', 'northbridge', 'Open', '{young_person}', '{age_8_11,age_11_17}', 'published', 'designer'),
    ('survey:open2', 'northbridge', 'Open 2', '{young_person}', '{age_11_17}', 'published', 'designer'),
    ('survey:families', 'northbridge', 'Families', '{family_member}', '{age_11_17}', 'published', 'designer'),
    ('survey:eastmoor', 'eastmoor', 'Eastmoor', '{young_person}', '{age_11_17}', 'published', 'other_designer')
  ) as v (f, o, t, a, b, st, d);
  -- Register them by title (the insert above cannot return fixture names), within the cast's own
  -- organisations: other tests in the same database may make surveys with the same titles.
  perform tests._feedback_row(f, 'surveys', (select id from public.surveys
    where title = t and organisation_id in (tests.id('northbridge'), tests.id('eastmoor'))))
  from (values ('survey:draft', 'Draft'), ('survey:open', 'Open'), ('survey:open2', 'Open 2'),
    ('survey:families', 'Families'), ('survey:eastmoor', 'Eastmoor')) as v (f, t);

  for v_f, v_sv, v_p, v_k in
    select * from (values ('q:draft', 'survey:draft', 1, 'scale'), ('q:open', 'survey:open', 1, 'scale'),
      ('q:open_text', 'survey:open', 2, 'text'), ('q:open2', 'survey:open2', 1, 'scale'),
      ('q:eastmoor', 'survey:eastmoor', 1, 'scale')) as v (f, sv, p, k)
  loop
    insert into public.survey_questions (survey_id, position, kind, prompt)
    values (tests.id(v_sv), v_p, v_k::public.survey_question_kind, 'Question ' || v_f)
    returning id into rid;
    perform tests._feedback_row(v_f, 'survey_questions', rid);
  end loop;

  insert into public.survey_participation (survey_id, user_id) values
    (tests.id('survey:open'), tests.id('yp')), (tests.id('survey:open2'), tests.id('yp2'));
  insert into public.survey_drafts (survey_id, user_id, age_band, answers) values
    (tests.id('survey:open2'), tests.id('yp'), 'age_11_17', '{}'),
    (tests.id('survey:open'), tests.id('yp2'), 'age_11_17', '{}');

  -- 8 anonymous responses to survey:open: 6 from 11–17 (scale 4,4,4,4,5,2), 2 from 8–11 (3,3).
  s := tests.id('survey:open');
  for i in 1..8 loop
    band := (case when i <= 6 then 'age_11_17' else 'age_8_11' end)::public.survey_age_band;
    insert into public.survey_responses (survey_id, age_band) values (s, band) returning id into rid;
    insert into public.survey_answers (response_id, question_id, choices)
    values (rid, tests.id('q:open'), array[(array[4, 4, 4, 4, 5, 2, 3, 3])[i]]::smallint[]);
    insert into public.survey_text_answers (survey_id, question_id, age_band, body)
    values (s, tests.id('q:open_text'), band, 'Words ' || i);
  end loop;
  perform private.rebuild_survey_counts(s);

  insert into public.survey_themes (survey_id, name) values (s, 'Contact') returning id into rid;
  perform tests._feedback_row('theme:open', 'survey_themes', rid);

  for v_f, v_o, v_sv, v_pub, v_d in
    select * from (values ('action:published', 'northbridge', 'survey:open', true, 'designer'),
      ('action:hidden', 'northbridge', 'survey:open', false, 'designer'),
      ('action:eastmoor', 'eastmoor', 'survey:eastmoor', true, 'other_designer')) as v (f, o, sv, pub, d)
  loop
    insert into public.survey_actions (organisation_id, survey_id, you_said, we_did, owner_name,
      published, created_by)
    values (tests.id(v_o), tests.id(v_sv), 'You said ' || v_f, 'We did ' || v_f, 'Team', v_pub,
      tests.id(v_d))
    returning id into rid;
    perform tests._feedback_row(v_f, 'survey_actions', rid);
  end loop;
end;
$$;

/**
 * Like tests.matrix, for any operation including select (row count = rows returned): for tables
 * with no `id` column, which tests.matrix_select cannot list.
 */
create function tests.matrix_rows(tbl text, op text, what text, statement text, expectations text)
returns void language plpgsql set search_path = ''
as $$
declare
  line record;
begin
  for line in select * from tests._parse_matrix(tbl, op, expectations) loop
    if cardinality(line.items) <> 1 then
      perform tests._record(tbl, op, true, false, format('%s %s as %s (%s): one expectation, not %s',
        tbl, op, line.who, what, tests._set(line.items)));
    else
      perform tests._check_write(tbl, op, line.who, what, statement, null, line.items[1], true);
    end if;
  end loop;
end;
$$;

/**
 * Rows of the anonymous response tables that contain any account's id or email anywhere (as the
 * superuser, which can read them): there must be none.
 */
create function tests.responses_naming_accounts()
returns table (tbl text, row_text text) language sql stable security definer set search_path = ''
as $$
  select 'survey_responses', to_jsonb(r)::text from public.survey_responses r, auth.users u
  where to_jsonb(r)::text ilike '%' || u.id::text || '%' or to_jsonb(r)::text ilike '%' || u.email || '%'
  union all
  select 'survey_answers', to_jsonb(a)::text from public.survey_answers a, auth.users u
  where to_jsonb(a)::text ilike '%' || u.id::text || '%' or to_jsonb(a)::text ilike '%' || u.email || '%'
  union all
  select 'survey_text_answers', to_jsonb(t)::text from public.survey_text_answers t, auth.users u
  where to_jsonb(t)::text ilike '%' || u.id::text || '%' or to_jsonb(t)::text ilike '%' || u.email || '%'
$$;

/** How many responses, answers and participation rows a survey has (superuser counts). */
create function tests.survey_counts(survey uuid)
returns table (responses bigint, answers bigint, participants bigint, drafts bigint)
language sql stable security definer set search_path = ''
as $$
  select (select count(*) from public.survey_responses where survey_id = survey),
    (select count(*) from public.survey_answers a join public.survey_responses r on r.id = a.response_id
      where r.survey_id = survey),
    (select count(*) from public.survey_participation where survey_id = survey),
    (select count(*) from public.survey_drafts where survey_id = survey)
$$;

-- Document versions and sign-offs (rls_document_versions / rls_document_signoffs.test.sql):
-- `select tests.create_cast(); select tests.create_document_cast(); select
-- tests.create_version_cast();`. The same eight matrix roles; these rows:
--   ver:yp_care_plan/agreed    sw saved yp's care plan as the agreed version of a review
--   ver:yp_care_plan/draft     yp saved a draft version of their care plan
--   ver:yp_story/1             yp's version of their story (private to yp)
--   ver:yp_story/2             a later version of yp's story, not signed yet
--   ver:yp2_care_plan/1        outside_sw's version of yp2's care plan
--   ver:other_yp_pathway/1     other_la_sw's version of other_yp's pathway plan
--   sign:yp/agreed             yp agrees with ver:yp_care_plan/agreed
--   sign:yp/story              yp agrees with ver:yp_story/1
--   sign:outside_sw/yp2        outside_sw does not agree with ver:yp2_care_plan/1 (with a reason)
--   sign:other_la_sw/other_yp  other_la_sw agrees with ver:other_yp_pathway/1
-- (sw has not signed ver:yp_care_plan/agreed, so the matrix can ask who may.)

create function tests.add_document_version(
  fixture text, document text, created_by text, is_review boolean default false
)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid;
begin
  perform tests._not_acting('add_document_version');
  insert into public.document_versions (document_id, name, state, is_review, created_by)
  values (tests.id(document), 'Version ' || fixture, '\x0000', is_review, tests.id(created_by))
  returning id into new_id;
  return tests._register(fixture, 'document_versions', new_id);
end;
$$;

create function tests.add_document_signoff(
  fixture text, version text, signer text, agrees boolean, reason text default null
)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid;
begin
  perform tests._not_acting('add_document_signoff');
  insert into public.document_signoffs (version_id, signer_id, agrees, reason)
  values (tests.id(version), tests.id(signer), agrees, reason)
  returning id into new_id;
  return tests._register(fixture, 'document_signoffs', new_id);
end;
$$;

create function tests.create_version_cast()
returns void language plpgsql security definer set search_path = ''
as $$
begin
  perform tests.add_document_version('ver:yp_care_plan/agreed', 'doc:yp_care_plan', 'sw', true);
  perform tests.add_document_version('ver:yp_care_plan/draft', 'doc:yp_care_plan', 'yp');
  perform tests.add_document_version('ver:yp_story/1', 'doc:yp_story', 'yp');
  perform tests.add_document_version('ver:yp_story/2', 'doc:yp_story', 'yp');
  perform tests.add_document_version('ver:yp2_care_plan/1', 'doc:yp2_care_plan', 'outside_sw',
    true);
  perform tests.add_document_version('ver:other_yp_pathway/1', 'doc:other_yp_pathway',
    'other_la_sw', true);

  perform tests.add_document_signoff('sign:yp/agreed', 'ver:yp_care_plan/agreed', 'yp', true);
  perform tests.add_document_signoff('sign:yp/story', 'ver:yp_story/1', 'yp', true);
  perform tests.add_document_signoff('sign:outside_sw/yp2', 'ver:yp2_care_plan/1', 'outside_sw',
    false, 'The contact plan is not what we agreed');
  perform tests.add_document_signoff('sign:other_la_sw/other_yp', 'ver:other_yp_pathway/1',
    'other_la_sw', true);
end;
$$;

-- Story shares (rls_document_shares.test.sql, and the sharing checks at the end of
-- rls_documents.test.sql / rls_document_updates.test.sql): after create_cast and
-- create_document_cast, `select tests.create_document_shares_cast();` adds
--   doc:yp2_story               yp2's "my story"
--   share:yp_story/family       yp shares their story with family (in yp's circle), comment
--   share:yp_story/advocate     yp shares their story with advocate (in yp's circle), view
--   share:yp2_story/outside_sw  yp2 shares their story with outside_sw (yp2's social worker), view
-- sw, yp's social worker, is in yp's circle but yp has NOT shared the story with them.

/** Registered as `share:<document without its doc: prefix>/<person>`. */
create function tests.share_document(document text, person text, access text, shared_by text)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid;
begin
  perform tests._not_acting('share_document');
  insert into public.document_shares (document_id, person_id, access, shared_by)
  values (tests.id(document), tests.id(person), access::public.access_level, tests.id(shared_by))
  returning id into new_id;
  return tests._register('share:' || replace(document, 'doc:', '') || '/' || person,
    'document_shares', new_id);
end;
$$;

create function tests.create_document_shares_cast()
returns void language plpgsql security definer set search_path = ''
as $$
begin
  perform tests.create_document('doc:yp2_story', 'yp2', 'my_story', 'yp2');
  perform tests.share_document('doc:yp_story', 'family', 'comment', 'yp');
  perform tests.share_document('doc:yp_story', 'advocate', 'view', 'yp');
  perform tests.share_document('doc:yp2_story', 'outside_sw', 'view', 'yp2');
end;
$$;

-- Survey result counts written straight into the summary that results are computed from, so a
-- suppression test can set up exactly the counts it reasons about (rls_survey_anonymity).
create function tests.set_answer_counts(survey text, question text, counts jsonb)
returns void language plpgsql security definer set search_path = ''
as $$
begin
  perform tests._not_acting('set survey answer counts');
  delete from public.survey_answer_counts c
  where c.survey_id = tests.id(survey) and c.question_id = tests.id(question);
  insert into public.survey_answer_counts (survey_id, question_id, age_band, option, n)
  select tests.id(survey), tests.id(question), (e ->> 0)::public.survey_age_band,
    (e ->> 1)::smallint, (e ->> 2)::integer
  from jsonb_array_elements(counts) e;
end;
$$;

-- Held survey answers (rls_survey_anonymity): answers from `n` other people waiting for their
-- batch, and the release a batch of 5 (or closing the survey) triggers.
create function tests.hold_answers(survey text, n integer, band text default 'age_11_17')
returns void language sql security definer set search_path = ''
as $$
  insert into private.survey_held_answers (survey_id, age_band, answers)
  select tests.id(survey), band::public.survey_age_band, '{}'::jsonb from generate_series(1, n)
$$;

create function tests.held_answers(survey text)
returns bigint language sql stable security definer set search_path = ''
as $$
  select count(*) from private.survey_held_answers where survey_id = tests.id(survey)
$$;

create function tests.release_held_answers(survey text)
returns integer language sql security definer set search_path = ''
as $$
  select private.release_held_answers(tests.id(survey), 5)
$$;

-- Advocacy rate-limit events (rls_advocacy_anonymous): private, so read through these.
create function tests.advocacy_rate_events()
returns table (kind text, key text, at timestamptz)
language sql stable security definer set search_path = ''
as $$
  select e.kind, e.key, e.at from private.advocacy_rate_events e
$$;

/** The digest private.advocacy_rate_check stores for this kind of event from this address. */
create function tests.advocacy_address_event_key(kind text, address text)
returns text language sql stable security definer set search_path = ''
as $$
  select encode(extensions.digest(s.ip_salt || convert_to(kind || ':'
    || private.advocacy_client_key(address), 'UTF8'), 'sha256'), 'hex')
  from private.advocacy_secrets s
$$;

/** Moves an advocacy request's time of asking: time travel for tests (repeats by reference). */
create function tests.move_advocacy_request(request uuid, created timestamptz)
returns void language sql security definer set search_path = ''
as $$
  update public.advocacy_requests set created_at = created where id = request
$$;

/** What an advocacy request repeats (private to its advocates; read here as the owner). */
create function tests.advocacy_repeat_of(request uuid)
returns uuid language sql stable security definer set search_path = ''
as $$
  select r.repeat_of from public.advocacy_requests r where r.id = request
$$;

/** Every person's and every advocacy request's id, as text (to look for them in other rows). */
create function tests.people_and_request_ids()
returns setof text language sql stable security definer set search_path = ''
as $$
  select id::text from auth.users union all select id::text from public.advocacy_requests
$$;
