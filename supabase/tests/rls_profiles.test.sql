-- RLS matrix for public.profiles. The cast is in test-helpers/cast.sql; how to read a row, in test-helpers/helpers.sql.
select tests.create_cast();

-- select: yourself, people you share a circle with, people you have an open invite for, your organisation's
-- people if you are its admin, and advocates (public-facing professionals).
select tests.matrix_select('profiles', $$
  anon         -
  yp           yp sw family advocate advocate2
  sw           sw yp family advocate advocate2 new_yp            -- new_yp: sw invited them
  family       family yp sw advocate advocate2
  outside_sw   outside_sw yp2 advocate advocate2
  other_la_sw  other_la_sw other_yp advocate advocate2
  advocate     advocate yp sw family advocate2
  admin        admin yp sw family outside_sw yp2 advocate advocate2
$$);

-- insert: profiles are made by the trigger on auth.users, never by the app's role.
select tests.matrix('profiles', 'insert', 'create a profile for ghost (an account without one)',
$$insert into public.profiles (id, preferred_name) values (tests.id('ghost'), 'Ghost')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- update: only the person themselves.
select tests.matrix('profiles', 'update', 'change yp''s preferred name',
$$update public.profiles set preferred_name = 'Renamed' where id = tests.id('yp')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused    -- admins see their people's profiles but never edit them
$$);

select tests.matrix('profiles', 'update', 'change the advocate''s pronouns (everyone sees them)',
$$update public.profiles set pronouns = 'she/her' where id = tests.id('advocate')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     1
  admin        refused
$$);

-- The recorded language preference (Welsh Language Standards) is the person's own to set.
select tests.matrix('profiles', 'update', 'choose Welsh for yp',
$$update public.profiles set language = 'cy' where id = tests.id('yp')$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('profiles', 'update', 'backdate yp''s profile',
$$update public.profiles set created_at = now() - interval '1 year' where id = tests.id('yp')$$, $$
  anon         refused
  yp           refused    -- settings and names only
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- delete: accounts are deleted through auth (the profile cascades), never by the app's role.
select tests.matrix('profiles', 'delete', 'delete yp''s profile',
$$delete from public.profiles where id = tests.id('yp')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- An invite shows the inviter their invitee only while it is open: outside_sw invited yp2 (long
-- accepted), so once they leave yp2's circle they no longer see yp2.
select tests.act_as('admin');
delete from public.circle_members where id = tests.id('yp2/outside_sw');
select tests.act_as('outside_sw');
select tests.expect_visible('profiles', 'outside_sw advocate advocate2');
