-- An open editor is not a person using the phone.
--
-- The editor page fetches a new collab ticket by itself (before its access token expires, and
-- whenever its socket reconnects). Counted as use, those requests kept a session alive for as
-- long as a document was left open: a shared phone left on a care plan would never reach the
-- idle limit. Such requests still need a live session, but do not move its last use.
-- (So, unlike what the note in 20261203001400 says, someone who only types into an open
-- document, opening no page for the whole idle limit, is signed out at its end: their words are
-- saved.)

/**
 * private.session_is_live, with a say in whether this request counts as use of the session.
 * With `counts_as_use` false nothing is written except ending a session already idle too long.
 */
create function private.session_is_live(session uuid, idle_seconds int, counts_as_use boolean)
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
  if not counts_as_use then
    return true;
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

revoke execute on function private.session_is_live(uuid, int, boolean) from public;
grant execute on function private.session_is_live(uuid, int, boolean) to authenticated;

-- The two-argument form (every request a person makes) is the three-argument one, counting.
create or replace function private.session_is_live(session uuid, idle_seconds int)
returns boolean language sql security definer set search_path = ''
as $$
  select private.session_is_live(session, idle_seconds, true)
$$;
