-- "I need help now" through its doors (issue 15): whom a young person may tell (never family),
-- who acknowledges, and escalation derived from the clock with no job running. Each function is
-- security definer in schema private; the tables are read-only to authenticated (see the
-- matrix files rls_help_*.test.sql).
select tests.create_help_cast();

-- yp may tell their social worker and their advocate; never their mum (family), nor a social
-- worker who is not theirs.
select tests.act_as('yp');
select tests.expect_equal('help_requests', 'whom yp may tell',
  $$select string_agg(preferred_name || ':' || role, ',' order by preferred_name)
    from private.help_people_i_can_tell()$$, 'advocate:advocate,sw:social_worker');
select tests.expect_sqlstate('help_requests', 'insert', 'yp tells their mum',
  $$select private.send_help_request('I need to talk', array[tests.id('family')])$$, '42501');
select tests.expect_sqlstate('help_requests', 'insert', 'yp tells a social worker not theirs',
  $$select private.send_help_request('I need to talk', array[tests.id('outside_sw')])$$, '42501');
select tests.expect_sqlstate('help_requests', 'insert', 'a message over 500 characters',
  $$select private.send_help_request(repeat('x', 501), array[tests.id('sw')])$$, '23514');

create temporary table sent on commit drop as
  select private.send_help_request('I need to talk', array[tests.id('sw')]) as id;
grant select on sent to authenticated;
select tests.expect_equal('help_requests', 'yp sees their new request, sent to sw',
  $$select recipient_names::text from private.my_help_requests() where id = (select id from sent)$$,
  '{sw}');
select tests.expect_equal('help_request_events', 'the sending is on the trail',
  $$select count(*) from public.help_request_events
    where request_id = (select id from sent) and kind = 'sent'$$, '1');

-- Family and other workers: not anywhere.
select tests.act_as('family');
select tests.expect_visible('help_requests', '');
select tests.expect_equal('help_requests', 'family''s inbox is empty',
  $$select count(*) from private.help_inbox()$$, '0');
select tests.expect_equal('help_requests', 'family may tell nobody (not a young person)',
  $$select count(*) from private.help_people_i_can_tell()$$, '0');
select tests.expect_sqlstate('help_requests', 'insert', 'family sends a help request',
  $$select private.send_help_request('hi', null)$$, '42501');
select tests.expect_sqlstate('help_requests', 'update', 'family acknowledges yp''s request',
  $$select private.acknowledge_help_request(tests.id('help:yp_sw'), 'seen')$$, '42501');
select tests.act_as('sw');
select tests.expect_sqlstate('help_requests', 'insert', 'a social worker sends a help request',
  $$select private.send_help_request('hi', null)$$, '42501');
select tests.act_as('duty');
select tests.expect_sqlstate('help_requests', 'update', 'duty acknowledges one not sent to duty',
  $$select private.acknowledge_help_request(tests.id('help:yp_sw'), 'seen')$$, '42501');

-- sw sees both in their inbox, with the clock, and acknowledges one; the viewing is recorded once.
select tests.act_as('sw');
select tests.expect_equal('help_requests', 'sw''s inbox',
  $$select string_agg(why || ':' || late::text, ',') from private.help_inbox()$$,
  'chosen:false,chosen:false');
select tests.expect_equal('help_request_events', 'opening the inbox again records no second view',
  $$select count(*) from (select private.help_inbox()) again$$, '2');
select tests.expect_equal('help_request_events', 'one view per person and request',
  $$select count(*) from public.help_request_events where kind = 'viewed'
    and actor_id = (select auth.uid())$$, '2');
select tests.expect_sqlstate('help_requests', 'update', 'an answer that is not one of the two',
  $$select private.acknowledge_help_request(tests.id('help:yp_sw'), 'maybe')$$, '22023');
select private.acknowledge_help_request(tests.id('help:yp_sw'), 'call_today');
select tests.act_as('yp');
select tests.expect_equal('help_requests', 'yp is told sw will call today',
  $$select acknowledged_by_name || ':' || reply from private.my_help_requests()
    where id = tests.id('help:yp_sw')$$, 'sw:call_today');

-- Escalation follows the clock: nobody acknowledged help:yp2 and its start is moved back to
-- Monday 2 November 2026 09:00, so its 4 working hours ended at 13:00 that day.
select tests.act_as('manager');
select tests.expect_visible('help_requests', 'help:yp_late');
select tests.stop_acting();
select tests.move_help_request('help:yp2',
  '2026-11-02 09:00'::timestamp at time zone 'Europe/London');
select tests.act_as('manager');
select tests.expect_visible('help_requests', 'help:yp_late help:yp2');
select tests.expect_equal('help_requests', 'the manager''s inbox says why',
  $$select string_agg(why, ',') from private.help_inbox() where id = tests.id('help:yp2')$$,
  'escalated');
select tests.act_as('duty');
select tests.expect_visible('help_requests', 'help:yp_duty');

-- With no team manager, late requests go to the duty team instead.
select tests.stop_acting();
select tests.set_team_manager('manager', false);
select tests.act_as('duty');
select tests.expect_visible('help_requests', 'help:yp_duty help:yp_late help:yp2');
select tests.act_as('manager');
select tests.expect_visible('help_requests', '');

-- Sent out of hours, it goes to the duty team at once, even with someone chosen.
select tests.stop_acting();
select tests.move_help_request('help:yp_sw',
  '2026-11-07 22:00'::timestamp at time zone 'Europe/London');
select tests.act_as('duty');
select tests.expect_equal('help_requests', 'a Saturday-night request is the duty team''s',
  $$select to_duty::text from public.help_requests where id = tests.id('help:yp_sw')$$, 'true');

-- Duty and team-manager flags: set by an admin, only on practitioners, never by themselves.
select tests.act_as('admin');
select tests.expect_allowed('memberships', 'update', 'admin puts sw on duty',
  $$update public.memberships set on_duty = true where id = tests.id('sw@northbridge')$$, 1);
select tests.expect_sqlstate('memberships', 'update', 'admin makes family a team manager',
  $$update public.memberships set team_manager = true where id = tests.id('family@northbridge')$$,
  '23514');
select tests.act_as('sw');
select tests.expect_refused('memberships', 'update', 'sw puts themselves on duty',
  $$update public.memberships set on_duty = true where id = tests.id('sw@northbridge')$$);
