-- RLS matrix for public.help_request_recipients: whom a help request went to. Read by whoever
-- reads the request; written only by private.send_help_request.
select tests.create_help_cast();

select tests.matrix_select_keyed('help_request_recipients', $$
  anon        -
  yp          to:yp_sw to:yp_late
  sw          to:yp_sw
  family      -
  outside_sw  to:yp2
  other_la_sw to:other
  advocate    to:yp_late
  admin       -
  duty        -
  manager     to:yp_late
$$);

select tests.matrix('help_request_recipients', 'insert', 'add family to help:yp_duty',
$$insert into public.help_request_recipients (request_id, recipient_id)
  values (tests.id('help:yp_duty'), tests.id('family'))$$, $$
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

select tests.matrix('help_request_recipients', 'update', 'redirect help:yp_sw to family',
$$update public.help_request_recipients set recipient_id = tests.id('family')
  where request_id = tests.id('help:yp_sw')$$, $$
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

select tests.matrix('help_request_recipients', 'delete', 'take sw off help:yp_sw',
$$delete from public.help_request_recipients where request_id = tests.id('help:yp_sw')$$, $$
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
