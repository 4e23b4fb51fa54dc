-- Repeat requests, a break-glass picker in words, and invite links that say they are used
-- (issue 15).

-- Repeat requests ---------------------------------------------------------------------------------
-- A young person who asks again within a day (signed in) is first offered to add it to the
-- earlier request (the page does that). If they send it as a new request anyway, it is linked to
-- the first request of that day, so the advocate sees the requests together. Only the database
-- sets the link (no column grant): it is about who asked, which an advocate must not rewrite.
-- Anonymous requests are never linked: nothing ties one browser's requests together.
alter table public.advocacy_requests
  add column repeat_of uuid references public.advocacy_requests (id) on delete set null;
create index advocacy_requests_repeat_of_idx on public.advocacy_requests (repeat_of);

/**
 * The first open request `person` made in the last day, if any: what a new request from them
 * repeats. A request that is itself a repeat points at its first, so a group has one head.
 */
create function private.advocacy_earlier_request(person uuid)
returns uuid language sql stable security definer set search_path = ''
as $$
  select coalesce(r.repeat_of, r.id) from public.advocacy_requests r
  where r.young_person_id = person and person is not null
    and r.created_at > now() - interval '1 day' and r.status <> 'closed'
  order by r.created_at, r.id
  limit 1
$$;

/** The caller's own earlier request of the day (for the page's "add to it?" question). */
create function private.my_earlier_advocacy_request()
returns uuid language sql stable security definer set search_path = ''
as $$ select private.advocacy_earlier_request((select auth.uid())) $$;

/** Links a signed-in young person's new request to their earlier one of the same day. */
create function private.advocacy_request_repeats()
returns trigger language plpgsql security definer set search_path = ''
as $$
begin
  new.repeat_of := private.advocacy_earlier_request(new.young_person_id);
  return new;
end;
$$;
create trigger advocacy_request_repeats
  before insert on public.advocacy_requests
  for each row execute function private.advocacy_request_repeats();

-- Break-glass picker --------------------------------------------------------------------------
-- The manager chooses a request in words: when it came, how urgent, where it has got to, the
-- first words of what it is about and which service. (No ids: a manager could open the wrong
-- child's record.) Eight words are enough to tell requests apart, not to read them.
drop function private.advocacy_requests_for_manager();
create function private.advocacy_requests_for_manager()
returns table (
  id uuid, created_at timestamptz, urgency text, status text, first_words text,
  more_words boolean, service_name text
)
language sql stable security definer set search_path = ''
as $$
  select r.id, r.created_at, r.urgency, r.status,
    array_to_string((regexp_split_to_array(btrim(r.about), '\s+'))[1:8], ' '),
    cardinality(regexp_split_to_array(btrim(r.about), '\s+')) > 8,
    o.name
  from public.advocacy_requests r
  join public.organisations o on o.id = r.service_id
  where private.manages_service(r.service_id)
  order by r.created_at desc
$$;

-- Invite links ------------------------------------------------------------------------------------
-- Opening an invite link must not use it up (a mail scanner opens links too), yet a used or
-- lapsed one should say so at once rather than show a form that cannot work. The invite keeps
-- the SHA-256 of its link's token; anyone holding the link may ask only whether it is still open.
alter table public.invites add column link_hash bytea unique;
grant insert (link_hash) on public.invites to authenticated;

/** 'open', 'used', 'lapsed' or 'unknown' (no invite has that link, or it was made before). */
create function private.invite_link_state(token text)
returns text language sql stable security definer set search_path = ''
as $$
  select coalesce((
    select case
      when i.accepted_at is not null then 'used'
      when i.expires_at <= now() then 'lapsed'
      else 'open' end
    from public.invites i
    where i.link_hash = extensions.digest(coalesce(token, ''), 'sha256')
  ), 'unknown')
$$;

revoke all on function private.advocacy_earlier_request(uuid),
  private.my_earlier_advocacy_request(), private.advocacy_request_repeats(), private.advocacy_requests_for_manager(),
  private.invite_link_state(text)
  from public;
grant execute on function private.my_earlier_advocacy_request(),
  private.advocacy_requests_for_manager()
  to authenticated;
grant execute on function private.invite_link_state(text) to anon, authenticated;
