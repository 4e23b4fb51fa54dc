-- RLS matrix for public.invites. The cast is in test-helpers/cast.sql; how to read a row, in test-helpers/helpers.sql.
select tests.create_cast();

-- select: the inviter, the invitee and the organisation's admins only.
select tests.matrix_select('invites', $$
  anon         -
  yp           invite:yp invite:expired
  sw           invite:yp invite:expired invite:family invite:new_yp
  family       invite:family
  outside_sw   invite:yp2
  other_la_sw  invite:other_yp
  advocate     -
  admin        invite:yp invite:expired invite:family invite:new_yp invite:yp2
$$);

-- insert -----------------------------------------------------------------------------------------
select tests.matrix('invites', 'insert', 'invite newcomer to Northbridge as a young person',
$$insert into public.invites (organisation_id, invitee_id, invited_by, role)
  values (tests.id('northbridge'), tests.id('newcomer'), (select auth.uid()), 'young_person')$$, $$
  anon         refused
  yp           refused
  sw           1
  family       refused
  outside_sw   1          -- any Northbridge practitioner may bring in a new young person
  other_la_sw  refused    -- not their organisation
  advocate     refused
  admin        1
$$);

select tests.matrix('invites', 'insert', 'invite newcomer into yp''s circle as family',
$$insert into public.invites (organisation_id, invitee_id, invited_by, role, young_person_id,
    relationship)
  values (tests.id('northbridge'), tests.id('newcomer'), (select auth.uid()), 'family_member',
    tests.id('yp'), 'Aunt')$$, $$
  anon         refused
  yp           refused
  sw           1
  family       refused
  outside_sw   refused    -- does not manage yp's circle
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('invites', 'insert', 'invite newcomer to Eastmoor as a young person',
$$insert into public.invites (organisation_id, invitee_id, invited_by, role)
  values (tests.id('eastmoor'), tests.id('newcomer'), (select auth.uid()), 'young_person')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  1
  advocate     refused
  admin        refused
$$);

select tests.matrix('invites', 'insert', 'invite newcomer to Northbridge in sw''s name',
$$insert into public.invites (organisation_id, invitee_id, invited_by, role)
  values (tests.id('northbridge'), tests.id('newcomer'), tests.id('sw'), 'young_person')$$, $$
  anon         refused
  yp           refused
  sw           1
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused    -- invited_by is always whoever invites
$$);

-- An invite lets its inviter see the invitee and (for a young person) start their circle, so it
-- is only for people who belong to no organisation yet: the app invites brand-new accounts.
select tests.matrix('invites', 'insert', 'invite yp, already Northbridge''s, to Northbridge',
$$insert into public.invites (organisation_id, invitee_id, invited_by, role)
  values (tests.id('northbridge'), tests.id('yp'), (select auth.uid()), 'young_person')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused    -- would see yp's profile through the invite
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('invites', 'insert', 'invite yp, a Northbridge young person, to Eastmoor',
$$insert into public.invites (organisation_id, invitee_id, invited_by, role)
  values (tests.id('eastmoor'), tests.id('yp'), (select auth.uid()), 'young_person')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused    -- another organisation's child
  advocate     refused
  admin        refused
$$);

-- update: the invitee marks their own open, unexpired invite accepted; nothing else changes.
select tests.matrix('invites', 'update', 'accept family''s open invite',
$$update public.invites set accepted_at = now() where id = tests.id('invite:family')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       1
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('invites', 'update', 'accept yp''s lapsed invite',
$$update public.invites set accepted_at = now() where id = tests.id('invite:expired')$$, $$
  anon         refused
  yp           refused    -- expired
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('invites', 'update', 'accept yp''s invite a second time',
$$update public.invites set accepted_at = now() where id = tests.id('invite:yp')$$, $$
  anon         refused
  yp           refused    -- already accepted
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('invites', 'update', 'extend new_yp''s invite by a year',
$$update public.invites set expires_at = now() + interval '1 year'
  where id = tests.id('invite:new_yp')$$, $$
  anon         refused
  yp           refused
  sw           refused    -- accepted_at is the only column anyone updates
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- delete: the inviter or an admin withdraws an invite.
select tests.matrix('invites', 'delete', 'withdraw the invite to new_yp',
$$delete from public.invites where id = tests.id('invite:new_yp')$$, $$
  anon         refused
  yp           refused
  sw           1
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('invites', 'delete', 'withdraw the invite to family',
$$delete from public.invites where id = tests.id('invite:family')$$, $$
  anon         refused
  yp           refused
  sw           1
  family       refused    -- the invitee does not delete the record of their invite
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('invites', 'delete', 'withdraw outside_sw''s invite to yp2',
$$delete from public.invites where id = tests.id('invite:yp2')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   1
  other_la_sw  refused
  advocate     refused
  admin        1
$$);

select tests.matrix('invites', 'delete', 'withdraw the Eastmoor invite to other_yp',
$$delete from public.invites where id = tests.id('invite:other_yp')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  1
  advocate     refused
  admin        refused
$$);

-- Whether an invite link is still open: asked by anyone holding the link, before signing in.
-- Opening a link changes nothing; a used or lapsed one says so (tests/e2e/invite.test.ts).
select tests.act_as('sw');
insert into public.invites (organisation_id, invitee_id, invited_by, role, link_hash)
  values (tests.id('northbridge'), tests.id('newcomer'), (select auth.uid()), 'young_person',
    extensions.digest('link-open', 'sha256'));
select tests.act_as('anon');
select tests.expect_equal('invites', 'an open link is open',
  $$private.invite_link_state('link-open')$$, 'open');
select tests.expect_equal('invites', 'a link nobody was given is unknown',
  $$private.invite_link_state('link-made-up')$$, 'unknown');
