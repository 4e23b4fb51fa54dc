-- Sign-in throttling, per account and per address, counted in Postgres so that every app process
-- sees the same counts. Young people's usernames are short and guessable, and hosted Supabase
-- limits sign-ins only per address (the app's own, since the app signs people in server-side).
--
-- The app asks before each attempt and records each failure. Accounts are kept as a SHA-256 of
-- the lower-cased sign-in email (the same for a name that has no account, so the answer cannot
-- tell them apart); addresses as the app's keyed HMAC (see $lib/server/address.ts). Nothing here
-- names a person or ties an address to an account. Rows older than a day are deleted as new ones
-- come in.
--
-- The functions live in `private`, which Supabase's Data API does not expose: the throttle holds
-- while the anon key stays server-side (as the README asks), since anyone holding a database
-- connection as `anon` could otherwise record failures against someone else's account.

create table private.sign_in_failures (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('account', 'address')),
  key text not null,
  at timestamptz not null default now()
);
create index sign_in_failures_kind_key_at_idx on private.sign_in_failures (kind, key, at);
create index sign_in_failures_at_idx on private.sign_in_failures (at);
revoke all on private.sign_in_failures from public, anon, authenticated;

/** The limits, in one place: how many failures within `window`, and how long a lock lasts. */
create function private.sign_in_limits(
  out account_failures int, out address_failures int, out span interval, out lock_for interval)
language sql immutable set search_path = ''
as $$ select 5, 30, interval '15 minutes', interval '15 minutes' $$;

create function private.sign_in_account_key(account text)
returns text language sql immutable set search_path = ''
as $$ select encode(extensions.digest(convert_to(lower(trim(account)), 'UTF8'), 'sha256'), 'hex') $$;

/**
 * Seconds to wait before the next sign-in for this account or from this address (0: go ahead).
 * A lock starts at the failure that reached the limit and lasts `lock_for` from the latest one.
 */
create function private.sign_in_wait(account text, address text)
returns int language sql stable security definer set search_path = ''
as $$
  with limits as (select * from private.sign_in_limits()),
  recent as (
    select f.kind, count(*) as failures, max(f.at) as latest
    from private.sign_in_failures f, limits l
    where f.at > now() - l.span
      and ((f.kind = 'account' and f.key = private.sign_in_account_key(account))
        or (f.kind = 'address' and f.key = address))
    group by f.kind
  )
  select coalesce(max(greatest(0, ceil(extract(epoch from r.latest + l.lock_for - now())))::int), 0)
  from recent r, limits l
  where (r.kind = 'account' and r.failures >= l.account_failures)
     or (r.kind = 'address' and r.failures >= l.address_failures)
$$;

/** Records a failed attempt for the account (if one was named) and the address; returns the wait. */
create function private.record_sign_in_failure(account text, address text)
returns int language plpgsql security definer set search_path = ''
as $$
begin
  -- One at a time per account: a burst of parallel guesses cannot all slip under the limit.
  perform pg_advisory_xact_lock(hashtextextended('sign-in:' || coalesce(account, address), 0));
  delete from private.sign_in_failures f where f.at < now() - interval '1 day';
  if account is not null then
    insert into private.sign_in_failures (kind, key)
    values ('account', private.sign_in_account_key(account));
  end if;
  insert into private.sign_in_failures (kind, key) values ('address', address);
  return private.sign_in_wait(coalesce(account, ''), address);
end;
$$;

/** A right passphrase clears the account's failures (never the address's). */
create function private.clear_sign_in_failures(account text)
returns void language sql security definer set search_path = ''
as $$
  delete from private.sign_in_failures f
  where f.kind = 'account' and f.key = private.sign_in_account_key(account)
$$;

/**
 * For a practitioner who manages the young person's circle (never a family member): seconds
 * until the young person can sign in again, or null when the caller may not know.
 */
create function private.sign_in_lock_of(young_person uuid)
returns int language sql stable security definer set search_path = ''
as $$
  select case when private.manages_circle_of(young_person)
    then private.sign_in_wait(u.email, '') end
  from auth.users u where u.id = young_person
$$;

/** Lets the young person sign in again, for a practitioner who manages their circle. */
create function private.unlock_sign_in(young_person uuid)
returns boolean language plpgsql security definer set search_path = ''
as $$
begin
  if not private.manages_circle_of(young_person) then
    return false;
  end if;
  delete from private.sign_in_failures f
  using auth.users u
  where u.id = young_person and f.kind = 'account'
    and f.key = private.sign_in_account_key(u.email);
  return true;
end;
$$;

revoke execute on function private.sign_in_limits(), private.sign_in_account_key(text),
  private.sign_in_wait(text, text), private.record_sign_in_failure(text, text),
  private.clear_sign_in_failures(text), private.sign_in_lock_of(uuid),
  private.unlock_sign_in(uuid) from public;
-- Signing in and accepting an invite happen signed out (anon); the rest signed in.
grant execute on function private.sign_in_wait(text, text),
  private.record_sign_in_failure(text, text), private.clear_sign_in_failures(text)
  to anon, authenticated;
grant execute on function private.sign_in_lock_of(uuid), private.unlock_sign_in(uuid)
  to authenticated;
