-- Asking again by reference, not signed in (migration 20261205200300_repeats_by_reference.sql):
-- a new anonymous request that gives the private reference of a request made in the last day,
-- not closed, is linked to it (to the first of its group) so the advocate sees them together.
-- An unknown, old or closed one links nothing; nobody can set the link but the database; and the
-- reference is looked up through the metered door (a wrong one is a miss like any other).
-- Each request is sent in a statement of its own before it is checked: a check's own statement
-- would not see a row inserted by a function called in it (the snapshot is the statement's).
select tests.create_advocacy_cast();
select tests.act_as('anon');

create temporary table first_ask on commit drop as
  select * from private.submit_advocacy_request(tests.id('brightside'), '192.0.2.30', 'Kai',
    null, null, null, 'care_leaver', 'My flat is cold', 'this_week', null, 'no');
select tests.expect_equal('advocacy_requests', 'a request with no earlier reference repeats nothing',
  $$tests.advocacy_repeat_of((select request_id from first_ask)) is null$$, 'true');

-- The reference, in small letters and spaced as someone might type it: linked to that request.
create temporary table second_ask on commit drop as
  select * from private.submit_advocacy_request(tests.id('brightside'), '192.0.2.31', 'Kai',
    null, null, null, 'care_leaver', 'And the heating is off', 'today', null, 'no',
    (select lower(replace(reference, '-', ' ')) from first_ask));
select tests.expect_equal('advocacy_requests', 'asked again with the reference: a repeat of it',
  $$tests.advocacy_repeat_of((select request_id from second_ask))
    = (select request_id from first_ask)$$, 'true');
-- The second request's own reference names a repeat: the link goes to the first of the group.
create temporary table third_ask on commit drop as
  select * from private.submit_advocacy_request(tests.id('brightside'), '192.0.2.32', 'Kai',
    null, null, null, 'care_leaver', 'Who fixes it?', 'this_week', null, 'no',
    (select reference from second_ask));
select tests.expect_equal('advocacy_requests', 'a repeat of a repeat points at the first',
  $$tests.advocacy_repeat_of((select request_id from third_ask))
    = (select request_id from first_ask)$$, 'true');
-- A reference given before the new shape works too.
create temporary table old_shape_ask on commit drop as
  select * from private.submit_advocacy_request(tests.id('brightside'), '192.0.2.33', 'A', null,
    null, null, 'care_leaver', 'Again', 'today', null, 'ask_me', 'test-reference-anon-0001');
select tests.expect_equal('advocacy_requests', 'an old-shape reference links to its request',
  $$tests.advocacy_repeat_of((select request_id from old_shape_ask)) = tests.id('req:anon')$$,
  'true');

-- A well-formed reference that names nothing, or an empty one: a new request, linked to nothing.
create temporary table unknown_ask on commit drop as
  select * from private.submit_advocacy_request(tests.id('brightside'), '192.0.2.34', 'B', null,
    null, null, 'not_sure', 'Hello', 'not_urgent', null, 'ask_me', '2222-3333-4444-5555-6666');
select tests.expect_equal('advocacy_requests', 'an unknown reference links nothing',
  $$(select request_id from unknown_ask) is not null
    and tests.advocacy_repeat_of((select request_id from unknown_ask)) is null$$, 'true');
create temporary table empty_ask on commit drop as
  select * from private.submit_advocacy_request(tests.id('brightside'), '192.0.2.34', 'B', null,
    null, null, 'not_sure', 'Hello', 'not_urgent', null, 'ask_me', '');
select tests.expect_equal('advocacy_requests', 'an empty reference links nothing',
  $$(select request_id from empty_ask) is not null
    and tests.advocacy_repeat_of((select request_id from empty_ask)) is null$$, 'true');

-- Made more than a day ago: a new request, linked to nothing.
create temporary table old_ask on commit drop as
  select * from private.submit_advocacy_request(tests.id('brightside'), '192.0.2.35', 'Old',
    null, null, null, 'not_sure', 'Last week', 'not_urgent', null, 'ask_me');
select tests.move_advocacy_request((select request_id from old_ask), now() - interval '25 hours');
create temporary table after_old_ask on commit drop as
  select * from private.submit_advocacy_request(tests.id('brightside'), '192.0.2.35', 'Old',
    null, null, null, 'not_sure', 'Again', 'not_urgent', null, 'ask_me',
    (select reference from old_ask));
select tests.expect_equal('advocacy_requests', 'a reference of a request older than a day links nothing',
  $$(select request_id from after_old_ask) is not null
    and tests.advocacy_repeat_of((select request_id from after_old_ask)) is null$$, 'true');

-- Closed: a new request, linked to nothing.
select tests.act_as('advocate');
update public.advocacy_requests set status = 'closed', outcome = 'Sorted'
  where id = tests.id('req:anon');
select tests.act_as('anon');
create temporary table after_closed_ask on commit drop as
  select * from private.submit_advocacy_request(tests.id('brightside'), '192.0.2.36', 'A', null,
    null, null, 'care_leaver', 'Once more', 'today', null, 'ask_me', 'test-reference-anon-0001');
select tests.expect_equal('advocacy_requests', 'a reference of a closed request links nothing',
  $$(select request_id from after_closed_ask) is not null
    and tests.advocacy_repeat_of((select request_id from after_closed_ask)) is null$$, 'true');

-- Only the database sets the link: not anon, not the young person, whatever they send.
select tests.expect_sqlstate('advocacy_requests', 'insert', 'anon inserts a request naming a repeat',
  $$insert into public.advocacy_requests (service_id, call_me, care_status, about, urgency,
      social_worker_may_know, repeat_of)
    values (tests.id('brightside'), 'X', 'not_sure', 'x', 'not_urgent', 'ask_me',
      tests.id('req:yp'))$$, '42501');
select tests.expect_sqlstate('advocacy_requests', 'update', 'anon sets what a request repeats',
  $$update public.advocacy_requests set repeat_of = null$$, '42501');
select tests.act_as('yp');
select tests.expect_sqlstate('advocacy_requests', 'update', 'yp sets what their request repeats',
  $$update public.advocacy_requests set repeat_of = null where young_person_id = tests.id('yp')$$,
  '42501');
-- Signed in, a reference is not what links: yp's request repeats yp's own earlier one.
create temporary table yp_ask on commit drop as
  select * from private.submit_advocacy_request(tests.id('brightside'), '192.0.2.37', 'Y', null,
    null, null, 'in_care', 'Me again', 'today', null, 'yes', 'test-reference-anon-0001');
select tests.expect_equal('advocacy_requests', 'signed in, an anonymous reference links nothing',
  $$tests.advocacy_repeat_of((select request_id from yp_ask)) = tests.id('req:yp')$$, 'true');

-- The reference in the request form is looked up through the metered door: after nine lookups
-- that find nothing, a wrong earlier reference is the tenth miss, and the address is refused.
select tests.act_as('anon');
do $$
begin
  for i in 1..9 loop
    perform private.advocacy_thread_by_reference('2222-2222-2222-2222-' || repeat(i::text, 4),
      '203.0.113.40');
  end loop;
end;
$$;
select tests.expect_equal('advocacy_requests', 'the tenth miss, in the request form, still sends',
  $$(select reference from private.submit_advocacy_request(tests.id('brightside'),
      '203.0.113.40', 'C', null, null, null, 'not_sure', 'Guess', 'not_urgent', null, 'ask_me',
      '3333-3333-3333-3333-3333')) is not null$$, 'true');
select tests.expect_sqlstate('advocacy_requests', 'select', 'a lookup after ten misses',
  $$select private.advocacy_thread_by_reference((select reference from first_ask), '203.0.113.40')$$,
  'AR429');
select tests.expect_sqlstate('advocacy_requests', 'insert', 'a request naming a reference after ten misses',
  $$select private.submit_advocacy_request(tests.id('brightside'), '203.0.113.40', 'C', null,
    null, null, 'not_sure', 'Guess', 'not_urgent', null, 'ask_me',
    (select reference from first_ask))$$, 'AR429');
