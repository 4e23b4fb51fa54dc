-- Sessions end when people sign out, are signed out, or leave a shared phone idle.
--
-- An access token stays valid until it expires (an hour) even after its session is gone. So on
-- every request the app asks the database whether the token's session (its `session_id` claim)
-- is still in auth.sessions, and how long since it was last used: past the idle limit (12 hours
-- by default, set by the app) it is over. Last use is kept here, to the minute, so every app
-- process sees the same. The same check works against hosted Supabase, whose auth.sessions the
-- definer function reads (no trigger on the auth schema is needed).

create table private.session_activity (
  session_id uuid primary key,
  user_id uuid not null,
  last_seen timestamptz not null default now(),
  -- Set when the idle limit ended it: the session stays over even if auth still has its row.
  ended_at timestamptz
);
create index session_activity_user_id_idx on private.session_activity (user_id);
create index session_activity_last_seen_idx on private.session_activity (last_seen);
revoke all on private.session_activity from public, anon, authenticated;

/**
 * Is the caller's session live? Its row must still be in auth.sessions (not signed out) for the
 * caller, and it must have been used within `idle_seconds`. Records this use (at most once a
 * minute: nothing is written on most requests), and ends the session for good when it has been
 * idle too long.
 */
create function private.session_is_live(session uuid, idle_seconds int)
returns boolean language plpgsql security definer set search_path = ''
as $$
declare
  me uuid := (select auth.uid());
  activity private.session_activity;
begin
  if me is null or session is null or not exists (
    select 1 from auth.sessions s where s.id = session and s.user_id = me
  ) then
    return false;
  end if;
  select * into activity from private.session_activity a where a.session_id = session;
  if activity.ended_at is not null then
    return false;
  end if;
  if activity.last_seen < now() - make_interval(secs => idle_seconds) then
    update private.session_activity a set ended_at = now() where a.session_id = session;
    return false;
  end if;
  if activity.session_id is null then
    -- A session's first request. Rows for this person's sessions auth no longer has are of no
    -- use to anyone: they go now, not on every request.
    delete from private.session_activity a
    where a.user_id = me
      and not exists (select 1 from auth.sessions s where s.id = a.session_id);
    insert into private.session_activity (session_id, user_id) values (session, me)
    on conflict (session_id) do nothing;
  elsif activity.last_seen < now() - interval '1 minute' then
    -- At most one write a minute per session: last use to the minute is all the limit needs.
    update private.session_activity a set last_seen = now() where a.session_id = session;
  end if;
  return true;
end;
$$;

revoke execute on function private.session_is_live(uuid, int) from public;
grant execute on function private.session_is_live(uuid, int) to authenticated;
