-- RLS matrix for public.help_requests ("I need help now", issue 15): read by the young person who
-- sent it and by the people it went to (chosen workers; the duty team when nobody was chosen,
-- out of hours, or late with no team manager; team managers once late). Never by family.
-- Written only through private.send_help_request and private.acknowledge_help_request.
select tests.create_help_cast();

select tests.matrix_select('help_requests', $$
  anon        -
  yp          help:yp_sw help:yp_duty help:yp_late
  sw          help:yp_sw
  family      -
  outside_sw  help:yp2
  other_la_sw help:other
  advocate    help:yp_late        -- chosen by yp
  admin       -
  duty        help:yp_duty        -- nobody was chosen (yp_late is the team manager's)
  manager     help:yp_late        -- late: nobody acknowledged it within 4 working hours
$$);

select tests.matrix('help_requests', 'insert', 'write a help request as yp directly',
$$insert into public.help_requests (young_person_id, organisation_id, no_one_chosen)
  values (tests.id('yp'), tests.id('northbridge'), true)$$, $$
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

select tests.matrix('help_requests', 'update', 'acknowledge help:yp_sw directly',
$$update public.help_requests set acknowledged_at = now(), acknowledged_by = (select auth.uid()),
  reply = 'seen' where id = tests.id('help:yp_sw')$$, $$
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

select tests.matrix('help_requests', 'delete', 'delete help:yp_late',
$$delete from public.help_requests where id = tests.id('help:yp_late')$$, $$
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
