-- RLS matrix for public.help_request_events: the audit trail of each help request (sent, seen,
-- acknowledged). Read by whoever reads the request; append-only, written by the functions only.
select tests.create_help_cast();

select tests.matrix_select('help_request_events', $$
  anon        -
  yp          ev:yp_sw/sent ev:yp_duty/sent ev:yp_late/sent
  sw          ev:yp_sw/sent
  family      -
  outside_sw  ev:yp2/sent
  other_la_sw ev:other/sent
  advocate    ev:yp_late/sent
  admin       -
  duty        ev:yp_duty/sent
  manager     ev:yp_late/sent
$$);

select tests.matrix('help_request_events', 'insert', 'record an acknowledgement of help:yp_sw',
$$insert into public.help_request_events (request_id, actor_id, kind)
  values (tests.id('help:yp_sw'), (select auth.uid()), 'acknowledged')$$, $$
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

select tests.matrix('help_request_events', 'update', 'rewrite ev:yp_sw/sent',
$$update public.help_request_events set kind = 'viewed' where id = tests.id('ev:yp_sw/sent')$$, $$
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

select tests.matrix('help_request_events', 'delete', 'erase ev:yp_late/sent',
$$delete from public.help_request_events where id = tests.id('ev:yp_late/sent')$$, $$
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
