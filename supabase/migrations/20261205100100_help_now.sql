-- "I need help now" (issue 15): a young person tells the workers they choose that they need to
-- talk. Who may see it is decided here:
--   * the young person who sent it;
--   * the people they chose: only their own social worker or personal adviser (in their circle,
--     holding that role in the young person's organisation) or an advocate in their circle. Never
--     a family member (parents, foster and kinship carers): they may be the reason;
--   * the organisation's duty team (members flagged on duty) when nobody was chosen, when it was
--     sent outside working hours, or when it is late and the organisation has no team manager;
--   * the organisation's team managers (members an admin flagged so) once it is late.
-- "Late" (escalated) is not a stored state that some job sets: a request is late when its clock
-- (4 working hours, private.add_working_time) ran out before anyone acknowledged it, so every
-- node and every policy sees the same thing at the same moment.
-- Everything is written through security definer functions (one door each, with the checks and
-- the audit row in the same transaction); authenticated holds no insert, update or delete.

-- Duty team and team managers: flags an admin sets on a practitioner's membership. A flag, not a
-- new member_role: a team manager stays a social worker (one role per organisation).
alter table public.memberships
  add column on_duty boolean not null default false,
  add column team_manager boolean not null default false,
  add constraint memberships_help_flags_practitioners
    check (not (on_duty or team_manager) or role in ('social_worker', 'personal_adviser'));
grant update (on_duty, team_manager) on public.memberships to authenticated;

-- Tables ----------------------------------------------------------------------------------------

create table public.help_requests (
  id uuid primary key default gen_random_uuid(),
  young_person_id uuid not null references public.profiles (id) on delete cascade,
  -- The young person's organisation: its working hours, duty team and team managers.
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  message text check (char_length(message) between 1 and 500),
  -- Nobody to choose (or nobody chosen): it went to the duty team.
  no_one_chosen boolean not null,
  created_at timestamptz not null default now(),
  -- Both set by the database from created_at (trigger below), never by the sender.
  out_of_hours boolean not null default false,
  due_at timestamptz not null default now(),
  to_duty boolean generated always as (no_one_chosen or out_of_hours) stored,
  acknowledged_at timestamptz,
  acknowledged_by uuid references public.profiles (id) on delete set null,
  -- What the young person is told: 'seen' ("Priya has seen this") or 'call_today' ("Priya will
  -- call you today").
  reply text check (reply in ('seen', 'call_today')),
  check ((acknowledged_at is null) = (reply is null))
);
create index help_requests_young_person_id_idx on public.help_requests (young_person_id, created_at);
create index help_requests_organisation_id_idx on public.help_requests (organisation_id, due_at);
create index help_requests_acknowledged_by_idx on public.help_requests (acknowledged_by);
alter table public.help_requests enable row level security;

create table public.help_request_recipients (
  request_id uuid not null references public.help_requests (id) on delete cascade,
  recipient_id uuid not null references public.profiles (id) on delete cascade,
  primary key (request_id, recipient_id)
);
create index help_request_recipients_recipient_id_idx
  on public.help_request_recipients (recipient_id);
alter table public.help_request_recipients enable row level security;

-- The audit trail of each request: sent, seen on someone's home, acknowledged. Append-only.
create table public.help_request_events (
  id uuid primary key default gen_random_uuid(),
  request_id uuid not null references public.help_requests (id) on delete cascade,
  actor_id uuid references public.profiles (id) on delete set null,
  kind text not null check (kind in ('sent', 'to_duty', 'viewed', 'acknowledged')),
  -- Why a viewer could see it: 'chosen', 'duty' or 'escalated'.
  detail text check (char_length(detail) <= 40),
  created_at timestamptz not null default now()
);
create index help_request_events_request_id_idx on public.help_request_events (request_id, created_at);
create index help_request_events_actor_id_idx on public.help_request_events (actor_id);
-- "Viewed" is recorded once per person and request (the home page is opened often).
create unique index help_request_events_viewed_once
  on public.help_request_events (request_id, actor_id) where kind = 'viewed';
alter table public.help_request_events enable row level security;

/** The clock: set from created_at whenever it is written (tests move time by writing it). */
create function private.help_request_clock()
returns trigger language plpgsql security definer set search_path = ''
as $$
begin
  new.due_at := private.add_working_time(new.organisation_id, new.created_at, interval '4 hours');
  new.out_of_hours := not private.is_working_time(new.organisation_id, new.created_at);
  return new;
end;
$$;
create trigger help_request_clock
  before insert or update of created_at, organisation_id on public.help_requests
  for each row execute function private.help_request_clock();

-- Helpers ---------------------------------------------------------------------------------------

/** Is the caller on duty in `org`? */
create function private.on_duty_in(org uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m
    where m.organisation_id = org and m.user_id = (select auth.uid()) and m.on_duty
  )
$$;

/** Is the caller a team manager in `org`? */
create function private.team_manager_in(org uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m
    where m.organisation_id = org and m.user_id = (select auth.uid()) and m.team_manager
  )
$$;

/** Why the caller may see and acknowledge `request`: 'chosen', 'duty', 'escalated', or null. */
create function private.help_request_role(request uuid)
returns text language sql stable security definer set search_path = ''
as $$
  select case
    when exists (
      select 1 from public.help_request_recipients x
      where x.request_id = r.id and x.recipient_id = (select auth.uid())
    ) then 'chosen'
    when r.due_at <= coalesce(r.acknowledged_at, now())
      and (
        private.team_manager_in(r.organisation_id)
        or (
          private.on_duty_in(r.organisation_id)
          and not exists (
            select 1 from public.memberships m
            where m.organisation_id = r.organisation_id and m.team_manager
          )
        )
      ) then 'escalated'
    when r.to_duty and private.on_duty_in(r.organisation_id) then 'duty'
  end
  from public.help_requests r
  where r.id = request
$$;

/** May the caller see (and acknowledge) `request` as one of the people it went to? */
create function private.handles_help_request(request uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select private.help_request_role(request) is not null
$$;

/** May the caller read `request`'s recipients and trail: its young person, or its handlers. */
create function private.may_read_help_request(request uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.help_requests r
    where r.id = request and r.young_person_id = (select auth.uid())
  ) or private.handles_help_request(request)
$$;

/**
 * The people a young person may tell: in their circle, and their social worker or personal
 * adviser (holding that role in the young person's organisation) or an advocate of an advocacy
 * service. Never a family member, whatever the circle says.
 */
create function private.help_people_for(young_person uuid)
returns table (id uuid, preferred_name text, role public.member_role)
language sql stable security definer set search_path = ''
as $$
  select distinct on (p.id) p.id, p.preferred_name, m.role
  from public.circle_members c
  join public.profiles p on p.id = c.member_id
  join public.memberships m on m.user_id = c.member_id
  join public.organisations o on o.id = m.organisation_id
  where c.young_person_id = young_person
    and (
      (m.role in ('social_worker', 'personal_adviser') and exists (
        select 1 from public.memberships mine
        where mine.user_id = young_person and mine.organisation_id = m.organisation_id
          and mine.role = 'young_person'
      ))
      or (m.role = 'advocate' and o.kind = 'advocacy_service')
    )
    and not exists (
      select 1 from public.memberships f where f.user_id = c.member_id and f.role = 'family_member'
    )
  order by p.id, m.role
$$;

-- Entry points ----------------------------------------------------------------------------------

/** For the signed-in young person: whom they may tell (empty for anyone else). */
create function private.help_people_i_can_tell()
returns table (id uuid, preferred_name text, role public.member_role)
language sql stable security definer set search_path = ''
as $$
  select h.id, h.preferred_name, h.role from private.help_people_for((select auth.uid())) h
  where private.is_young_person((select auth.uid()))
  order by h.preferred_name
$$;

/**
 * A young person says they need to talk. `recipients` must all come from
 * private.help_people_i_can_tell(); with none (or nobody to choose) it goes to the duty team.
 * Limit: 10 an hour per young person.
 */
create function private.send_help_request(message text, recipients uuid[])
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  me uuid := (select auth.uid());
  org uuid;
  new_id uuid;
  chosen uuid[] := array(select distinct unnest(coalesce(recipients, '{}')));
begin
  select m.organisation_id into org from public.memberships m
  where m.user_id = me and m.role = 'young_person' order by m.created_at limit 1;
  if me is null or org is null then
    raise exception using errcode = '42501', message = 'only young people send this';
  end if;
  if exists (
    select 1 from unnest(chosen) r
    where r not in (select h.id from private.help_people_for(me) h)
  ) then
    raise exception using errcode = '42501', message = 'not someone you can send this to';
  end if;
  perform private.advocacy_rate_check('help-account', me::text, 10, interval '1 hour');
  insert into public.help_requests (young_person_id, organisation_id, message, no_one_chosen)
  values (me, org, nullif(trim(message), ''), cardinality(chosen) = 0)
  returning id into new_id;
  insert into public.help_request_recipients (request_id, recipient_id)
  select new_id, r from unnest(chosen) r;
  insert into public.help_request_events (request_id, actor_id, kind)
  values (new_id, me, 'sent');
  insert into public.help_request_events (request_id, actor_id, kind, detail)
  select new_id, null, 'to_duty', case when r.no_one_chosen then 'no_one_chosen' else 'out_of_hours' end
  from public.help_requests r where r.id = new_id and r.to_duty;
  return new_id;
end;
$$;

/**
 * The caller's inbox: requests they handle (chosen, duty, escalated), unacknowledged first and
 * acknowledged ones from the last 7 days, with the young person's name (a duty worker is not in
 * their circle, so could not read their profile otherwise). Records one "viewed" row per person
 * and request: the audit trail of who saw it.
 */
create function private.help_inbox()
returns table (
  id uuid, young_person_name text, message text, created_at timestamptz, due_at timestamptz,
  why text, late boolean, acknowledged_at timestamptz, reply text, acknowledged_by_name text
)
language sql volatile security definer set search_path = ''
as $$
  with rows as (
    select r.id, p.preferred_name as young_person_name, r.message, r.created_at, r.due_at,
      private.help_request_role(r.id) as why,
      r.due_at <= coalesce(r.acknowledged_at, now()) as late, r.acknowledged_at, r.reply,
      a.preferred_name as acknowledged_by_name
    from public.help_requests r
    join public.profiles p on p.id = r.young_person_id
    left join public.profiles a on a.id = r.acknowledged_by
    where (r.acknowledged_at is null or r.acknowledged_at > now() - interval '7 days')
      -- Only requests of the caller's organisations, or sent to them, are worth asking about.
      and (
        exists (
          select 1 from public.memberships m
          where m.organisation_id = r.organisation_id and m.user_id = (select auth.uid())
        ) or exists (
          select 1 from public.help_request_recipients x
          where x.request_id = r.id and x.recipient_id = (select auth.uid())
        )
      )
  ),
  mine as (select * from rows where why is not null),
  logged as (
    insert into public.help_request_events (request_id, actor_id, kind, detail)
    select t.id, (select auth.uid()), 'viewed', t.why from mine t
    on conflict (request_id, actor_id) where kind = 'viewed' do nothing
  )
  select t.id, t.young_person_name, t.message, t.created_at, t.due_at, t.why, t.late,
    t.acknowledged_at, t.reply, t.acknowledged_by_name
  from mine t
  order by t.acknowledged_at is not null, t.due_at, t.created_at
$$;

/** The young person's own requests, with who acknowledged them, in their words. */
create function private.my_help_requests()
returns table (
  id uuid, message text, created_at timestamptz, to_duty boolean, recipient_names text[],
  acknowledged_at timestamptz, reply text, acknowledged_by_name text
)
language sql stable security definer set search_path = ''
as $$
  select r.id, r.message, r.created_at, r.to_duty,
    coalesce((
      select array_agg(p.preferred_name order by p.preferred_name)
      from public.help_request_recipients x join public.profiles p on p.id = x.recipient_id
      where x.request_id = r.id
    ), '{}'),
    r.acknowledged_at, r.reply, a.preferred_name
  from public.help_requests r
  left join public.profiles a on a.id = r.acknowledged_by
  where r.young_person_id = (select auth.uid())
  order by r.created_at desc
  limit 10
$$;

/** Someone it went to acknowledges it: "I have seen this" or "I will call today". Once. */
create function private.acknowledge_help_request(request uuid, answer text)
returns void language plpgsql security definer set search_path = ''
as $$
declare
  why text := private.help_request_role(request);
begin
  if why is null then
    raise exception using errcode = '42501', message = 'not a request you handle';
  end if;
  if answer is null or answer not in ('seen', 'call_today') then
    raise exception using errcode = '22023', message = 'unknown answer';
  end if;
  update public.help_requests
  set acknowledged_at = now(), acknowledged_by = (select auth.uid()), reply = answer
  where id = request and acknowledged_at is null;
  if found then
    insert into public.help_request_events (request_id, actor_id, kind, detail)
    values (request, (select auth.uid()), 'acknowledged', answer);
  end if;
end;
$$;

/**
 * The out-of-hours duty numbers, for the help-now page (public information, works for anon):
 * each local authority that has set one.
 */
create function private.help_duty_numbers()
returns table (organisation_id uuid, organisation_name text, duty_phone text)
language sql stable security definer set search_path = ''
as $$
  select o.id, o.name, s.duty_phone
  from public.organisations o join public.help_settings s on s.organisation_id = o.id
  where o.kind = 'local_authority' and s.duty_phone is not null
  order by o.name
$$;

revoke all on function private.help_request_clock(), private.on_duty_in(uuid),
  private.team_manager_in(uuid), private.help_request_role(uuid),
  private.handles_help_request(uuid), private.may_read_help_request(uuid),
  private.help_people_for(uuid), private.help_people_i_can_tell(),
  private.send_help_request(text, uuid[]), private.help_inbox(), private.my_help_requests(),
  private.acknowledge_help_request(uuid, text), private.help_duty_numbers()
  from public;
grant execute on function private.on_duty_in(uuid), private.team_manager_in(uuid),
  private.help_request_role(uuid), private.handles_help_request(uuid),
  private.may_read_help_request(uuid), private.help_people_i_can_tell(),
  private.send_help_request(text, uuid[]), private.help_inbox(), private.my_help_requests(),
  private.acknowledge_help_request(uuid, text)
  to authenticated;
grant execute on function private.help_duty_numbers() to anon, authenticated;

-- Policies --------------------------------------------------------------------------------------
create policy "the young person and the people it went to read a help request"
  on public.help_requests for select to authenticated
  using (young_person_id = (select auth.uid()) or (select private.handles_help_request(id)));
create policy "whoever reads a help request reads whom it went to"
  on public.help_request_recipients for select to authenticated
  using ((select private.may_read_help_request(request_id)));
create policy "whoever reads a help request reads its trail"
  on public.help_request_events for select to authenticated
  using ((select private.may_read_help_request(request_id)));
-- No insert, update or delete policies: the functions above are the only doors.

revoke all on public.help_requests, public.help_request_recipients, public.help_request_events
  from anon, authenticated, public;
grant select on public.help_requests, public.help_request_recipients, public.help_request_events
  to authenticated;
