-- A private reference people can keep (issue 15).
--
-- New references are 20 characters from an alphabet with no look-alikes (no I, L, O, 0 or 1),
-- shown in groups of four for reading aloud: 7KQM-4R2X-C9HT-WB3N-5PVE. 31 symbols, 20 of them:
-- about 99 random bits. Any case, any spaces or dashes are accepted: the reference is read as
-- its 20 characters in capitals, and that is what is hashed. References given before this keep
-- working exactly as they were typed (24 characters, case matters), so nobody loses a thread.
--
-- Looking a reference up is rate-limited per address: 120 lookups an hour, and 10 that find
-- nothing (a person who mistypes a few times is fine; guessing is not).

/** The alphabet of new references: digits and capitals without I, L, O, 0 and 1. */
create function private.advocacy_reference_alphabet()
returns text language sql immutable set search_path = ''
as $$ select '23456789ABCDEFGHJKMNPQRSTUVWXYZ' $$;

/** A new reference, grouped: 5 groups of 4 characters, uniform over the 31-symbol alphabet. */
create function private.advocacy_new_reference()
returns text language plpgsql volatile set search_path = ''
as $$
declare
  alphabet text := private.advocacy_reference_alphabet();
  chars text := '';
  b int;
begin
  while char_length(chars) < 20 loop
    b := get_byte(extensions.gen_random_bytes(1), 0);
    -- 248 = 8 × 31: bytes from 248 up would favour the first symbols, so they are skipped.
    if b < 248 then
      chars := chars || substr(alphabet, (b % 31) + 1, 1);
    end if;
  end loop;
  return concat_ws('-', substr(chars, 1, 4), substr(chars, 5, 4), substr(chars, 9, 4),
    substr(chars, 13, 4), substr(chars, 17, 4));
end;
$$;

/**
 * The hashes a typed reference may be stored under: as a new reference (capitals, no spaces or
 * dashes) and, for references given before, exactly as typed without spaces. Empty when it is
 * neither shape, so a pattern or a partial reference never matches anything.
 */
create function private.advocacy_reference_hashes(ref text)
returns bytea[] language sql immutable set search_path = ''
as $$
  select array_remove(array[
    case when upper(regexp_replace(coalesce(ref, ''), '[\s-]', '', 'g')) ~ '^[2-9A-HJKMNP-Z]{20}$'
      then extensions.digest(upper(regexp_replace(ref, '[\s-]', '', 'g')), 'sha256') end,
    case when regexp_replace(coalesce(ref, ''), '\s', '', 'g') ~ '^[A-Za-z0-9_-]{24}$'
      then extensions.digest(regexp_replace(ref, '\s', '', 'g'), 'sha256') end
  ], null)
$$;

/** The request a reference opens, or null. Never lists, never matches partly. */
create or replace function private.advocacy_request_by_reference(ref text)
returns uuid language sql stable security definer set search_path = ''
as $$
  select r.id from public.advocacy_requests r
  where r.reference_hash = any (private.advocacy_reference_hashes(ref))
$$;

-- The old one-argument door (20261123000300_advocacy.sql) is a door no more: every lookup now
-- names the address it is counted against (as a door, it shared one "no address" key, so anyone's
-- misses could lock everyone else out). Renamed and closed, it stays what a lookup reads.
alter function private.advocacy_thread_by_reference(text) rename to advocacy_thread_unmetered;
revoke all on function private.advocacy_thread_unmetered(text) from public, anon, authenticated;

/**
 * What the holder of a reference may read (private.advocacy_thread_unmetered), counted against
 * their address (`client`): 120 lookups an hour, and 10 that find nothing. Unknown reference:
 * null. Once an address has had 10 misses, all its lookups are refused, a right one too: were
 * only misses refused, a refusal would just say "not this one" and guessing would go on.
 */
create function private.advocacy_thread_by_reference(ref text, client text)
returns jsonb language plpgsql volatile security definer set search_path = ''
as $$
declare
  key text := private.advocacy_client_key(client);
begin
  perform private.advocacy_rate_check('reference-lookup', key, 120, interval '1 hour');
  -- Each lookup counts as a miss before it looks (and is refused after 10); one that finds
  -- something takes its miss back by raising AR200, which rolls this block back.
  begin
    perform private.advocacy_rate_check('reference-miss', key, 10, interval '1 hour');
    if private.advocacy_request_by_reference(ref) is not null then
      raise exception using errcode = 'AR200';
    end if;
    return null;
  exception when sqlstate 'AR200' then
    return private.advocacy_thread_unmetered(ref);
  end;
end;
$$;

/**
 * Sends a request (as before: see 20261203001250_unlinkable_rate_events.sql), giving an
 * anonymous asker a new-style reference; the hash kept is of its 20 characters in capitals.
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
    reference := private.advocacy_new_reference();
  end if;
  insert into public.advocacy_requests (
    service_id, young_person_id, reference_hash, call_me, contact_how, contact_when,
    local_authority, care_status, about, urgency, communication_needs, social_worker_may_know
  ) values (
    service, me,
    case when reference is not null
      then extensions.digest(replace(reference, '-', ''), 'sha256') end,
    call_me, contact_how, contact_when, local_authority, care_status, about, urgency,
    communication_needs, social_worker_may_know
  ) returning id into request_id;
end;
$$;

revoke all on function private.advocacy_reference_alphabet(), private.advocacy_new_reference(),
  private.advocacy_reference_hashes(text), private.advocacy_thread_by_reference(text, text)
  from public;
grant execute on function private.advocacy_thread_by_reference(text, text) to anon, authenticated;
