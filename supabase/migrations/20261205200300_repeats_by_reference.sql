-- Repeat requests by reference (issue 15, item 4).
--
-- 20261205200200_repeats_pickers_invites.sql links a signed-in young person's second request of
-- the day to their first, and says "Anonymous requests are never linked: nothing ties one
-- browser's requests together". That still holds for the browser: nothing it keeps, and nothing
-- about its address, links two requests. What changes is this: someone not signed in may type
-- the private reference of a request they made earlier. Holding that reference already lets them
-- read and write in that request, so it may also say "this is me again". Then, if the request it
-- names was made in the last day and is not closed, the new request is linked to it (to the
-- first of its group), and the advocate sees them together, as for a signed-in young person.
--
-- The reference is looked up only through the metered door, private.advocacy_thread_by_reference
-- (counted against the caller's address: 120 lookups an hour, 10 that find nothing), so typing
-- references into the request form is no way round the limit on guessing. Only the database sets
-- the link: repeat_of still has no column grant, and anonymous callers have no table privilege.

/**
 * Sets repeat_of on a new request. Signed in: the person's first open request of the last day
 * (as before). Anonymous: only what private.submit_advocacy_request put there, the request a
 * typed reference named, and only if that is an anonymous request of the last day that is not
 * closed; it becomes the first request of its group. Anything else is no link at all.
 */
create or replace function private.advocacy_request_repeats()
returns trigger language plpgsql security definer set search_path = ''
as $$
begin
  if new.young_person_id is not null then
    new.repeat_of := private.advocacy_earlier_request(new.young_person_id);
  else
    new.repeat_of := (
      select coalesce(r.repeat_of, r.id) from public.advocacy_requests r
      where r.id = new.repeat_of and r.young_person_id is null
        and r.created_at > now() - interval '1 day' and r.status <> 'closed'
    );
  end if;
  return new;
end;
$$;

/**
 * Sends a request (as before: see 20261205200100_keepable_references.sql). Not signed in, the
 * asker may give the reference of an earlier request (`earlier_reference`): it is looked up
 * through the metered door, and the request it names (if any) is what the new one repeats; the
 * trigger above decides whether that is a link (made in the last day, not closed). A reference
 * that names nothing counts as a miss and links nothing; the caller is never told which.
 * Signed in, `earlier_reference` is ignored: the person's own requests decide.
 */
drop function private.submit_advocacy_request(
  uuid, text, text, text, text, text, text, text, text, text, text);
create function private.submit_advocacy_request(
  service uuid, client text, call_me text, contact_how text, contact_when text,
  local_authority text, care_status text, about text, urgency text, communication_needs text,
  social_worker_may_know text, earlier_reference text default null,
  out request_id uuid, out reference text
)
language plpgsql security definer set search_path = ''
as $$
declare
  me uuid := (select auth.uid());
  earlier uuid;
begin
  if not exists (
    select 1 from public.organisations o where o.id = service and o.kind = 'advocacy_service'
  ) then
    raise exception using errcode = '23503', message = 'no such advocacy service';
  end if;
  if me is not null and not private.is_young_person(me) then
    raise exception using errcode = '42501',
      message = 'only young people send advocacy requests';
  end if;
  if me is not null then
    perform private.advocacy_rate_check('request-account', me::text, 5, interval '1 hour');
  else
    perform private.advocacy_rate_check('request-ip', private.advocacy_client_key(client), 10,
      interval '1 hour');
    reference := private.advocacy_new_reference();
    if nullif(btrim(earlier_reference), '') is not null
      and private.advocacy_thread_by_reference(earlier_reference, client) is not null then
      earlier := private.advocacy_request_by_reference(earlier_reference);
    end if;
  end if;
  insert into public.advocacy_requests (
    service_id, young_person_id, reference_hash, call_me, contact_how, contact_when,
    local_authority, care_status, about, urgency, communication_needs, social_worker_may_know,
    repeat_of
  ) values (
    service, me,
    case when reference is not null
      then extensions.digest(replace(reference, '-', ''), 'sha256') end,
    call_me, contact_how, contact_when, local_authority, care_status, about, urgency,
    communication_needs, social_worker_may_know, earlier
  ) returning id into request_id;
end;
$$;

revoke all on function private.submit_advocacy_request(
  uuid, text, text, text, text, text, text, text, text, text, text, text) from public;
grant execute on function private.submit_advocacy_request(
  uuid, text, text, text, text, text, text, text, text, text, text, text) to anon, authenticated;
