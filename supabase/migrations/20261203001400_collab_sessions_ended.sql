-- Open collab sockets end with the session behind them.
--
-- The app asks private.session_is_live on every request (migration 20261203001300). A collab
-- socket stays open for hours after its one-minute ticket, so each collab process asks, every few
-- seconds and in one query for all its open sockets, which of their sessions are over, and
-- closes those sockets (4401). The answer comes from Postgres, so every collab process (and the
-- app) sees the same, and it works the same against hosted Supabase: the definer function reads
-- auth.sessions, no trigger on the auth schema is needed.
--
-- private.session_is_live cannot serve here: it answers for one session of the caller's own
-- (auth.uid()), and it records the call as use of the session. This function only reads. Being
-- connected is not being there: if every few seconds of an open socket counted as use, a shared
-- phone left on an open document would never reach the idle limit. Only the app's requests count
-- (a person co-writing still makes them: the page fetches a fresh ticket before each access
-- token expires).

/**
 * Of the given sessions, each paired with the person its ticket names, those that are no longer
 * live, by the same rule as private.session_is_live: not in auth.sessions for that person (signed
 * out, here or everywhere), ended by the idle limit, or unused by the app for longer than
 * `idle_seconds`. A session the app has not yet recorded any use of is live, as there.
 */
create function private.collab_sessions_ended(sessions uuid[], people uuid[], idle_seconds int)
returns table (session uuid, person uuid)
language sql stable security definer set search_path = ''
as $$
  select t.session, t.person
  from unnest(sessions, people) as t(session, person)
  left join private.session_activity a on a.session_id = t.session
  where not exists (
      select 1 from auth.sessions s where s.id = t.session and s.user_id = t.person
    )
    or a.ended_at is not null
    or a.last_seen < now() - make_interval(secs => idle_seconds)
$$;

revoke all on function private.collab_sessions_ended(uuid[], uuid[], int)
  from public, anon, authenticated;
grant execute on function private.collab_sessions_ended(uuid[], uuid[], int) to in_my_words_collab;
