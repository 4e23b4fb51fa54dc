-- Advocacy rate-limit events that cannot tie an anonymous request to an account.
--
-- Before: a signed-in request recorded its address key and the raw user id in two rows with
-- the same timestamp, and an anonymous request from the same address recorded the same address
-- key, so anyone reading private.advocacy_rate_events could link the anonymous request to the
-- account. Now a request or message counts against the address only when it is anonymous, and
-- against the account only when signed in; keys are stored as salted digests (no user ids, no
-- request ids); times are kept to the minute; and the table has a primary key.

-- Old rows hold raw ids: they go (limits restart; they only ever looked back a day).
delete from private.advocacy_rate_events;
alter table private.advocacy_rate_events
  add column id bigint generated always as identity primary key;

/**
 * Counts an event for (kind, key) and refuses with SQLSTATE AR429 if `max_events` already
 * happened within `per`. Serialised per key, so a burst of parallel posts cannot slip past.
 * Stores only a salted digest of kind and key, and the minute it happened.
 */
create or replace function private.advocacy_rate_check(
  kind text, key text, max_events int, per interval)
returns void language plpgsql security definer set search_path = ''
as $$
declare
  stored text := (
    select encode(extensions.digest(s.ip_salt || convert_to(kind || ':' || key, 'UTF8'),
      'sha256'), 'hex')
    from private.advocacy_secrets s);
begin
  perform pg_advisory_xact_lock(hashtextextended('advocacy:' || stored, 0));
  delete from private.advocacy_rate_events e where e.at < now() - interval '1 day';
  if (select count(*) from private.advocacy_rate_events e
      where e.kind = advocacy_rate_check.kind and e.key = stored
        and e.at > date_trunc('minute', now()) - per) >= max_events then
    raise exception using errcode = 'AR429',
      message = format('rate limit: %s', kind),
      hint = 'Too many in a short time. Please wait a while and try again.';
  end if;
  insert into private.advocacy_rate_events (kind, key, at)
  values (kind, stored, date_trunc('minute', now()));
end;
$$;

/**
 * Sends a request to an advocacy service. Signed in as a young person: linked to them. Not signed
 * in: anonymous, and the caller gets back a private reference (144 random bits; only its hash is
 * kept). Anyone else signed in (a practitioner, a carer) is refused: this is the young person's
 * own route. Limits: 10 requests an hour per address when anonymous, 5 an hour per account when
 * signed in (never both, so no row pairs an address with an account).
 */
create or replace function private.submit_advocacy_request(
  service uuid, client text, call_me text, contact_how text, contact_when text,
  local_authority text, care_status text, about text, urgency text, communication_needs text,
  social_worker_may_know text,
  out request_id uuid, out reference text
)
language plpgsql security definer set search_path = ''
as $$
declare
  me uuid := (select auth.uid());
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
    reference := translate(encode(extensions.gen_random_bytes(18), 'base64'), '+/', '-_');
  end if;
  insert into public.advocacy_requests (
    service_id, young_person_id, reference_hash, call_me, contact_how, contact_when,
    local_authority, care_status, about, urgency, communication_needs, social_worker_may_know
  ) values (
    service, me,
    case when reference is not null then extensions.digest(reference, 'sha256') end,
    call_me, contact_how, contact_when, local_authority, care_status, about, urgency,
    communication_needs, social_worker_may_know
  ) returning id into request_id;
end;
$$;

/**
 * A young person's message in their thread. Limits: 20 an hour per thread, and 60 an hour per
 * address when anonymous or 30 an hour per account when signed in (never both).
 */
create or replace function private.post_young_person_message(
  request uuid, author uuid, body text, client text
)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid;
begin
  if exists (select 1 from public.advocacy_requests r where r.id = request and r.status = 'closed')
  then
    raise exception using errcode = 'AR410', message = 'this request is closed';
  end if;
  perform private.advocacy_rate_check('message-thread', request::text, 20, interval '1 hour');
  if author is not null then
    perform private.advocacy_rate_check('message-account', author::text, 30, interval '1 hour');
  else
    perform private.advocacy_rate_check('message-ip', private.advocacy_client_key(client), 60,
      interval '1 hour');
  end if;
  insert into public.advocacy_messages (request_id, author_id, from_young_person, body)
  values (request, author, true, body)
  returning id into new_id;
  return new_id;
end;
$$;
