-- Plain-SQL helpers for the RLS tests in this folder (pgTAP is not available).
--
-- How a test file runs (tests/support/sql-tests.ts does this; by hand with psql as a superuser):
--
--   begin;
--   \i supabase/test-helpers/helpers.sql    -- this file, then the other files here (the cast)
--   select tests.start('in_my_words_app');  -- from here on the transaction runs as the app's role
--   \i supabase/tests/<name>.test.sql
--   select tests.finish();                  -- raises one exception listing every failed check
--   rollback;                               -- fixtures, helpers and any changed policy vanish
--
-- Why one superuser session rather than a connection as the app's login role: fixtures, checks
-- and (in tests/db/rls-mutation.test.ts) a deliberately broken policy must all live in one
-- transaction that is rolled back, and a second connection could not see any of it uncommitted.
-- The checks are still exactly as strict as for the app: each one runs with current_user =
-- anon or authenticated (set through `set_config('role', …)` and `request.jwt.claims`, as
-- src/lib/server/db does), and neither role is a superuser, an owner or bypasses RLS. Between
-- checks the file runs as the app's login role, which holds no privilege on any app table, so a
-- query that forgot to act as someone fails loudly instead of seeing everything.
--
-- Every check runs its statement inside a subtransaction that is always rolled back, so a check
-- never changes the data the next check sees, and a leak in one cell cannot hide another.
--
-- Reading a matrix row (rls_*.test.sql; the people and rows are described in test-helpers/cast.sql):
--
--   select tests.matrix('circle_members', 'delete', 'remove sw from yp''s circle',
--   $$delete from public.circle_members where id = tests.id('yp/sw')$$, $$
--     anon         refused
--     yp           refused    -- but not their social worker
--     sw           1
--     ...one line for every matrix role (a missing role fails the row)...
--   $$);
--
-- The statement is run once as each role. `1` (any number): it must succeed and affect exactly
-- that many rows. `refused`: it must fail with SQLSTATE 42501 (no privilege, or a row-level
-- security violation) or affect 0 rows (RLS silently filters update and delete). A refusal by RLS
-- is only believed if the same statement, run without RLS with the same claims, does change a row;
-- otherwise the statement or fixture is wrong, and the cell fails as "refusal not proven".
-- For select, `tests.matrix_select(table, $$ role  row row … $$)` lists exactly which fixture rows
-- each role sees (`-`: none); a failure names the rows leaked and the rows missing. Scenarios
-- that need several steps use tests.act_as(who) with tests.expect_refused / expect_allowed
-- (optionally `given => 'steps run first, as the same person'`) and tests.expect_visible.
-- Failures are collected, and tests.finish() raises one exception listing each failed cell as
-- `<table> <operation> as <role> (<what>): <expectation and what happened>`.

create schema tests;
revoke all on schema tests from public;

-- Named fixture rows: checks and statements refer to rows by these names (tests.id('yp')).
create table tests.fixtures (
  name text primary key,
  tbl text not null,
  id uuid not null unique
);

-- The columns of the matrix, in order: every matrix row must say what each of them may do.
create table tests.matrix_roles (
  position int generated always as identity,
  name text primary key,
  about text not null
);

-- One row per check. `in_matrix` marks whole matrix rows, which count as coverage.
create table tests.results (
  position int generated always as identity,
  tbl text not null,
  op text not null,
  in_matrix boolean not null,
  passed boolean not null,
  message text
);

-- Internal bookkeeping ---------------------------------------------------------------------------

create function tests._register(fixture text, tbl text, row_id uuid)
returns uuid language sql security definer set search_path = ''
as $$
  insert into tests.fixtures (name, tbl, id) values (fixture, tbl, row_id) returning id
$$;

/** The id of a named fixture row; unknown names raise, because a null would match nothing. */
create function tests.id(fixture text)
returns uuid language plpgsql stable security definer set search_path = ''
as $$
declare
  found uuid;
begin
  select f.id into found from tests.fixtures f where f.name = fixture;
  if found is null then
    raise exception 'tests.id: there is no fixture named "%"', fixture;
  end if;
  return found;
end;
$$;

create function tests._fixture_ids(table_name text)
returns uuid[] language sql stable security definer set search_path = ''
as $$
  select coalesce(array_agg(f.id), '{}') from tests.fixtures f where f.tbl = table_name
$$;

create function tests._fixture_names(table_name text)
returns text[] language sql stable security definer set search_path = ''
as $$
  select coalesce(array_agg(f.name order by f.name), '{}') from tests.fixtures f
  where f.tbl = table_name
$$;

create function tests._names_of(ids uuid[])
returns text[] language sql stable security definer set search_path = ''
as $$
  select coalesce(array_agg(f.name order by f.name), '{}') from tests.fixtures f
  where f.id = any (ids)
$$;

create function tests._matrix_roles()
returns text[] language sql stable security definer set search_path = ''
as $$
  select coalesce(array_agg(r.name order by r.position), '{}') from tests.matrix_roles r
$$;

create function tests._record(tbl text, op text, in_matrix boolean, passed boolean, message text)
returns void language sql security definer set search_path = ''
as $$
  insert into tests.results (tbl, op, in_matrix, passed, message)
  values (tbl, op, in_matrix, passed, message)
$$;

/** `{a, b}`: how sets of rows and roles appear in failure messages. */
create function tests._set(items text[])
returns text language sql immutable set search_path = ''
as $$
  select '{' || coalesce(array_to_string(items, ', '), '') || '}'
$$;

/** Fixtures are made by the runner's role; making them while acting would blur who did what. */
create function tests._not_acting(what text)
returns void language plpgsql set search_path = ''
as $$
begin
  if coalesce(current_setting('tests.actor', true), '') <> '' then
    raise exception 'tests.%: make fixtures before acting, or call tests.stop_acting() first', what;
  end if;
end;
$$;

-- Fixtures (security definer: the runner's role holds no privilege on the app's tables) ----------

create function tests.create_organisation(fixture text, kind text)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid;
begin
  perform tests._not_acting('create_organisation');
  insert into public.organisations (name, kind)
  values (initcap(fixture), kind::public.organisation_kind)
  returning id into new_id;
  return tests._register(fixture, 'organisations', new_id);
end;
$$;

/**
 * An account made as Supabase Auth makes one (the trigger then creates the profile from
 * raw_user_meta_data). Without a profile, the person is registered under auth.users only.
 */
create function tests.create_person(fixture text, with_profile boolean default true)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid := gen_random_uuid();
begin
  perform tests._not_acting('create_person');
  insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
    raw_app_meta_data, raw_user_meta_data, created_at, updated_at
  ) values (
    '00000000-0000-0000-0000-000000000000', new_id, 'authenticated', 'authenticated',
    -- Unique even if another test file committed people with the same fixture names.
    fixture || '.' || left(new_id::text, 8) || '@rls-tests.invalid', '', now(),
    '{"provider":"email","providers":["email"]}', jsonb_build_object('preferred_name', fixture),
    now(), now()
  );
  if not with_profile then
    delete from public.profiles where id = new_id;
    return tests._register(fixture, 'auth.users', new_id);
  end if;
  return tests._register(fixture, 'profiles', new_id);
end;
$$;

/** Registered as `person@organisation`. */
create function tests.add_membership(person text, organisation text, role text)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid;
begin
  perform tests._not_acting('add_membership');
  insert into public.memberships (organisation_id, user_id, role)
  values (tests.id(organisation), tests.id(person), role::public.member_role)
  returning id into new_id;
  return tests._register(person || '@' || organisation, 'memberships', new_id);
end;
$$;

/** Registered as `young_person/member`. */
create function tests.add_to_circle(
  young_person text, member text, relationship text, access text, added_by text
)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid;
begin
  perform tests._not_acting('add_to_circle');
  insert into public.circle_members (young_person_id, member_id, relationship, access, added_by)
  values (tests.id(young_person), tests.id(member), relationship, access::public.access_level,
    tests.id(added_by))
  returning id into new_id;
  return tests._register(young_person || '/' || member, 'circle_members', new_id);
end;
$$;

create function tests.create_invite(
  fixture text, organisation text, invitee text, invited_by text, role text,
  young_person text default null, relationship text default null,
  accepted boolean default false, expired boolean default false
)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid;
begin
  perform tests._not_acting('create_invite');
  insert into public.invites (
    organisation_id, invitee_id, invited_by, role, young_person_id, relationship, created_at,
    expires_at, accepted_at
  ) values (
    tests.id(organisation), tests.id(invitee), tests.id(invited_by), role::public.member_role,
    case when young_person is not null then tests.id(young_person) end, relationship,
    now() - interval '20 days',
    case when expired then now() - interval '6 days' else now() + interval '14 days' end,
    case when accepted then now() - interval '1 day' end
  )
  returning id into new_id;
  return tests._register(fixture, 'invites', new_id);
end;
$$;

/** Declares a column of the matrix: a fixture person, or 'anon' for someone not signed in. */
create function tests.matrix_role(who text, about text)
returns void language plpgsql security definer set search_path = ''
as $$
begin
  perform tests._not_acting('matrix_role');
  if who <> 'anon' then
    perform tests.id(who);
  end if;
  insert into tests.matrix_roles (name, about) values (who, about);
end;
$$;

-- Acting as someone ------------------------------------------------------------------------------

/** The claims the app puts in request.jwt.claims for `who` ('' for anon, who has none). */
create function tests._claims(who text)
returns text language sql stable security definer set search_path = ''
as $$
  select case when who = 'anon' then ''
    else jsonb_build_object('sub', tests.id(who), 'role', 'authenticated', 'aud', 'authenticated')::text
  end
$$;

create function tests._become(who text, claims text)
returns void language plpgsql set search_path = ''
as $$
begin
  perform set_config('role', case when who = 'anon' then 'anon' else 'authenticated' end, true);
  perform set_config('request.jwt.claims', claims, true);
  perform set_config('tests.actor', who, true);
end;
$$;

/** For the rest of the transaction (or until the next act_as), queries run as `who`. */
create function tests.act_as(who text)
returns void language plpgsql set search_path = ''
as $$
begin
  perform tests._become(who, tests._claims(who));
end;
$$;

/** Back to the runner's role (which can call fixtures and holds no privilege on app tables). */
create function tests.stop_acting()
returns void language plpgsql set search_path = ''
as $$
begin
  perform set_config('role', current_setting('tests.runner_role'), true);
  perform set_config('request.jwt.claims', '', true);
  perform set_config('tests.actor', '', true);
end;
$$;

create function tests._current_actor()
returns text language plpgsql stable set search_path = ''
as $$
declare
  who text := coalesce(current_setting('tests.actor', true), '');
begin
  if who = '' then
    raise exception 'tests: call tests.act_as(...) before an expect_* check';
  end if;
  return who;
end;
$$;

-- Running one statement as someone, always rolled back ------------------------------------------

/**
 * Runs `given` (if any) then `statement` as `who` (or, with as_owner, as the session's superuser
 * with who's claims, so RLS and grants do not apply), reports what happened, and rolls it back.
 */
create function tests._run(
  who text, statement text, given text, as_owner boolean,
  out outcome text, out affected bigint, out error_code text, out error_message text,
  out phase text
)
language plpgsql set search_path = ''
as $$
declare
  claims text := tests._claims(who);
begin
  phase := 'statement';
  begin
    perform tests._become(who, claims);
    if as_owner then
      perform set_config('role', 'none', true);
    end if;
    if given is not null then
      phase := 'given';
      execute given;
      phase := 'statement';
    end if;
    execute statement;
    get diagnostics affected = row_count;
    raise exception using errcode = 'TSTRB', message = 'tests: roll back this check';
  exception
    when sqlstate 'TSTRB' then
      outcome := 'ok';
    when others then
      outcome := 'error';
      get stacked diagnostics error_code = returned_sqlstate, error_message = message_text;
  end;
end;
$$;

/** The fixture rows of `tbl` that `who` can select, by name (or an error), rolled back. */
create function tests._visible(
  who text, tbl text, out outcome text, out seen text[], out error_code text,
  out error_message text
)
language plpgsql set search_path = ''
as $$
declare
  claims text := tests._claims(who);
  candidates uuid[] := tests._fixture_ids(tbl);
  seen_ids uuid[];
begin
  begin
    perform tests._become(who, claims);
    execute format('select coalesce(array_agg(id), ''{}'') from public.%I where id = any ($1)', tbl)
      into seen_ids using candidates;
    raise exception using errcode = 'TSTRB', message = 'tests: roll back this check';
  exception
    when sqlstate 'TSTRB' then
      outcome := 'ok';
    when others then
      outcome := 'error';
      get stacked diagnostics error_code = returned_sqlstate, error_message = message_text;
  end;
  seen := case when outcome = 'ok' then tests._names_of(seen_ids) else '{}' end;
end;
$$;

-- One cell of the matrix -------------------------------------------------------------------------

/**
 * A refusal counts when it is a privilege error or an RLS error (SQLSTATE 42501), or when RLS
 * filters the statement to 0 rows. A missing privilege refuses whatever the rows, but an RLS
 * refusal and a 0-row result are only believed if the same statement, run by the superuser with
 * the same claims, does succeed on at least one row: that proves the statement targets real,
 * valid rows, so a leak would have shown. Any other error is a broken check, never a refusal.
 */
create function tests._check_write(
  tbl text, op text, who text, what text, statement text, given text, expected text,
  in_matrix boolean
)
returns boolean language plpgsql set search_path = ''
as $$
declare
  r record;
  control record;
  cell text := format('%s %s as %s (%s)', tbl, op, who, what);
  problem text;
  privilege_refusal boolean;
begin
  if expected !~ '^(refused|[0-9]+)$' then
    problem := format('expectation must be "refused" or a row count, not "%s"', expected);
  else
    r := tests._run(who, statement, given, false);
    if r.outcome = 'error' and r.phase = 'given' then
      problem := format('the "given" step failed with %s: %s', r.error_code, r.error_message);
    elsif expected = 'refused' then
      privilege_refusal := r.outcome = 'error' and r.error_code = '42501'
        and r.error_message ~ '^permission denied for (table|view|sequence) ';
      if r.outcome = 'ok' and r.affected > 0 then
        problem := format('expected refused, but it succeeded and affected %s row(s): LEAK',
          r.affected);
      elsif r.outcome = 'error' and r.error_code <> '42501' then
        problem := format('expected refused (42501 or 0 rows), but it failed with %s: %s '
          '(fix the statement or fixtures: this is not a refusal)', r.error_code, r.error_message);
      elsif r.outcome = 'error' and not privilege_refusal
          and r.error_message !~ '^new row violates row-level security policy' then
        problem := format('expected refused, but it was refused for another reason: %s',
          r.error_message);
      elsif not privilege_refusal then
        control := tests._run(who, statement, given, true);
        if control.outcome <> 'ok' or control.affected = 0 then
          problem := format('refusal not proven: without RLS the statement %s, so a leak would '
            'not show (make it target a real row)',
            case when control.outcome = 'ok' then 'affects 0 rows'
              else format('fails with %s: %s', control.error_code, control.error_message) end);
        end if;
      end if;
    else
      if r.outcome = 'error' then
        problem := format('expected to affect %s row(s), but it was refused: %s %s', expected,
          r.error_code, r.error_message);
      elsif r.affected <> expected::bigint then
        problem := format('expected to affect %s row(s), but it affected %s', expected,
          r.affected);
      end if;
    end if;
  end if;
  perform tests._record(tbl, op, in_matrix, problem is null,
    case when problem is not null then cell || ': ' || problem end);
  return problem is null;
end;
$$;

/**
 * Judges what `who` saw of `tbl` against the rows expected (`known`: every fixture row the check
 * may name, `kind`: how those rows are called in messages) and records the result. Shared by the
 * checks for uuid-named fixtures and for keyed fixtures, so both report leaks the same way.
 */
create function tests._judge_select(
  tbl text, who text, expected text[], in_matrix boolean, known text[], kind text,
  v_outcome text, v_seen text[], v_error_code text, v_error_message text
)
returns boolean language plpgsql set search_path = ''
as $$
declare
  unknown text[];
  leaked text[];
  missing text[];
  problem text;
begin
  select coalesce(array_agg(e), '{}') into unknown from unnest(expected) e where e <> all (known);
  if cardinality(unknown) > 0 then
    problem := format('%s are not %s of %s', tests._set(unknown), kind, tbl);
  else
    select coalesce(array_agg(s order by s), '{}') into leaked
      from unnest(v_seen) s where s <> all (expected);
    select coalesce(array_agg(e order by e), '{}') into missing
      from unnest(expected) e where e <> all (v_seen);
    if v_outcome = 'error' and (v_error_code <> '42501' or cardinality(expected) > 0) then
      problem := format('expected to see %s, but the select failed with %s: %s',
        tests._set(expected), v_error_code, v_error_message);
    elsif cardinality(leaked) > 0 or cardinality(missing) > 0 then
      problem := format('expected to see %s but saw %s',
          tests._set(array(select e from unnest(expected) e order by e)), tests._set(v_seen))
        || case when cardinality(leaked) > 0
          then format('; LEAK of %s', tests._set(leaked)) else '' end
        || case when cardinality(missing) > 0
          then format('; missing %s', tests._set(missing)) else '' end;
    end if;
  end if;
  perform tests._record(tbl, 'select', in_matrix, problem is null,
    case when problem is not null then format('%s select as %s: %s', tbl, who, problem) end);
  return problem is null;
end;
$$;

create function tests._check_select(tbl text, who text, expected text[], in_matrix boolean)
returns boolean language plpgsql set search_path = ''
as $$
declare
  v record;
begin
  -- Only look when every expected name is a fixture: a typo must not pass as "sees nothing".
  if exists (select 1 from unnest(expected) e where e <> all (tests._fixture_names(tbl))) then
    return tests._judge_select(tbl, who, expected, in_matrix, tests._fixture_names(tbl),
      'fixture rows', null, '{}', null, null);
  end if;
  v := tests._visible(who, tbl);
  return tests._judge_select(tbl, who, expected, in_matrix, tests._fixture_names(tbl),
    'fixture rows', v.outcome, v.seen, v.error_code, v.error_message);
end;
$$;

-- Checks for the current actor (after tests.act_as) ----------------------------------------------

/** The actor sees exactly these fixture rows of `tbl` (names separated by spaces or commas). */
create function tests.expect_visible(tbl text, rows text)
returns void language plpgsql set search_path = ''
as $$
begin
  perform tests._check_select(tbl, tests._current_actor(),
    array_remove(regexp_split_to_array(trim(rows), '[\s,]+'), ''), false);
end;
$$;

/** `statement` (after `given`, both as the actor) is refused: 42501 or 0 rows, proven. */
create function tests.expect_refused(
  tbl text, op text, what text, statement text, given text default null
)
returns void language plpgsql set search_path = ''
as $$
begin
  perform tests._check_write(tbl, op, tests._current_actor(), what, statement, given, 'refused',
    false);
end;
$$;

/** `statement` (after `given`, both as the actor) succeeds and affects exactly `row_count` rows. */
create function tests.expect_allowed(
  tbl text, op text, what text, statement text, row_count int, given text default null
)
returns void language plpgsql set search_path = ''
as $$
begin
  perform tests._check_write(tbl, op, tests._current_actor(), what, statement, given,
    row_count::text, false);
end;
$$;

/** `query` (run as the current role, e.g. over the catalog) returns no rows. */
create function tests.expect_empty(about text, query text)
returns void language plpgsql set search_path = ''
as $$
declare
  found text;
begin
  execute format('select string_agg(q::text, ''; '') from (%s) q', query) into found;
  perform tests._record('catalog', about, false, found is null,
    case when found is not null then format('%s: expected none, found %s', about, found) end);
end;
$$;

-- Whole matrix rows ------------------------------------------------------------------------------

/** The lines of an expectation table: `role  items…`, blank lines and `--` comments skipped. */
create function tests._matrix_lines(expectations text)
returns table (n bigint, who text, items text[]) language sql immutable set search_path = ''
as $$
  select l.n, p.parts[1], p.parts[2:]
  from regexp_split_to_table(expectations, '\n') with ordinality as l (line, n),
    lateral (
      select array_remove(regexp_split_to_array(
        trim(regexp_replace(l.line, '--.*$', '')), '[\s,]+'), '') as parts
    ) p
  where cardinality(p.parts) > 0
$$;

/**
 * Parses an expectation table and checks that it names every matrix role, so no cell of the
 * matrix can be skipped by omission. A role may take several lines (long select lists): their
 * items are joined, so a write row that names a role twice has two expectations and fails.
 */
create function tests._parse_matrix(tbl text, op text, expectations text)
returns table (who text, items text[]) language plpgsql set search_path = ''
as $$
declare
  roles text[] := tests._matrix_roles();
  listed text[];
  problem text;
begin
  select coalesce(array_agg(distinct m.who), '{}') into listed
  from tests._matrix_lines(expectations) m;
  if cardinality(roles) = 0 then
    problem := 'no matrix roles declared (tests.matrix_role)';
  elsif exists (select from unnest(roles) r where r <> all (listed)) then
    problem := format('no expectation for %s',
      tests._set(array(select r from unnest(roles) r where r <> all (listed))));
  elsif exists (select from unnest(listed) l where l <> all (roles)) then
    problem := format('%s are not matrix roles',
      tests._set(array(select l from unnest(listed) l where l <> all (roles))));
  end if;
  if problem is not null then
    perform tests._record(tbl, op, true, false, format('%s %s matrix: %s', tbl, op, problem));
    return;
  end if;
  return query
    select m.who, array(select i from tests._matrix_lines(expectations) l, unnest(l.items) i
                        where l.who = m.who)
    from tests._matrix_lines(expectations) m
    group by m.who
    order by min(m.n);
end;
$$;

/**
 * One matrix row for select: for each role, exactly which fixture rows of `tbl` it sees
 * (`-` for none). Names rows it should not see (a leak) and rows it should see but cannot.
 */
create function tests.matrix_select(tbl text, expectations text)
returns void language plpgsql set search_path = ''
as $$
declare
  line record;
begin
  for line in select * from tests._parse_matrix(tbl, 'select', expectations) loop
    perform tests._check_select(tbl, line.who, array_remove(line.items, '-'), true);
  end loop;
end;
$$;

/**
 * One matrix row for a write: `statement` is run once per role (each time rolled back), and each
 * role's line says `refused` or how many rows it must affect. Use auth.uid() in the statement
 * where the acting person matters (added_by, invited_by).
 */
create function tests.matrix(
  tbl text, op text, what text, statement text, expectations text, given text default null
)
returns void language plpgsql set search_path = ''
as $$
declare
  line record;
begin
  if op not in ('insert', 'update', 'delete') then
    raise exception 'tests.matrix: op must be insert, update or delete (use matrix_select)';
  end if;
  for line in select * from tests._parse_matrix(tbl, op, expectations) loop
    if cardinality(line.items) <> 1 then
      perform tests._record(tbl, op, true, false, format('%s %s as %s (%s): write one '
        'expectation ("refused" or a row count), not %s', tbl, op, line.who, what,
        tests._set(line.items)));
    else
      perform tests._check_write(tbl, op, line.who, what, statement, given, line.items[1], true);
    end if;
  end loop;
end;
$$;

-- Running and reporting --------------------------------------------------------------------------

/**
 * Called once by the runner after all helper files are loaded: lets the runner's role, anon and
 * authenticated use the helpers (only inside this transaction), then becomes the runner's role.
 */
create function tests.start(runner_role text)
returns void language plpgsql set search_path = ''
as $$
begin
  revoke all on all functions in schema tests from public;
  execute format('grant usage on schema tests to %I, anon, authenticated', runner_role);
  execute format('grant execute on all functions in schema tests to %I, anon, authenticated',
    runner_role);
  perform set_config('tests.runner_role', runner_role, true);
  perform tests.stop_acting();
end;
$$;

/** The (table, operation) pairs that have a whole matrix row, for the coverage check. */
create function tests.coverage()
returns table (tbl text, op text) language sql stable security definer set search_path = ''
as $$
  select distinct r.tbl, r.op from tests.results r where r.in_matrix order by 1, 2
$$;

/** Raises one exception naming every failed check; also fails a file that checked nothing. */
create function tests.finish()
returns void language plpgsql security definer set search_path = ''
as $$
declare
  total int;
  failures text[];
begin
  select count(*), coalesce(array_agg(r.message order by r.position) filter (where not r.passed),
      '{}')
    into total, failures
  from tests.results r;
  if total = 0 then
    raise exception 'tests.finish: no checks ran';
  end if;
  if cardinality(failures) > 0 then
    raise exception '% of % checks failed:%', cardinality(failures), total,
      E'\n  ' || array_to_string(failures, E'\n  ');
  end if;
end;
$$;
