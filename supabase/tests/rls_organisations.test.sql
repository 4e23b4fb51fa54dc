-- RLS matrix for public.organisations. The cast is in test-helpers/cast.sql; how to read a row, in test-helpers/helpers.sql.
select tests.create_cast();

-- select: your own organisations, plus every advocacy service (so young people can find one).
select tests.matrix_select('organisations', $$
  anon         -
  yp           northbridge brightside
  sw           northbridge brightside
  family       northbridge brightside
  outside_sw   northbridge brightside
  other_la_sw  eastmoor brightside
  advocate     brightside
  admin        northbridge brightside
$$);

-- insert: organisations are set up by the service, never through the app's role.
select tests.matrix('organisations', 'insert', 'found a new organisation',
$$insert into public.organisations (name, kind) values ('Rogue Council', 'local_authority')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- update: an admin renames their own organisation, and nothing else.
select tests.matrix('organisations', 'update', 'rename Northbridge',
$$update public.organisations set name = 'Northbridge Children''s Services'
  where id = tests.id('northbridge')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('organisations', 'update', 'rename Eastmoor',
$$update public.organisations set name = 'Renamed' where id = tests.id('eastmoor')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused    -- not their organisation
$$);

select tests.matrix('organisations', 'update', 'rename Brightside (visible to everyone)',
$$update public.organisations set name = 'Renamed' where id = tests.id('brightside')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('organisations', 'update', 'turn Northbridge into an advocacy service',
$$update public.organisations set kind = 'advocacy_service' where id = tests.id('northbridge')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused    -- the name only: the kind decides who can see an organisation
$$);

-- delete: never through the app's role.
select tests.matrix('organisations', 'delete', 'close Northbridge',
$$delete from public.organisations where id = tests.id('northbridge')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);
