-- RLS matrix for public.memberships. The cast is in test-helpers/cast.sql; how to read a row, in test-helpers/helpers.sql.
select tests.create_cast();

-- select: your own, your organisation's if you are its admin, your circles' people, advocates.
-- (A role may take several lines; their rows are joined.)
select tests.matrix_select('memberships', $$
  anon         -
  yp           yp@northbridge sw@northbridge family@northbridge advocate@brightside advocate2@brightside
  sw           sw@northbridge yp@northbridge family@northbridge advocate@brightside advocate2@brightside
  family       family@northbridge yp@northbridge sw@northbridge advocate@brightside advocate2@brightside
  outside_sw   outside_sw@northbridge yp2@northbridge advocate@brightside advocate2@brightside
  other_la_sw  other_la_sw@eastmoor other_yp@eastmoor advocate@brightside advocate2@brightside
  advocate     advocate@brightside yp@northbridge sw@northbridge family@northbridge advocate2@brightside
  admin        admin@northbridge yp@northbridge sw@northbridge family@northbridge
  admin        outside_sw@northbridge yp2@northbridge advocate@brightside advocate2@brightside
$$);

-- insert -----------------------------------------------------------------------------------------
select tests.matrix('memberships', 'insert', 'add newcomer to Northbridge as a family member',
$$insert into public.memberships (organisation_id, user_id, role)
  values (tests.id('northbridge'), tests.id('newcomer'), 'family_member')$$, $$
  anon         refused
  yp           refused
  sw           refused    -- practitioners add only people they invited
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('memberships', 'insert', 'add newcomer to Eastmoor',
$$insert into public.memberships (organisation_id, user_id, role)
  values (tests.id('eastmoor'), tests.id('newcomer'), 'family_member')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused    -- not Eastmoor's admin, and did not invite newcomer
  advocate     refused
  admin        refused    -- not their organisation
$$);

select tests.matrix('memberships', 'insert', 'add new_yp to Northbridge as a young person',
$$insert into public.memberships (organisation_id, user_id, role)
  values (tests.id('northbridge'), tests.id('new_yp'), 'young_person')$$, $$
  anon         refused
  yp           refused
  sw           1          -- sw invited new_yp, as a young person, into Northbridge
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

-- lapsed: sw invited them into Northbridge more than 14 days ago; they never accepted.
select tests.create_person('lapsed');
select tests.create_invite('invite:lapsed', 'northbridge', 'lapsed', 'sw', 'family_member',
  young_person => 'yp', relationship => 'Dad', expired => true);
select tests.matrix('memberships', 'insert', 'add lapsed to Northbridge as a family member',
$$insert into public.memberships (organisation_id, user_id, role)
  values (tests.id('northbridge'), tests.id('lapsed'), 'family_member')$$, $$
  anon         refused
  yp           refused
  sw           refused    -- sw's invite has lapsed
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('memberships', 'insert', 'add new_yp to Northbridge as an admin',
$$insert into public.memberships (organisation_id, user_id, role)
  values (tests.id('northbridge'), tests.id('new_yp'), 'admin')$$, $$
  anon         refused
  yp           refused
  sw           refused    -- the invite was for a young person, not an admin
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('memberships', 'insert', 'add yp (a Northbridge young person) to Brightside',
$$insert into public.memberships (organisation_id, user_id, role)
  values (tests.id('brightside'), tests.id('yp'), 'advocate')$$, $$
  anon         refused
  yp           refused    -- nobody makes themselves an advocate
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- update -----------------------------------------------------------------------------------------
-- Admins cannot change their own role (e.g. into an advocate, to read what advocates read).
select tests.matrix('memberships', 'update', 'change your own role to advocate',
$$update public.memberships set role = 'advocate' where user_id = (select auth.uid())$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('memberships', 'update', 'make sw an admin of Northbridge',
$$update public.memberships set role = 'admin' where id = tests.id('sw@northbridge')$$, $$
  anon         refused
  yp           refused
  sw           refused    -- not even themselves
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('memberships', 'update', 'make other_la_sw an admin of Eastmoor',
$$update public.memberships set role = 'admin' where id = tests.id('other_la_sw@eastmoor')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused    -- not their organisation
$$);

select tests.matrix('memberships', 'update', 'make the advocate (visible to all) a social worker',
$$update public.memberships set role = 'social_worker' where id = tests.id('advocate@brightside')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('memberships', 'update', 'move yp''s membership to Eastmoor',
$$update public.memberships set organisation_id = tests.id('eastmoor')
  where id = tests.id('yp@northbridge')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused    -- the role only: a membership never changes organisation
$$);

-- delete -----------------------------------------------------------------------------------------
select tests.matrix('memberships', 'delete', 'remove family from Northbridge',
$$delete from public.memberships where id = tests.id('family@northbridge')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('memberships', 'delete', 'remove other_yp from Eastmoor',
$$delete from public.memberships where id = tests.id('other_yp@eastmoor')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('memberships', 'delete', 'remove the advocate from Brightside',
$$delete from public.memberships where id = tests.id('advocate@brightside')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- Another organisation's admin cannot claim a young person, and through the claim reach their
-- circle (admins manage the circles of their organisation's young people).
select tests.act_as('other_admin');
select tests.expect_refused('memberships', 'insert', 'Eastmoor''s admin adds yp to Eastmoor',
  $$insert into public.memberships (organisation_id, user_id, role)
    values (tests.id('eastmoor'), tests.id('yp'), 'young_person')$$);
select tests.expect_refused('memberships', 'insert', 'Eastmoor''s admin adds yp to Eastmoor as staff',
  $$insert into public.memberships (organisation_id, user_id, role)
    values (tests.id('eastmoor'), tests.id('yp'), 'social_worker')$$);
select tests.expect_allowed('memberships', 'insert', 'Eastmoor''s admin adds newcomer to Eastmoor',
  $$insert into public.memberships (organisation_id, user_id, role)
    values (tests.id('eastmoor'), tests.id('newcomer'), 'young_person')$$, 1);
select tests.expect_visible('circle_members', 'other_yp/other_la_sw');

-- Nobody makes themselves an admin somewhere else.
select tests.act_as('admin');
select tests.expect_refused('memberships', 'insert', 'Northbridge''s admin joins Eastmoor as admin',
  $$insert into public.memberships (organisation_id, user_id, role)
    values (tests.id('eastmoor'), (select auth.uid()), 'admin')$$);
select tests.act_as('outside_sw');
select tests.expect_refused('memberships', 'insert', 'a social worker joins Eastmoor as admin',
  $$insert into public.memberships (organisation_id, user_id, role)
    values (tests.id('eastmoor'), (select auth.uid()), 'admin')$$);
