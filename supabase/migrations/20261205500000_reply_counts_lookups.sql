-- A reply by reference is a lookup too (issue 15, item 3: lookups rate-limited per address).
-- Before, an unknown reference was refused before anything was counted, so the reply form
-- answered "could not find" without limit: a way to guess references that the reply page's
-- own lookups closed. Now it goes through the metered door (private.advocacy_thread_by_reference,
-- 20261205200100_keepable_references.sql): 120 lookups an hour per address, and after 10 misses
-- every lookup is refused, a right one too. An unknown reference returns null rather than
-- raising, so the miss it counts is committed (a raise would roll the count back with it).
create or replace function private.reply_by_reference(ref text, body text, client text)
returns uuid language plpgsql security definer set search_path = ''
as $$
begin
  if private.advocacy_thread_by_reference(ref, client) is null then
    return null;
  end if;
  return private.post_young_person_message(
    private.advocacy_request_by_reference(ref), null, body, client);
end;
$$;
