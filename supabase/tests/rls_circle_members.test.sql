-- RLS matrix for public.circle_members: who sees a young person's circle, and who may change it.
-- The cast (roles and rows) is described in test-helpers/cast.sql; how to read a matrix row, in test-helpers/helpers.sql.
select tests.create_cast();

-- select: exactly which circle rows each role sees.
select tests.matrix_select('circle_members', $$
  anon         -
  yp           yp/sw yp/family yp/advocate
  sw           yp/sw yp/family yp/advocate
  family       yp/sw yp/family yp/advocate
  outside_sw   yp2/outside_sw                 -- their own case only, never yp's circle
  other_la_sw  other_yp/other_la_sw
  advocate     yp/sw yp/family yp/advocate
  admin        yp/sw yp/family yp/advocate yp2/outside_sw   -- Northbridge's young people only
$$);

-- insert -----------------------------------------------------------------------------------------
select tests.matrix('circle_members', 'insert', 'add newcomer to yp''s circle as a foster carer',
$$insert into public.circle_members (young_person_id, member_id, relationship, access, added_by)
  values (tests.id('yp'), tests.id('newcomer'), 'Foster carer', 'view', (select auth.uid()))$$, $$
  anon         refused
  yp           refused    -- a young person adds only advocates
  sw           1
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('circle_members', 'insert', 'add advocate2 (an advocate) to yp''s circle',
$$insert into public.circle_members (young_person_id, member_id, relationship, access, added_by)
  values (tests.id('yp'), tests.id('advocate2'), 'Advocate', 'comment', (select auth.uid()))$$, $$
  anon         refused
  yp           1          -- young people choose their own advocate
  sw           1
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

-- Only a young person has a circle: nobody else can start one of their own by adding an advocate.
select tests.matrix('circle_members', 'insert', 'start an own circle with advocate2',
$$insert into public.circle_members (young_person_id, member_id, relationship, access, added_by)
  values ((select auth.uid()), tests.id('advocate2'), 'Advocate', 'comment', (select auth.uid()))$$, $$
  anon         refused
  yp           1
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('circle_members', 'insert', 'add outside_sw (a social worker) to yp''s circle',
$$insert into public.circle_members (young_person_id, member_id, relationship, access, added_by)
  values (tests.id('yp'), tests.id('outside_sw'), 'Social worker', 'edit', (select auth.uid()))$$, $$
  anon         refused
  yp           refused    -- not a social worker
  sw           1
  family       refused
  outside_sw   refused    -- cannot add themselves
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('circle_members', 'insert', 'add newcomer to other_yp''s circle (Eastmoor)',
$$insert into public.circle_members (young_person_id, member_id, relationship, access, added_by)
  values (tests.id('other_yp'), tests.id('newcomer'), 'Foster carer', 'view', (select auth.uid()))$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  1
  advocate     refused
  admin        refused    -- another organisation's young person
$$);

select tests.matrix('circle_members', 'insert', 'add newcomer to yp''s circle in sw''s name',
$$insert into public.circle_members (young_person_id, member_id, relationship, access, added_by)
  values (tests.id('yp'), tests.id('newcomer'), 'Foster carer', 'view', tests.id('sw'))$$, $$
  anon         refused
  yp           refused
  sw           1
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused    -- added_by must be whoever adds
$$);

select tests.matrix('circle_members', 'insert', 'join new_yp''s new circle (sw invited new_yp)',
$$insert into public.circle_members (young_person_id, member_id, relationship, access, added_by)
  values (tests.id('new_yp'), (select auth.uid()), 'Social worker', 'edit', (select auth.uid()))$$, $$
  anon         refused
  yp           refused
  sw           1          -- the practitioner who invited a young person starts their circle
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused    -- new_yp is in no organisation yet
$$);

-- update -----------------------------------------------------------------------------------------
select tests.matrix('circle_members', 'update', 'give family edit access',
$$update public.circle_members set access = 'edit' where id = tests.id('yp/family')$$, $$
  anon         refused
  yp           refused
  sw           1
  family       refused    -- cannot change their own (or anyone's) access
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('circle_members', 'update', 'lower sw''s access to view',
$$update public.circle_members set access = 'view' where id = tests.id('yp/sw')$$, $$
  anon         refused
  yp           refused
  sw           1
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('circle_members', 'update', 'change outside_sw''s access in yp2''s circle',
$$update public.circle_members set access = 'comment' where id = tests.id('yp2/outside_sw')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   1
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('circle_members', 'update', 'move family''s row into yp2''s circle',
$$update public.circle_members set young_person_id = tests.id('yp2') where id = tests.id('yp/family')$$, $$
  anon         refused
  yp           refused
  sw           refused    -- access and relationship only: a row never changes circle
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- delete -----------------------------------------------------------------------------------------
select tests.matrix('circle_members', 'delete', 'remove the advocate from yp''s circle',
$$delete from public.circle_members where id = tests.id('yp/advocate')$$, $$
  anon         refused
  yp           1          -- young people may drop their advocate
  sw           1
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('circle_members', 'delete', 'remove sw from yp''s circle',
$$delete from public.circle_members where id = tests.id('yp/sw')$$, $$
  anon         refused
  yp           refused    -- but not their social worker
  sw           1
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('circle_members', 'delete', 'remove family from yp''s circle',
$$delete from public.circle_members where id = tests.id('yp/family')$$, $$
  anon         refused
  yp           refused
  sw           1
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('circle_members', 'delete', 'remove other_la_sw from other_yp''s circle',
$$delete from public.circle_members where id = tests.id('other_yp/other_la_sw')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  1
  advocate     refused
  admin        refused
$$);

-- Two-step attempts: an invite is a key to a new circle only, never to an existing one ----------
select tests.act_as('sw');
select tests.expect_refused('circle_members', 'insert',
  'sw leaves yp''s circle, then rejoins using the invite they once sent yp',
  $$insert into public.circle_members (young_person_id, member_id, relationship, access, added_by)
    values (tests.id('yp'), (select auth.uid()), 'Social worker', 'edit', (select auth.uid()))$$,
  given => $$delete from public.circle_members where id = tests.id('yp/sw')$$);
select tests.expect_refused('circle_members', 'insert',
  'sw joins a "circle" of family, whom they invited as a family member',
  $$insert into public.circle_members (young_person_id, member_id, relationship, access, added_by)
    values (tests.id('family'), (select auth.uid()), 'Social worker', 'edit', (select auth.uid()))$$);

-- Once a young person removes their advocate, the advocate no longer sees the circle.
select tests.act_as('yp');
delete from public.circle_members where id = tests.id('yp/advocate');
select tests.act_as('advocate');
select tests.expect_visible('circle_members', '');

-- The app's invite flow, step by step as the inviting social worker (src/lib/server/invitations.ts):
-- invite a brand-new person as a young person, make them a member, then start their circle.
select tests.act_as('sw');
select tests.expect_allowed('circle_members', 'insert', 'sw starts newcomer''s circle after inviting them',
  $$insert into public.circle_members (young_person_id, member_id, relationship, access, added_by)
    values (tests.id('newcomer'), (select auth.uid()), 'Social worker', 'edit', (select auth.uid()))$$,
  1,
  given => $$
    insert into public.invites (organisation_id, invitee_id, invited_by, role)
      values (tests.id('northbridge'), tests.id('newcomer'), (select auth.uid()), 'young_person');
    insert into public.memberships (organisation_id, user_id, role)
      values (tests.id('northbridge'), tests.id('newcomer'), 'young_person')$$);
select tests.expect_allowed('circle_members', 'insert', 'sw adds newcomer to yp''s circle after inviting them as family',
  $$insert into public.circle_members (young_person_id, member_id, relationship, access, added_by)
    values (tests.id('yp'), tests.id('newcomer'), 'Aunt', 'comment', (select auth.uid()))$$,
  1,
  given => $$
    insert into public.invites (organisation_id, invitee_id, invited_by, role, young_person_id,
        relationship)
      values (tests.id('northbridge'), tests.id('newcomer'), (select auth.uid()), 'family_member',
        tests.id('yp'), 'Aunt');
    insert into public.memberships (organisation_id, user_id, role)
      values (tests.id('northbridge'), tests.id('newcomer'), 'family_member')$$);
