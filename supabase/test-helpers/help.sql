-- Help now (rls_help_*.test.sql): `select tests.create_help_cast();` instead of
-- tests.create_cast(). It adds two matrix roles, so every help-now matrix row also says what
--   duty     a Northbridge social worker flagged on duty, in no circle
--   manager  a Northbridge social worker flagged team manager, in no circle
-- may do, and these rows:
--   help:yp_sw     yp told sw, during working hours, moments ago (sw's clock is running)
--   help:yp_duty   yp chose nobody: it went to Northbridge's duty team at once
--   help:yp_late   yp told their advocate on Monday 2 November 2026 at 10:00; nobody
--                  acknowledged it, so it is late and escalated to the team manager
--   help:yp2       yp2 told outside_sw, moments ago
--   help:other     other_yp told other_la_sw (Eastmoor), acknowledged
--   to:<request> its (only) recipient row (keyed by request_id), ev:<request>/sent the audit rows
--   settings:northbridge, settings:eastmoor (keyed by organisation_id)  each authority's working hours and duty number
create function tests.create_help_cast()
returns void language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid;
  open_now timestamptz;
begin
  perform tests.create_cast();
  perform tests.create_person(p) from unnest(array['duty', 'manager']) p;
  new_id := tests.add_membership('duty', 'northbridge', 'social_worker');
  update public.memberships set on_duty = true where id = new_id;
  new_id := tests.add_membership('manager', 'northbridge', 'social_worker');
  update public.memberships set team_manager = true where id = new_id;

  insert into public.help_settings (organisation_id, duty_phone)
    values (tests.id('northbridge'), '0808 157 0123');
  perform tests._register_keyed('settings:northbridge', 'help_settings', 'organisation_id',
    tests.id('northbridge')::text);
  insert into public.help_settings (organisation_id, duty_phone)
    values (tests.id('eastmoor'), '0808 157 0456');
  perform tests._register_keyed('settings:eastmoor', 'help_settings', 'organisation_id',
    tests.id('eastmoor')::text);

  -- Whatever the time the tests run, "moments ago" is inside working hours: the next opening
  -- if it is out of hours now (a clock from then is still running).
  open_now := private.add_working_time(tests.id('northbridge'), now(), interval '0');

  insert into public.help_requests (young_person_id, organisation_id, message, no_one_chosen,
      created_at)
    values (tests.id('yp'), tests.id('northbridge'), 'Can we talk?', false, open_now)
    returning id into new_id;
  perform tests._register('help:yp_sw', 'help_requests', new_id);
  insert into public.help_requests (young_person_id, organisation_id, no_one_chosen, created_at)
    values (tests.id('yp'), tests.id('northbridge'), true, open_now)
    returning id into new_id;
  perform tests._register('help:yp_duty', 'help_requests', new_id);
  insert into public.help_requests (young_person_id, organisation_id, message, no_one_chosen,
      created_at)
    values (tests.id('yp'), tests.id('northbridge'), 'Please ring me', false,
      '2026-11-02 10:00'::timestamp at time zone 'Europe/London')
    returning id into new_id;
  perform tests._register('help:yp_late', 'help_requests', new_id);
  insert into public.help_requests (young_person_id, organisation_id, no_one_chosen, created_at)
    values (tests.id('yp2'), tests.id('northbridge'), false, open_now)
    returning id into new_id;
  perform tests._register('help:yp2', 'help_requests', new_id);
  insert into public.help_requests (young_person_id, organisation_id, no_one_chosen, created_at,
      acknowledged_at, acknowledged_by, reply)
    values (tests.id('other_yp'), tests.id('eastmoor'), false, now() - interval '1 hour',
      now(), tests.id('other_la_sw'), 'seen')
    returning id into new_id;
  perform tests._register('help:other', 'help_requests', new_id);

  insert into public.help_request_recipients (request_id, recipient_id) values
    (tests.id('help:yp_sw'), tests.id('sw')),
    (tests.id('help:yp_late'), tests.id('advocate')),
    (tests.id('help:yp2'), tests.id('outside_sw')),
    (tests.id('help:other'), tests.id('other_la_sw'));
  -- One recipient per request here, so each recipient row is named by its request.
  perform tests._register_keyed('to:' || r, 'help_request_recipients', 'request_id',
    tests.id('help:' || r)::text) from unnest(array['yp_sw', 'yp_late', 'yp2', 'other']) r;

  insert into public.help_request_events (request_id, actor_id, kind)
    values (tests.id('help:yp_sw'), tests.id('yp'), 'sent') returning id into new_id;
  perform tests._register('ev:yp_sw/sent', 'help_request_events', new_id);
  insert into public.help_request_events (request_id, actor_id, kind)
    values (tests.id('help:yp_duty'), tests.id('yp'), 'sent') returning id into new_id;
  perform tests._register('ev:yp_duty/sent', 'help_request_events', new_id);
  insert into public.help_request_events (request_id, actor_id, kind)
    values (tests.id('help:yp_late'), tests.id('yp'), 'sent') returning id into new_id;
  perform tests._register('ev:yp_late/sent', 'help_request_events', new_id);
  insert into public.help_request_events (request_id, actor_id, kind)
    values (tests.id('help:yp2'), tests.id('yp2'), 'sent') returning id into new_id;
  perform tests._register('ev:yp2/sent', 'help_request_events', new_id);
  insert into public.help_request_events (request_id, actor_id, kind)
    values (tests.id('help:other'), tests.id('other_yp'), 'sent') returning id into new_id;
  perform tests._register('ev:other/sent', 'help_request_events', new_id);

  perform tests.matrix_role('duty', 'a Northbridge social worker on duty (in no circle)');
  perform tests.matrix_role('manager', 'a Northbridge team manager (in no circle)');
end;
$$;

/** Moves a help request's start (the clock follows, set by the database): time travel for tests. */
create function tests.move_help_request(fixture text, created timestamptz)
returns void language sql security definer set search_path = ''
as $$
  update public.help_requests set created_at = created where id = tests.id(fixture)
$$;

/** Sets or clears Northbridge's team manager flag on `person` (to test "no team manager"). */
create function tests.set_team_manager(person text, flag boolean)
returns void language sql security definer set search_path = ''
as $$
  update public.memberships set team_manager = flag
  where id = tests.id(person || '@northbridge')
$$;
