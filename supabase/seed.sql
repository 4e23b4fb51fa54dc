-- Demo data for the local stack: loaded by `npm start` into an empty database only.
-- Every demo account's passphrase is: in-my-words-demo
-- A young person without an email address signs in with a username; the app maps it to an
-- address under the username domain (PUBLIC_USERNAME_DOMAIN, default people.inmywords.invalid).

insert into public.organisations (id, name, kind) values
  ('00000000-0000-4000-8000-0000000000a1', 'Northbridge Council Children''s Services', 'local_authority'),
  ('00000000-0000-4000-8000-0000000000a2', 'Brightside Advocacy', 'advocacy_service'),
  ('00000000-0000-4000-8000-0000000000a3', 'Eastmoor Council Children''s Services', 'local_authority');

insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
select '00000000-0000-0000-0000-000000000000', u.id::uuid, 'authenticated', 'authenticated', u.email,
  extensions.crypt('in-my-words-demo', extensions.gen_salt('bf', 10)), now(),
  '{"provider":"email","providers":["email"]}'::jsonb,
  jsonb_build_object('preferred_name', u.name), now(), now()
from (values
  ('00000000-0000-4000-8000-000000000001', 'sam@people.inmywords.invalid', 'Sam'),
  ('00000000-0000-4000-8000-000000000002', 'jo.parent@example.org', 'Jo'),
  ('00000000-0000-4000-8000-000000000003', 'priya.socialworker@example.org', 'Priya'),
  ('00000000-0000-4000-8000-000000000004', 'dan.adviser@example.org', 'Dan'),
  ('00000000-0000-4000-8000-000000000005', 'amara.advocate@example.org', 'Amara'),
  ('00000000-0000-4000-8000-000000000006', 'lee.designer@example.org', 'Lee'),
  ('00000000-0000-4000-8000-000000000007', 'morgan.admin@example.org', 'Morgan'),
  ('00000000-0000-4000-8000-000000000008', 'alex@people.inmywords.invalid', 'Alex')
) as u (id, email, name);

update public.profiles set pronouns = 'they/them' where id = '00000000-0000-4000-8000-000000000001';

insert into public.memberships (organisation_id, user_id, role) values
  ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001', 'young_person'),
  ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000002', 'family_member'),
  ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000003', 'social_worker'),
  ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000004', 'personal_adviser'),
  ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-000000000005', 'advocate'),
  ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000006', 'service_designer'),
  ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000007', 'admin'),
  ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000008', 'young_person');

insert into public.circle_members (young_person_id, member_id, relationship, access, added_by) values
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000003', 'Social worker', 'edit', '00000000-0000-4000-8000-000000000003'),
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 'Mum', 'comment', '00000000-0000-4000-8000-000000000003'),
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000005', 'Advocate', 'comment', '00000000-0000-4000-8000-000000000001'),
  ('00000000-0000-4000-8000-000000000008', '00000000-0000-4000-8000-000000000004', 'Personal adviser', 'edit', '00000000-0000-4000-8000-000000000004');
