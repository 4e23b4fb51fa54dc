-- Catalog checks that back the matrix: every table in public has RLS and policies, policies are
-- for signed-in people only, anon and PUBLIC hold no privilege on app tables, and security
-- definer functions live only in schema private with a fixed search_path. (Whether every table
-- also has a full matrix is checked by tests/db/sql-tests.test.ts across all the files.)

select tests.expect_empty('public tables without row level security', $$
  select c.relname from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity
$$);

select tests.expect_empty('public tables without any policy', $$
  select c.relname from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p')
    and not exists (select from pg_catalog.pg_policy p where p.polrelid = c.oid)
$$);

-- House style: one policy per command, `to authenticated`; never `for all` or `to public/anon`.
select tests.expect_empty('policies not for authenticated only, or for all commands', $$
  select p.tablename, p.policyname, p.roles, p.cmd from pg_catalog.pg_policies p
  where p.schemaname = 'public' and (p.roles <> '{authenticated}' or p.cmd = 'ALL')
$$);

select tests.expect_empty('privileges of anon or PUBLIC on public tables, views, sequences', $$
  select c.relname, a.privilege_type, coalesce(r.rolname, 'PUBLIC') as grantee
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  cross join lateral pg_catalog.aclexplode(c.relacl) a
  left join pg_catalog.pg_roles r on r.oid = a.grantee
  where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
    and (a.grantee = 0 or r.rolname = 'anon')
$$);

select tests.expect_empty('column privileges of anon or PUBLIC on public tables', $$
  select c.relname, att.attname, a.privilege_type
  from pg_catalog.pg_attribute att
  join pg_catalog.pg_class c on c.oid = att.attrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  cross join lateral pg_catalog.aclexplode(att.attacl) a
  left join pg_catalog.pg_roles r on r.oid = a.grantee
  where n.nspname = 'public' and att.attacl is not null
    and (a.grantee = 0 or r.rolname = 'anon')
$$);

-- Schema tests exists only inside this rolled-back transaction, so it is left out.
select tests.expect_empty('security definer functions outside private or without a search_path', $$
  select p.oid::regprocedure from pg_catalog.pg_proc p
  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  where p.prosecdef and n.nspname <> 'tests'
    and (n.nspname <> 'private'
      or not exists (select from unnest(p.proconfig) c where c like 'search_path=%'))
$$);

select tests.expect_empty('private helpers executable by anon or PUBLIC', $$
  select p.oid::regprocedure, coalesce(r.rolname, 'PUBLIC') as grantee
  from pg_catalog.pg_proc p
  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  cross join lateral pg_catalog.aclexplode(coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))) a
  left join pg_catalog.pg_roles r on r.oid = a.grantee
  where n.nspname = 'private' and a.privilege_type = 'EXECUTE'
    and (a.grantee = 0 or r.rolname = 'anon')
    -- The one function meant for anyone: published "you said, we did" actions for an
    -- organisation's public page (checked in rls_survey_actions.test.sql).
    and not (r.rolname = 'anon' and p.proname = 'published_actions'
      and pg_catalog.pg_get_function_identity_arguments(p.oid) = 'org uuid')
    -- Asking for an advocate without signing in (checked in rls_advocacy_anonymous.test.sql).
    and not (r.rolname = 'anon' and p.proname = any (array['advocacy_services',
      'submit_advocacy_request', 'advocacy_thread_by_reference', 'reply_by_reference']))
    -- Whether an invite link is still open, asked before anyone signs in (invite page).
    and not (r.rolname = 'anon' and p.proname = 'invite_link_state')
    -- The help-now page shows the out-of-hours duty numbers to anyone (rls_help_settings).
    and not (r.rolname = 'anon' and p.proname = 'help_duty_numbers')
    -- Signing in happens signed out: the throttle's counts (tests/e2e/sign-in-throttle.test.ts).
    and not (r.rolname = 'anon' and p.proname = any (array['sign_in_wait',
      'record_sign_in_failure', 'clear_sign_in_failures']))
$$);

-- Content is written only by the collab service's role, and only through its private functions
-- (migration 20261203001200): it holds no privilege on any table, view or column at all.
select tests.expect_empty('table or column privileges of the collab service role', $$
  select c.relname, a.privilege_type
  from pg_catalog.pg_class c
  cross join lateral pg_catalog.aclexplode(c.relacl) a
  join pg_catalog.pg_roles r on r.oid = a.grantee
  where r.rolname = 'in_my_words_collab'
  union all
  select c.relname || '.' || att.attname, a.privilege_type
  from pg_catalog.pg_attribute att
  join pg_catalog.pg_class c on c.oid = att.attrelid
  cross join lateral pg_catalog.aclexplode(att.attacl) a
  join pg_catalog.pg_roles r on r.oid = a.grantee
  where att.attacl is not null and r.rolname = 'in_my_words_collab'
$$);

-- ...and the functions that read or write content for it are executable by it alone.
select tests.expect_empty('content functions executable by anon, authenticated or the app role', $$
  select p.oid::regprocedure, g.rolname
  from pg_catalog.pg_proc p
  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  cross join (values ('anon'), ('authenticated'), ('in_my_words_app')) as g (rolname)
  where n.nspname = 'private'
    and p.proname = any (array['collab_document', 'collab_log', 'collab_writers',
      'collab_provenance', 'append_update', 'append_updates', 'append_batch', 'record_provenance',
      'initialise_document',
      'compact_document', 'save_version', 'add_suggestion',
      -- The cluster's leases and connection slots (20261206000100): a person who could take or
      -- renew a lease could fence the service out of a document.
      'collab_node_seen', 'acquire_document_lease', 'renew_document_leases',
      'release_document_lease', 'assert_document_lease', 'assert_document_leases', 'document_lease',
      'open_collab_connection', 'close_collab_connections'])
    and pg_catalog.has_function_privilege(g.rolname, p.oid, 'execute')
$$);
