-- RLS matrix for public.help_settings: an organisation's working hours and out-of-hours duty
-- number. Its members read it; its admins set it. The duty numbers reach people who are not
-- signed in only through private.help_duty_numbers().
select tests.create_help_cast();

select tests.matrix_select_keyed('help_settings', $$
  anon        -
  yp          settings:northbridge
  sw          settings:northbridge
  family      settings:northbridge
  outside_sw  settings:northbridge
  other_la_sw settings:eastmoor
  advocate    -
  admin       settings:northbridge
  duty        settings:northbridge
  manager     settings:northbridge
$$);

select tests.matrix('help_settings', 'insert', 'set Brightside''s working hours',
$$insert into public.help_settings (organisation_id, duty_phone, updated_by)
  values (tests.id('brightside'), '0808 157 0999', (select auth.uid()))$$, $$
  anon        refused
  yp          refused
  sw          refused
  family      refused
  outside_sw  refused
  other_la_sw refused
  advocate    refused   -- a member, not an admin
  admin       refused   -- another organisation's admin
  duty        refused
  manager     refused
$$);

select tests.matrix('help_settings', 'update', 'change Northbridge''s duty number',
$$update public.help_settings set duty_phone = '0808 157 0777', updated_by = (select auth.uid())
  where organisation_id = tests.id('northbridge')$$, $$
  anon        refused
  yp          refused
  sw          refused
  family      refused
  outside_sw  refused
  other_la_sw refused
  advocate    refused
  admin       1
  duty        refused
  manager     refused
$$);

select tests.matrix('help_settings', 'delete', 'remove Northbridge''s settings',
$$delete from public.help_settings where organisation_id = tests.id('northbridge')$$, $$
  anon        refused
  yp          refused
  sw          refused
  family      refused
  outside_sw  refused
  other_la_sw refused
  advocate    refused
  admin       refused
  duty        refused
  manager     refused
$$);

-- Each admin sets their own organisation's hours, and the database refuses impossible ones.
select tests.act_as('other_admin');
select tests.expect_allowed('help_settings', 'update', 'Eastmoor''s admin changes Eastmoor''s hours',
  $$update public.help_settings set day_starts = '08:30', updated_by = (select auth.uid())
    where organisation_id = tests.id('eastmoor')$$, 1);
select tests.expect_sqlstate('help_settings', 'update', 'a day that ends before it starts',
  $$update public.help_settings set day_starts = '18:00', updated_by = (select auth.uid())
    where organisation_id = tests.id('eastmoor')$$, '23514');

-- Anyone, signed in or not, can read the duty numbers (public information).
select tests.act_as('anon');
select tests.expect_equal('help_settings', 'duty numbers for the help-now page',
  $$select string_agg(duty_phone, ',' order by duty_phone) from private.help_duty_numbers()$$,
  '0808 157 0123,0808 157 0456');
select tests.expect_sqlstate('help_settings', 'select', 'the calendar is not for anon',
  $$select private.add_working_time(tests.id('northbridge'), now(), '1 hour')$$, '42501');
