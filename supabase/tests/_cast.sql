-- The people, organisations, circles and invites every RLS matrix file starts from
-- (`select tests.create_cast();`). Each file makes its own copy inside its own transaction.
--
-- The eight matrix roles (columns of every matrix row):
--   anon         not signed in
--   yp           a young person looked after by Northbridge (a local authority)
--   sw           yp's social worker at Northbridge, in yp's circle with edit access
--   family       yp's mum, a Northbridge family member, in yp's circle with comment access
--   outside_sw   a Northbridge social worker NOT in yp's circle; in yp2's circle instead
--   other_la_sw  a social worker at Eastmoor (another local authority), in other_yp's circle
--   advocate     an advocate of Brightside (an advocacy service), in yp's circle (chosen by yp)
--   admin        Northbridge's admin, in no circle
--
-- Everyone else exists so that a leak has something to leak, or an action something to act on:
--   yp2          another Northbridge young person (outside_sw's case)
--   other_yp     an Eastmoor young person (other_la_sw's case)
--   other_admin  Eastmoor's admin
--   advocate2    a Brightside advocate in no circle (yp may add them)
--   newcomer     has an account and a profile but belongs nowhere yet (people add them to things)
--   new_yp       invited by sw as a young person, not yet in any organisation or circle
--   ghost        an auth account whose profile does not exist
--
-- Rows are named: people by name, memberships `person@organisation`, circle rows
-- `young_person/member`, invites `invite:...`; tests.id('name') gives the id.
--
-- Invites (all made some time ago):
--   invite:yp        Northbridge, sw invited yp as a young person, accepted
--   invite:expired   Northbridge, sw's earlier invite to yp, lapsed unaccepted
--   invite:family    Northbridge, sw invited family into yp's circle as Mum, not yet accepted
--   invite:new_yp    Northbridge, sw invited new_yp as a young person, pending
--   invite:yp2       Northbridge, outside_sw invited yp2, accepted
--   invite:other_yp  Eastmoor, other_la_sw invited other_yp, accepted

create function tests.create_cast()
returns void language plpgsql set search_path = ''
as $$
begin
  perform tests.create_organisation('northbridge', 'local_authority');
  perform tests.create_organisation('eastmoor', 'local_authority');
  perform tests.create_organisation('brightside', 'advocacy_service');

  perform tests.create_person(p) from unnest(array[
    'yp', 'sw', 'family', 'outside_sw', 'other_la_sw', 'advocate', 'admin',
    'yp2', 'other_yp', 'other_admin', 'advocate2', 'newcomer', 'new_yp'
  ]) p;
  perform tests.create_person('ghost', with_profile => false);

  perform tests.add_membership('yp', 'northbridge', 'young_person');
  perform tests.add_membership('sw', 'northbridge', 'social_worker');
  perform tests.add_membership('family', 'northbridge', 'family_member');
  perform tests.add_membership('outside_sw', 'northbridge', 'social_worker');
  perform tests.add_membership('admin', 'northbridge', 'admin');
  perform tests.add_membership('yp2', 'northbridge', 'young_person');
  perform tests.add_membership('other_la_sw', 'eastmoor', 'social_worker');
  perform tests.add_membership('other_yp', 'eastmoor', 'young_person');
  perform tests.add_membership('other_admin', 'eastmoor', 'admin');
  perform tests.add_membership('advocate', 'brightside', 'advocate');
  perform tests.add_membership('advocate2', 'brightside', 'advocate');

  perform tests.add_to_circle('yp', 'sw', 'Social worker', 'edit', 'sw');
  perform tests.add_to_circle('yp', 'family', 'Mum', 'comment', 'sw');
  perform tests.add_to_circle('yp', 'advocate', 'Advocate', 'comment', 'yp');
  perform tests.add_to_circle('yp2', 'outside_sw', 'Social worker', 'edit', 'outside_sw');
  perform tests.add_to_circle('other_yp', 'other_la_sw', 'Social worker', 'edit', 'other_la_sw');

  perform tests.create_invite('invite:yp', 'northbridge', 'yp', 'sw', 'young_person',
    accepted => true);
  perform tests.create_invite('invite:expired', 'northbridge', 'yp', 'sw', 'young_person',
    expired => true);
  perform tests.create_invite('invite:family', 'northbridge', 'family', 'sw', 'family_member',
    young_person => 'yp', relationship => 'Mum');
  perform tests.create_invite('invite:new_yp', 'northbridge', 'new_yp', 'sw', 'young_person');
  perform tests.create_invite('invite:yp2', 'northbridge', 'yp2', 'outside_sw', 'young_person',
    accepted => true);
  perform tests.create_invite('invite:other_yp', 'eastmoor', 'other_yp', 'other_la_sw',
    'young_person', accepted => true);

  perform tests.matrix_role('anon', 'not signed in');
  perform tests.matrix_role('yp', 'the young person');
  perform tests.matrix_role('sw', 'their social worker (in the circle, edit access)');
  perform tests.matrix_role('family', 'their mum (in the circle, comment access)');
  perform tests.matrix_role('outside_sw', 'a social worker of the same local authority, not in the circle');
  perform tests.matrix_role('other_la_sw', 'a social worker of another local authority');
  perform tests.matrix_role('advocate', 'an advocate of an advocacy service (in the circle)');
  perform tests.matrix_role('admin', 'an admin of the young person''s local authority');
end;
$$;
