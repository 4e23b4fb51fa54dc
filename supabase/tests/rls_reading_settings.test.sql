-- RLS matrix for public.reading_settings: how a person likes to read is theirs alone. Not their
-- circle, not their social worker, not their advocate, not an admin of their organisation.
-- (Fixtures: test-helpers/cast.sql, then test-helpers/reading.sql.)
select tests.create_cast();
select tests.create_reading_cast();

select tests.matrix_select_keyed('reading_settings', $$
  anon         -
  yp           reading:yp
  sw           reading:sw
  family       reading:family
  outside_sw   -
  other_la_sw  -
  advocate     -
  admin        -
$$);

-- insert: only your own row (the first time you choose).
select tests.matrix('reading_settings', 'insert', 'choose settings for yp2 (who has none yet)',
$$insert into public.reading_settings (person_id, text_size) values (tests.id('yp2'), 'larger')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused    -- yp2's own social worker, still not theirs to choose
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('reading_settings', 'insert', 'choose my own settings',
$$insert into public.reading_settings (person_id, reduced_motion)
  values ((select auth.uid()), true) on conflict (person_id) do nothing$$, $$
  anon         refused
  yp           0          -- already chosen: their row is there (on conflict do nothing)
  sw           0
  family       0
  outside_sw   1
  other_la_sw  1
  advocate     1
  admin        1
$$);

-- update: only your own.
select tests.matrix('reading_settings', 'update', 'change yp''s text size',
$$update public.reading_settings set text_size = 'standard' where person_id = tests.id('yp')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('reading_settings', 'update', 'hand yp''s row to someone else',
$$update public.reading_settings set person_id = tests.id('sw') where person_id = tests.id('yp')$$, $$
  anon         refused
  yp           refused    -- the person a row is for never changes
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('reading_settings', 'update', 'backdate when yp chose',
$$update public.reading_settings set chosen_at = now() - interval '1 year'
  where person_id = tests.id('yp')$$, $$
  anon         refused
  yp           refused    -- settings only
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- delete: nobody (a person changes their settings; the row goes with their account).
select tests.matrix('reading_settings', 'delete', 'delete yp''s settings',
$$delete from public.reading_settings where person_id = tests.id('yp')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);
