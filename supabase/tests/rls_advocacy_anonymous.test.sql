-- The doors into advocacy: asking without signing in, reading and replying through a private
-- reference, and the rate and size limits that keep a flood from drowning anyone (nothing already
-- saved is lost). These are security definer functions in schema private (see the migration).
select tests.create_advocacy_cast();

-- Not signed in: no table is readable at all, only the functions.
select tests.act_as('anon');
select tests.expect_visible('advocacy_requests', '');
select tests.expect_visible('advocacy_messages', '');
select tests.expect_equal('advocacy_requests', 'advocacy services are listed',
  $$select string_agg(name, ',' order by name) from private.advocacy_services()$$,
  'Brightside,Otherside');

-- The reference opens its own thread, and only an exact reference does.
select tests.expect_equal('advocacy_requests', 'the reference opens the thread',
  $$private.advocacy_thread_by_reference('test-reference-anon-0001', '192.0.2.20') ->> 'call_me'$$, 'A');
select tests.expect_equal('advocacy_requests', 'the thread has its messages',
  $$jsonb_array_length(private.advocacy_thread_by_reference('test-reference-anon-0001', '192.0.2.20') -> 'messages')$$,
  '1');
select tests.expect_equal('advocacy_requests', 'a wrong reference opens nothing',
  $$private.advocacy_thread_by_reference('test-reference-anon-0002', '192.0.2.20') is null$$, 'true');
select tests.expect_equal('advocacy_requests', 'a pattern opens nothing',
  $$private.advocacy_thread_by_reference('test-reference-anon-000%', '192.0.2.20') is null$$, 'true');
select tests.expect_equal('advocacy_messages', 'a reply with a wrong reference posts nothing',
  $$private.reply_by_reference('test-reference-anon-0002', 'Hello', '192.0.2.1') is null$$, 'true');

-- A reply is a lookup too: after nine more wrong ones from the same address (ten misses), even a
-- reply with the right reference is refused there; another address is not affected.
do $$
begin
  for i in 1..9 loop
    perform private.reply_by_reference('test-reference-anon-000' || i + 2, 'Guess', '192.0.2.1');
  end loop;
end;
$$;
select tests.expect_sqlstate('advocacy_messages', 'insert', 'a reply after ten misses from its address',
  $$select private.reply_by_reference('test-reference-anon-0001', 'Hello', '192.0.2.1')$$, 'AR429');
-- (Looked up, not replied: the flood test below counts this thread's messages.)
select tests.expect_equal('advocacy_messages', 'another address still finds the thread',
  $$private.advocacy_thread_by_reference('test-reference-anon-0001', '192.0.2.2') is not null$$,
  'true');

-- Asking without signing in gives a reference to keep: 20 characters with no look-alikes, in
-- groups of four (about 99 random bits), that works in any case and with any spacing.
create temporary table anon_request on commit drop as
  select * from private.submit_advocacy_request(tests.id('brightside'), '192.0.2.10', 'Kai',
    'Text me', 'After 4pm', 'Northbridge', 'care_leaver', 'My flat is cold', 'this_week', null,
    'no');
select tests.expect_equal('advocacy_requests', 'anonymous request gets a grouped reference',
  $$select reference ~ '^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){4}$' from anon_request$$, 'true');
select tests.expect_equal('advocacy_requests', 'the new reference opens the new thread',
  $$private.advocacy_thread_by_reference((select reference from anon_request), '192.0.2.10')
    ->> 'about'$$,
  'My flat is cold');
select tests.expect_equal('advocacy_requests', 'the reference works in small letters, spaced',
  $$private.advocacy_thread_by_reference(
      (select lower(replace(reference, '-', ' ')) from anon_request), '192.0.2.10') ->> 'about'$$,
  'My flat is cold');
select tests.expect_equal('advocacy_requests', 'and with no dashes at all',
  $$private.advocacy_thread_by_reference(
      (select replace(reference, '-', '') from anon_request), '192.0.2.10') ->> 'about'$$,
  'My flat is cold');
select tests.expect_equal('advocacy_requests', 'one wrong character opens nothing',
  $$private.advocacy_thread_by_reference((select overlay(reference placing
      case when substr(reference, 1, 1) = '2' then '3' else '2' end from 1 for 1)
      from anon_request), '192.0.2.10') is null$$,
  'true');
-- A reference given before the new shape still opens its thread, exactly as it was given.
select tests.expect_equal('advocacy_requests', 'an old-shape reference still opens its thread',
  $$private.advocacy_thread_by_reference('test-reference-anon-0001', '192.0.2.10') ->> 'call_me'$$,
  'A');
select tests.expect_equal('advocacy_requests', 'an old-shape reference keeps its case',
  $$private.advocacy_thread_by_reference('TEST-REFERENCE-ANON-0001', '192.0.2.10') is null$$,
  'true');
-- Guessing: ten lookups that find nothing in an hour from one address, then a refusal of every
-- lookup from it, a right one too (or a refusal would only say "not this one"); the right
-- reference from another address still works.
do $$
begin
  for i in 1..10 loop
    perform private.advocacy_thread_by_reference('2222-2222-2222-2222-' || repeat(i::text, 4),
      '203.0.113.5');
  end loop;
end;
$$;
select tests.expect_sqlstate('advocacy_requests', 'select', 'the 11th miss in an hour from one address',
  $$select private.advocacy_thread_by_reference('3333-3333-3333-3333-3333', '203.0.113.5')$$,
  'AR429');
select tests.expect_sqlstate('advocacy_requests', 'select', 'after ten misses, even the right reference',
  $$select private.advocacy_thread_by_reference((select reference from anon_request), '203.0.113.5')$$,
  'AR429');
select tests.expect_equal('advocacy_requests', 'another address still opens its thread',
  $$private.advocacy_thread_by_reference((select reference from anon_request), '203.0.113.6')
    ->> 'about'$$,
  'My flat is cold');

-- Only young people send requests when signed in; theirs is linked to them, with no reference.
select tests.act_as('yp');
create temporary table yp_request on commit drop as
  select * from private.submit_advocacy_request(tests.id('brightside'), '192.0.2.11', 'Y', null,
    null, null, 'in_care', 'Contact with my brother', 'today', 'I use BSL', 'ask_me');
select tests.expect_equal('advocacy_requests', 'a signed-in young person''s request is theirs',
  $$select reference is null and exists (select 1 from public.advocacy_requests r
      where r.id = s.request_id and r.young_person_id = (select auth.uid()))
    from yp_request s$$, 'true');
-- Asking again within a day: the new request is linked to the first open one of the day (the
-- advocate sees them together); an anonymous request is never linked to anything.
select tests.expect_equal('advocacy_requests', 'yp''s second request of the day is a repeat',
  $$select r.repeat_of = tests.id('req:yp') from public.advocacy_requests r
    where r.id = (select request_id from yp_request)$$, 'true');
select tests.expect_equal('advocacy_requests', 'yp is asked about their earlier request',
  $$private.my_earlier_advocacy_request() = tests.id('req:yp')$$, 'true');
select tests.act_as('yp2');
select tests.expect_equal('advocacy_requests', 'yp2 is not told about yp''s request',
  $$private.my_earlier_advocacy_request() is distinct from tests.id('req:yp')$$, 'true');
select tests.act_as('advocate');
select tests.expect_equal('advocacy_requests', 'an anonymous request is never a repeat',
  $$select count(*) filter (where r.repeat_of is not null) || ' of ' || count(*)
    from public.advocacy_requests r where r.young_person_id is null$$, '0 of 2');
select tests.expect_sqlstate('advocacy_requests', 'update', 'an advocate rewrites who repeated',
  $$update public.advocacy_requests set repeat_of = null
    where young_person_id = tests.id('yp') and repeat_of is not null$$,
  '42501');
select tests.act_as('anon');
select tests.expect_sqlstate('advocacy_requests', 'select', 'anon asks about earlier requests',
  $$select private.my_earlier_advocacy_request()$$, '42501');
select tests.act_as('sw');
select tests.expect_sqlstate('advocacy_requests', 'insert', 'a social worker sends a request',
  $$select private.submit_advocacy_request(tests.id('brightside'), '192.0.2.12', 'Y', null, null,
    null, 'in_care', 'About yp', 'today', null, 'yes')$$, '42501');
select tests.expect_sqlstate('advocacy_messages', 'insert', 'a social worker writes in yp''s thread',
  $$select private.reply_as_young_person(tests.id('req:yp'), 'Hi', '192.0.2.12')$$, '42501');

-- Signed-in young people write only in their own open threads.
select tests.act_as('yp');
select tests.expect_equal('advocacy_messages', 'yp replies in their own thread',
  $$private.reply_as_young_person(tests.id('req:yp'), 'Thank you', '192.0.2.11') is not null$$,
  'true');
select tests.expect_sqlstate('advocacy_messages', 'insert', 'yp writes in yp2''s thread',
  $$select private.reply_as_young_person(tests.id('req:other'), 'Hi', '192.0.2.11')$$, '42501');
select tests.expect_sqlstate('advocacy_messages', 'insert', 'yp writes in their closed thread',
  $$select private.reply_as_young_person(tests.id('req:closed'), 'Hi', '192.0.2.11')$$, 'AR410');

-- Flood of requests from one address: ten an hour, then a clear refusal; other addresses still
-- get through, and every request already sent is kept.
select tests.act_as('anon');
do $$
begin
  for i in 1..10 loop
    perform private.submit_advocacy_request(tests.id('brightside'), '198.51.100.7', 'Flood ' || i,
      null, null, null, 'not_sure', 'Flood test ' || i, 'not_urgent', null, 'ask_me');
  end loop;
end;
$$;
select tests.expect_sqlstate('advocacy_requests', 'insert', 'the 11th request in an hour from one address',
  $$select private.submit_advocacy_request(tests.id('brightside'), '198.51.100.7', 'Flood 11',
    null, null, null, 'not_sure', 'Flood test 11', 'not_urgent', null, 'ask_me')$$, 'AR429');
select tests.expect_equal('advocacy_requests', 'another address still gets through',
  $$(select reference from private.submit_advocacy_request(tests.id('brightside'), '198.51.100.8',
    'Other', null, null, null, 'not_sure', 'Another address', 'not_urgent', null, 'ask_me')) is not null$$,
  'true');
select tests.act_as('advocate');
select tests.expect_equal('advocacy_requests', 'all ten flooded requests are kept',
  $$select count(*) from public.advocacy_requests where about like 'Flood test %'$$, '10');

-- Flood of messages in one thread: twenty an hour, then a clear refusal; all twenty are kept.
-- An oversize message is refused by size and loses nothing either.
select tests.act_as('anon');
do $$
begin
  for i in 1..20 loop
    -- (Not 203.0.113.5: its ten misses above lock its lookups, and a reply is a lookup.)
    perform private.reply_by_reference('test-reference-anon-0001', 'Message ' || i, '198.18.0.' || i);
  end loop;
end;
$$;
select tests.expect_sqlstate('advocacy_messages', 'insert', 'the 21st message in an hour in one thread',
  $$select private.reply_by_reference('test-reference-anon-0001', 'Message 21', '203.0.113.99')$$,
  'AR429');
select tests.expect_equal('advocacy_messages', 'the thread keeps all it had and the twenty',
  $$jsonb_array_length(private.advocacy_thread_by_reference('test-reference-anon-0001', '192.0.2.20') -> 'messages')$$,
  '21');
select tests.expect_sqlstate('advocacy_messages', 'insert', 'an oversize message (4001 characters)',
  $$select private.reply_by_reference((select reference from anon_request), repeat('a', 4001),
    '203.0.113.100')$$, '23514');
select tests.expect_sqlstate('advocacy_requests', 'insert', 'an oversize request (4001 characters)',
  $$select private.submit_advocacy_request(tests.id('brightside'), '203.0.113.101', 'Big', null,
    null, null, 'not_sure', repeat('a', 4001), 'not_urgent', null, 'ask_me')$$, '23514');

-- One account, many threads: thirty messages an hour, then refused.
select tests.act_as('yp');
do $$
declare
  req uuid;
begin
  for i in 1..3 loop
    select request_id into req from private.submit_advocacy_request(tests.id('brightside'),
      '198.51.100.50', 'Y', null, null, null, 'in_care', 'Thread ' || i, 'not_urgent', null, 'yes');
  end loop;
end;
$$;
-- yp already wrote 'Thank you' above: 29 more make thirty, spread over three threads.
do $$
begin
  for i in 1..29 loop
    perform private.reply_as_young_person(r.id, 'Hi ' || i, '198.51.100.60')
    from public.advocacy_requests r where r.about = 'Thread ' || (i % 3 + 1);
  end loop;
end;
$$;
select tests.expect_sqlstate('advocacy_messages', 'insert', 'the 31st message in an hour from one account',
  $$select private.reply_as_young_person(r.id, 'More', '198.51.100.61') from public.advocacy_requests r
    where r.about = 'Thread 1'$$, 'AR429');

-- The rate-limit events cannot tie an anonymous request to an account: signed-in requests and
-- messages count against the account only (never their address), keys are digests (no person's
-- or request's id), and times are kept only to the minute.
select tests.stop_acting();
select tests.expect_empty('rate events for the address of a signed-in request or message', $$
  select e.kind from tests.advocacy_rate_events() e
  where e.key in (select tests.advocacy_address_event_key(kind, address) from (values
    ('request-ip', '192.0.2.11'), ('request-ip', '198.51.100.50'),
    ('message-ip', '192.0.2.11'), ('message-ip', '198.51.100.60')) as a (kind, address))
$$);
select tests.expect_empty('rate events holding a person''s or a request''s id', $$
  select e.kind from tests.advocacy_rate_events() e
  where e.key in (select tests.people_and_request_ids())
$$);
select tests.expect_empty('rate events kept to more than the minute', $$
  select e.kind from tests.advocacy_rate_events() e where e.at <> date_trunc('minute', e.at)
$$);
