-- Advocacy: any young person or care leaver reaches an independent advocate (issue 5).
--
-- Confidentiality is decided here, not in the app. A request, its messages and its plan are read
-- only by (1) the young person who made it, when signed in; (2) advocates of the advocacy service
-- it was sent to; (3) that service's manager (an admin of the service) during an open, recorded,
-- time-boxed safeguarding break-glass on that one request. Nobody in a local authority (social
-- worker, personal adviser, carer, family, admin) and no advocate of another service can read any
-- of it. An anonymous request is reached only through its private reference: we keep only the
-- SHA-256 of the reference, and look it up through a security definer function, never by listing.
--
-- Entry points for people who are not signed in (anon) are four security definer functions in
-- schema private (explicitly allowed in supabase/tests/rls_catalog.test.sql): the list of
-- advocacy services, sending a request, reading a thread by reference, replying by reference.
-- They enforce size limits and rate limits (per hashed IP address, per account, per thread).

grant usage on schema private to anon;

-- Tables ----------------------------------------------------------------------------------------

create table public.advocacy_requests (
  id uuid primary key default gen_random_uuid(),
  service_id uuid not null references public.organisations (id) on delete restrict,
  -- Exactly one of: the signed-in young person who asked, or the hash of an anonymous reference.
  young_person_id uuid references public.profiles (id) on delete cascade,
  reference_hash bytea unique,
  call_me text not null check (char_length(call_me) between 1 and 80),
  contact_how text check (char_length(contact_how) <= 300),
  contact_when text check (char_length(contact_when) <= 200),
  local_authority text check (char_length(local_authority) <= 120),
  care_status text not null
    check (care_status in ('in_care', 'care_leaver', 'child_in_need', 'not_sure')),
  about text not null check (char_length(about) between 1 and 4000),
  urgency text not null check (urgency in ('today', 'this_week', 'not_urgent')),
  communication_needs text check (char_length(communication_needs) <= 500),
  social_worker_may_know text not null check (social_worker_may_know in ('yes', 'no', 'ask_me')),
  status text not null default 'new' check (status in ('new', 'allocated', 'closed')),
  allocated_to uuid references public.profiles (id) on delete set null,
  allocated_at timestamptz,
  responded_at timestamptz,
  -- When the advocate asked to join the young person's circle (signed-in requests only).
  circle_invite_at timestamptz,
  closed_at timestamptz,
  outcome text check (char_length(outcome) <= 1000),
  created_at timestamptz not null default now(),
  check ((young_person_id is null) <> (reference_hash is null)),
  check (circle_invite_at is null or young_person_id is not null),
  check (status <> 'closed' or (outcome is not null and char_length(outcome) > 0))
);
create index advocacy_requests_service_id_idx on public.advocacy_requests (service_id, status);
create index advocacy_requests_young_person_id_idx on public.advocacy_requests (young_person_id);
alter table public.advocacy_requests enable row level security;

create table public.advocacy_messages (
  id uuid primary key default gen_random_uuid(),
  request_id uuid not null references public.advocacy_requests (id) on delete cascade,
  -- null for an anonymous young person writing through their reference.
  author_id uuid references public.profiles (id) on delete set null,
  from_young_person boolean not null,
  body text not null check (char_length(body) between 1 and 4000),
  created_at timestamptz not null default now()
);
create index advocacy_messages_request_id_idx on public.advocacy_messages (request_id, created_at);
alter table public.advocacy_messages enable row level security;

create table public.advocacy_plans (
  id uuid primary key default gen_random_uuid(),
  request_id uuid not null unique references public.advocacy_requests (id) on delete cascade,
  wants_stopped text check (char_length(wants_stopped) <= 2000),
  wants_started text check (char_length(wants_started) <= 2000),
  wants_changed text check (char_length(wants_changed) <= 2000),
  steps text check (char_length(steps) <= 4000),
  review_on date,
  updated_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table public.advocacy_plans enable row level security;

-- A manager's safeguarding access to one request: needs a reason, expires, never edited or
-- deleted, and every row stays visible to the service's managers as the review list.
create table public.advocacy_break_glass (
  id uuid primary key default gen_random_uuid(),
  request_id uuid not null references public.advocacy_requests (id) on delete cascade,
  manager_id uuid not null references public.profiles (id) on delete cascade,
  reason text not null check (char_length(reason) between 20 and 1000),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  check (expires_at > created_at and expires_at <= created_at + interval '24 hours')
);
create index advocacy_break_glass_request_id_idx on public.advocacy_break_glass (request_id);
create index advocacy_break_glass_manager_id_idx on public.advocacy_break_glass (manager_id);
alter table public.advocacy_break_glass enable row level security;

-- Private state: rate-limit events (keys are hashes, never raw addresses) and the secret salt.
create table private.advocacy_secrets (
  id boolean primary key default true check (id),
  ip_salt bytea not null default extensions.gen_random_bytes(32)
);
insert into private.advocacy_secrets default values;

create table private.advocacy_rate_events (
  kind text not null,
  key text not null,
  at timestamptz not null default now()
);
create index advocacy_rate_events_idx on private.advocacy_rate_events (kind, key, at);
create index advocacy_rate_events_at_idx on private.advocacy_rate_events (at);
revoke all on private.advocacy_secrets, private.advocacy_rate_events from public, anon,
  authenticated;

-- Helpers for policies ------------------------------------------------------------------------

/** Is the caller an advocate of advocacy service `service`? */
create function private.advocates_for(service uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships m
    join public.organisations o on o.id = m.organisation_id
    where m.organisation_id = service and m.user_id = (select auth.uid())
      and m.role = 'advocate' and o.kind = 'advocacy_service'
  )
$$;

/** Is `person` an advocate of advocacy service `service`? (Who a request may be allocated to.) */
create function private.is_advocate_of_service(person uuid, service uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships m
    join public.organisations o on o.id = m.organisation_id
    where m.organisation_id = service and m.user_id = person
      and m.role = 'advocate' and o.kind = 'advocacy_service'
  )
$$;

/** Is the caller a manager (an admin) of advocacy service `service`? */
create function private.manages_service(service uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships m
    join public.organisations o on o.id = m.organisation_id
    where m.organisation_id = service and m.user_id = (select auth.uid())
      and m.role = 'admin' and o.kind = 'advocacy_service'
  )
$$;

/** Does the caller hold an open (unexpired) break-glass on `request`, as its service's manager? */
create function private.break_glass_open(request uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.advocacy_break_glass b
    join public.advocacy_requests r on r.id = b.request_id
    where b.request_id = request and b.manager_id = (select auth.uid())
      and b.expires_at > now() and private.manages_service(r.service_id)
  )
$$;

/** May the caller read `request` (and so its messages and plan)? The whole confidentiality rule. */
create function private.may_read_advocacy(request uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.advocacy_requests r
    where r.id = request
      and (r.young_person_id = (select auth.uid()) or private.advocates_for(r.service_id))
  ) or private.break_glass_open(request)
$$;

/** Is the caller an advocate of the service `request` was sent to, and is it still open? */
create function private.advocates_for_open_request(request uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.advocacy_requests r
    where r.id = request and r.status <> 'closed' and private.advocates_for(r.service_id)
  )
$$;

/** Is the caller an advocate of the service `request` was sent to (open or closed)? */
create function private.advocates_for_request(request uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.advocacy_requests r
    where r.id = request and private.advocates_for(r.service_id)
  )
$$;

/** Is the caller a manager of the service `request` was sent to? */
create function private.manages_service_of_request(request uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.advocacy_requests r
    where r.id = request and private.manages_service(r.service_id)
  )
$$;

-- Rate limits -----------------------------------------------------------------------------------

/** A stable, salted hash of a client address: the raw address is never stored. */
create function private.advocacy_client_key(client text)
returns text language sql stable security definer set search_path = ''
as $$
  select encode(extensions.digest(s.ip_salt || convert_to(coalesce(client, 'unknown'), 'UTF8'),
    'sha256'), 'hex')
  from private.advocacy_secrets s
$$;

/**
 * Counts an event for (kind, key) and refuses with SQLSTATE AR429 if `max_events` already
 * happened within `per`. Serialised per key, so a burst of parallel posts cannot slip past.
 */
create function private.advocacy_rate_check(kind text, key text, max_events int, per interval)
returns void language plpgsql security definer set search_path = ''
as $$
begin
  perform pg_advisory_xact_lock(hashtextextended('advocacy:' || kind || ':' || key, 0));
  delete from private.advocacy_rate_events e where e.at < now() - interval '1 day';
  if (select count(*) from private.advocacy_rate_events e
      where e.kind = advocacy_rate_check.kind and e.key = advocacy_rate_check.key
        and e.at > now() - per) >= max_events then
    raise exception using errcode = 'AR429',
      message = format('rate limit: %s', kind),
      hint = 'Too many in a short time. Please wait a while and try again.';
  end if;
  insert into private.advocacy_rate_events (kind, key) values (kind, key);
end;
$$;

-- Entry points (anon and signed-in) -------------------------------------------------------------

/** The advocacy services a request can go to: public information, for the public form. */
create function private.advocacy_services()
returns table (id uuid, name text) language sql stable security definer set search_path = ''
as $$
  select o.id, o.name from public.organisations o
  where o.kind = 'advocacy_service' order by o.name
$$;

/**
 * Sends a request to an advocacy service. Signed in as a young person: linked to them. Not signed
 * in: anonymous, and the caller gets back a private reference (144 random bits; only its hash is
 * kept). Anyone else signed in (a practitioner, a carer) is refused: this is the young person's
 * own route. Limits: 10 requests an hour per address, 5 an hour per account.
 */
create function private.submit_advocacy_request(
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
  perform private.advocacy_rate_check('request-ip', private.advocacy_client_key(client), 10,
    interval '1 hour');
  if me is not null then
    perform private.advocacy_rate_check('request-account', me::text, 5, interval '1 hour');
  else
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

/** The request an anonymous reference opens, or null. Never lists, never matches partly. */
create function private.advocacy_request_by_reference(ref text)
returns uuid language sql stable security definer set search_path = ''
as $$
  select r.id from public.advocacy_requests r
  where ref ~ '^[A-Za-z0-9_-]{24}$' and r.reference_hash = extensions.digest(ref, 'sha256')
$$;

/** What the holder of a reference may read: their request, the messages and the plan. */
create function private.advocacy_thread_by_reference(ref text)
returns jsonb language sql stable security definer set search_path = ''
as $$
  select jsonb_build_object(
    'call_me', r.call_me,
    'about', r.about,
    'urgency', r.urgency,
    'status', r.status,
    'outcome', r.outcome,
    'created_at', r.created_at,
    'service_name', o.name,
    'messages', coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', m.id, 'body', m.body, 'from_young_person', m.from_young_person,
        'author_name', p.preferred_name, 'created_at', m.created_at
      ) order by m.created_at, m.id)
      from public.advocacy_messages m
      left join public.profiles p on p.id = m.author_id and not m.from_young_person
      where m.request_id = r.id
    ), '[]'::jsonb),
    'plan', (
      select jsonb_build_object(
        'wants_stopped', pl.wants_stopped, 'wants_started', pl.wants_started,
        'wants_changed', pl.wants_changed, 'steps', pl.steps, 'review_on', pl.review_on
      ) from public.advocacy_plans pl where pl.request_id = r.id
    )
  )
  from public.advocacy_requests r
  join public.organisations o on o.id = r.service_id
  where r.id = private.advocacy_request_by_reference(ref)
$$;

/** Posts the young person's side of a thread, with the per-address and per-thread limits. */
create function private.post_young_person_message(
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
  perform private.advocacy_rate_check('message-ip', private.advocacy_client_key(client), 60,
    interval '1 hour');
  perform private.advocacy_rate_check('message-thread', request::text, 20, interval '1 hour');
  if author is not null then
    perform private.advocacy_rate_check('message-account', author::text, 30, interval '1 hour');
  end if;
  insert into public.advocacy_messages (request_id, author_id, from_young_person, body)
  values (request, author, true, body)
  returning id into new_id;
  return new_id;
end;
$$;

/** An anonymous young person replies through their reference. Unknown reference: 42501. */
create function private.reply_by_reference(ref text, body text, client text)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  request uuid := private.advocacy_request_by_reference(ref);
begin
  if request is null then
    raise exception using errcode = '42501', message = 'unknown reference';
  end if;
  return private.post_young_person_message(request, null, body, client);
end;
$$;

/** A signed-in young person writes in their own request's thread. */
create function private.reply_as_young_person(request uuid, body text, client text)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  me uuid := (select auth.uid());
begin
  if me is null or not exists (
    select 1 from public.advocacy_requests r where r.id = request and r.young_person_id = me
  ) then
    raise exception using errcode = '42501', message = 'not your request';
  end if;
  return private.post_young_person_message(request, me, body, client);
end;
$$;

/**
 * For a service's manager: the service's requests without any content (when, how urgent, which
 * state), so they can choose one for a break-glass without reading anything first.
 */
create function private.advocacy_requests_for_manager()
returns table (id uuid, created_at timestamptz, urgency text, status text)
language sql stable security definer set search_path = ''
as $$
  select r.id, r.created_at, r.urgency, r.status from public.advocacy_requests r
  where private.manages_service(r.service_id)
  order by r.created_at desc
$$;

-- Triggers: the clocks are set by the database, never by whoever updates ---------------------

/** First advocate message stops the "respond" clock. */
create function private.advocacy_message_written()
returns trigger language plpgsql security definer set search_path = ''
as $$
begin
  if not new.from_young_person then
    update public.advocacy_requests set responded_at = new.created_at
    where id = new.request_id and responded_at is null and status <> 'closed';
  end if;
  return new;
end;
$$;
create trigger advocacy_message_written
  after insert on public.advocacy_messages
  for each row execute function private.advocacy_message_written();

/** Allocation and closing set their own times and status; a closed request stays closed. */
create function private.advocacy_request_changing()
returns trigger language plpgsql set search_path = ''
as $$
begin
  if old.status = 'closed' then
    raise exception using errcode = 'AR410', message = 'this request is closed';
  end if;
  if new.allocated_to is distinct from old.allocated_to then
    new.allocated_at := case when new.allocated_to is not null then now() end;
  else
    new.allocated_at := old.allocated_at;
  end if;
  if new.status = 'closed' then
    new.closed_at := now();
  else
    new.status := case when new.allocated_to is not null then 'allocated' else 'new' end;
    new.closed_at := null;
  end if;
  new.responded_at := case
    when current_user = 'authenticated' then old.responded_at else new.responded_at end;
  return new;
end;
$$;
create trigger advocacy_request_changing
  before update on public.advocacy_requests
  for each row execute function private.advocacy_request_changing();

-- Execute rights: each function named, so other areas' functions keep exactly their own grants.
revoke all on function private.advocates_for(uuid), private.is_advocate_of_service(uuid, uuid),
  private.manages_service(uuid), private.break_glass_open(uuid), private.may_read_advocacy(uuid),
  private.advocates_for_open_request(uuid), private.advocates_for_request(uuid),
  private.manages_service_of_request(uuid), private.advocacy_client_key(text),
  private.advocacy_rate_check(text, text, int, interval), private.advocacy_services(),
  private.submit_advocacy_request(uuid, text, text, text, text, text, text, text, text, text, text),
  private.advocacy_request_by_reference(text), private.advocacy_thread_by_reference(text),
  private.post_young_person_message(uuid, uuid, text, text),
  private.reply_by_reference(text, text, text), private.reply_as_young_person(uuid, text, text),
  private.advocacy_requests_for_manager(), private.advocacy_message_written(),
  private.advocacy_request_changing()
  from public;
grant execute on function private.advocates_for(uuid), private.is_advocate_of_service(uuid, uuid),
  private.manages_service(uuid), private.break_glass_open(uuid), private.may_read_advocacy(uuid),
  private.advocates_for_open_request(uuid), private.advocates_for_request(uuid),
  private.manages_service_of_request(uuid), private.reply_as_young_person(uuid, text, text),
  private.advocacy_requests_for_manager()
  to authenticated;
-- The only doors for people who are not signed in (see the header of this file).
grant execute on function private.advocacy_services(),
  private.submit_advocacy_request(uuid, text, text, text, text, text, text, text, text, text, text),
  private.advocacy_thread_by_reference(text),
  private.reply_by_reference(text, text, text)
  to anon, authenticated;

-- Policies: advocacy_requests -------------------------------------------------------------------
create policy "the young person, their service's advocates, and a manager under break-glass read"
  on public.advocacy_requests for select to authenticated
  using (
    young_person_id = (select auth.uid())
    or (select private.advocates_for(service_id))
    or (select private.break_glass_open(id))
  );
-- No insert policy: requests arrive only through private.submit_advocacy_request (rate limits).
create policy "the service's advocates allocate, reply and close"
  on public.advocacy_requests for update to authenticated
  using ((select private.advocates_for(service_id)))
  with check (
    (select private.advocates_for(service_id))
    and (allocated_to is null or (select private.is_advocate_of_service(allocated_to, service_id)))
  );
-- No delete policy: requests are kept (retention is a later decision, not an app action).

-- Policies: advocacy_messages -------------------------------------------------------------------
create policy "whoever may read the request reads its messages"
  on public.advocacy_messages for select to authenticated
  using ((select private.may_read_advocacy(request_id)));
-- Young people write through private.reply_as_young_person / reply_by_reference (rate limits).
create policy "the service's advocates write in open requests, as themselves"
  on public.advocacy_messages for insert to authenticated
  with check (
    author_id = (select auth.uid())
    and not from_young_person
    and (select private.advocates_for_open_request(request_id))
  );

-- Policies: advocacy_plans ----------------------------------------------------------------------
create policy "whoever may read the request reads its plan"
  on public.advocacy_plans for select to authenticated
  using ((select private.may_read_advocacy(request_id)));
create policy "the service's advocates write the plan"
  on public.advocacy_plans for insert to authenticated
  with check (
    updated_by = (select auth.uid()) and (select private.advocates_for_open_request(request_id))
  );
create policy "the service's advocates update the plan"
  on public.advocacy_plans for update to authenticated
  using ((select private.advocates_for_open_request(request_id)))
  with check (
    updated_by = (select auth.uid()) and (select private.advocates_for_open_request(request_id))
  );

-- Policies: advocacy_break_glass ----------------------------------------------------------------
create policy "the service's managers see every break-glass on their service (the review list)"
  on public.advocacy_break_glass for select to authenticated
  using ((select private.manages_service_of_request(request_id)));
create policy "a service's manager opens a break-glass with a reason, for at most 24 hours"
  on public.advocacy_break_glass for insert to authenticated
  with check (
    manager_id = (select auth.uid())
    and (select private.manages_service_of_request(request_id))
    and expires_at <= now() + interval '24 hours'
  );

-- Grants: explicit, nothing for anon ------------------------------------------------------------
revoke all on public.advocacy_requests, public.advocacy_messages, public.advocacy_plans,
  public.advocacy_break_glass from anon, authenticated, public;
grant select, update (status, allocated_to, outcome, circle_invite_at)
  on public.advocacy_requests to authenticated;
grant select, insert (request_id, author_id, from_young_person, body)
  on public.advocacy_messages to authenticated;
grant select,
  insert (request_id, wants_stopped, wants_started, wants_changed, steps, review_on, updated_by),
  update (wants_stopped, wants_started, wants_changed, steps, review_on, updated_by, updated_at)
  on public.advocacy_plans to authenticated;
grant select, insert (request_id, manager_id, reason, expires_at)
  on public.advocacy_break_glass to authenticated;
