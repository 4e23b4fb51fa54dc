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

-- Documents (co-writing) -------------------------------------------------------------------------
-- Created empty here: their content (each template, then a few lines from Sam and Priya in Sam's
-- care plan, as their own edits) is written by code, scripts/local-stack/demo-documents.ts, never
-- as bytes in this file.
insert into public.documents (id, young_person_id, kind, title, created_by) values
  ('00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-000000000001', 'care_plan',
   'Sam''s care plan', '00000000-0000-4000-8000-000000000003'),
  ('00000000-0000-4000-8000-0000000000d2', '00000000-0000-4000-8000-000000000008', 'pathway_plan',
   'Alex''s pathway plan', '00000000-0000-4000-8000-000000000004');

-- Feedback ("you said, we did") ------------------------------------------------------------------
-- Riley: a third young person at Northbridge (signs in with the username `riley`).
insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
values ('00000000-0000-0000-0000-000000000000', '00000000-0000-4000-8000-000000000f01',
  'authenticated', 'authenticated', 'riley@people.inmywords.invalid',
  extensions.crypt('in-my-words-demo', extensions.gen_salt('bf', 10)), now(),
  '{"provider":"email","providers":["email"]}'::jsonb, '{"preferred_name":"Riley"}'::jsonb, now(), now());
insert into public.memberships (organisation_id, user_id, role) values
  ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000f01', 'young_person');

-- A survey by Lee, published to Northbridge's young people in two versions (8–11 and 11–17), with
-- earlier anonymous answers: 7 from 11–17 and 3 from 8–11 (so the 8–11 figures are hidden).
insert into public.surveys (id, organisation_id, title, intro, audience, bands, status, created_by,
  published_at) values
  ('00000000-0000-4000-8000-000000000f10', '00000000-0000-4000-8000-0000000000a1',
   'How are things where you live?', 'A few quick questions. You do not have to answer them all.',
   array['young_person']::public.member_role[],
   array['age_8_11', 'age_11_17']::public.survey_age_band[], 'published',
   '00000000-0000-4000-8000-000000000006', now());
insert into public.survey_questions (id, survey_id, position, kind, key, prompt, simple_prompt, options) values
  ('00000000-0000-4000-8000-000000000f11', '00000000-0000-4000-8000-000000000f10', 1, 'scale', 'home',
   'How do you feel about where you live?', 'How do you feel about your home?', '{}'),
  ('00000000-0000-4000-8000-000000000f12', '00000000-0000-4000-8000-000000000f10', 2, 'single', 'advocate',
   'Do you know how to get an advocate?', 'Do you know who can speak up for you?',
   array['Yes', 'No', 'Not sure']),
  ('00000000-0000-4000-8000-000000000f13', '00000000-0000-4000-8000-000000000f10', 3, 'anything_else', 'else',
   'Is there anything else you want to tell us?', null, '{}');
-- The same questions in Welsh (option k is the same answer in both languages).
update public.survey_questions q set prompt_cy = w.prompt_cy, simple_prompt_cy = w.simple_cy,
  options_cy = w.options_cy
from (values
  ('00000000-0000-4000-8000-000000000f11'::uuid, 'Sut rydych chi''n teimlo am ble rydych chi''n byw?',
   'Sut rydych chi''n teimlo am eich cartref?', '{}'::text[]),
  ('00000000-0000-4000-8000-000000000f12'::uuid, 'Ydych chi''n gwybod sut i gael eiriolwr?',
   'Ydych chi''n gwybod pwy all siarad ar eich rhan chi?', array['Ydw', 'Nac ydw', 'Dim yn siŵr']),
  ('00000000-0000-4000-8000-000000000f13'::uuid, 'Oes unrhyw beth arall rydych chi eisiau ei ddweud wrthyn ni?',
   null, '{}'::text[])) as w (id, prompt_cy, simple_cy, options_cy)
where q.id = w.id;
insert into public.survey_responses (id, survey_id, age_band, submitted_on)
select ('00000000-0000-4000-8000-000000000e' || lpad(i::text, 2, '0'))::uuid,
  '00000000-0000-4000-8000-000000000f10',
  (case when i <= 7 then 'age_11_17' else 'age_8_11' end)::public.survey_age_band, current_date - 3
from generate_series(1, 10) i;
insert into public.survey_answers (response_id, question_id, choices)
select ('00000000-0000-4000-8000-000000000e' || lpad(i::text, 2, '0'))::uuid,
  '00000000-0000-4000-8000-000000000f11'::uuid, array[(array[4, 5, 3, 4, 2, 5, 4, 3, 5, 4])[i]]::smallint[]
from generate_series(1, 10) i
union all
select ('00000000-0000-4000-8000-000000000e' || lpad(i::text, 2, '0'))::uuid,
  '00000000-0000-4000-8000-000000000f12'::uuid, array[(array[1, 2, 2, 1, 2, 3, 2, 1, 1, 2])[i]]::smallint[]
from generate_series(1, 10) i;
insert into public.survey_text_answers (survey_id, question_id, age_band, body)
select '00000000-0000-4000-8000-000000000f10', '00000000-0000-4000-8000-000000000f13', 'age_11_17', b
from unnest(array['I want to see my brother more.', 'More time to talk to my social worker.',
  'Wifi at home is bad.', 'I like my foster carers.', 'Help with homework.']) b;
select private.rebuild_survey_counts('00000000-0000-4000-8000-000000000f10');
insert into public.survey_themes (id, survey_id, name) values
  ('00000000-0000-4000-8000-000000000f20', '00000000-0000-4000-8000-000000000f10', 'Advocacy');
insert into public.survey_actions (organisation_id, survey_id, question_id, you_said, we_did,
  owner_name, status, progress, published, created_by) values
  ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000f10',
   '00000000-0000-4000-8000-000000000f12', 'Many of you did not know how to get an advocate.',
   'We are putting the advocate''s number on every young person''s home page and in every review letter.',
   'Participation team', 'in_progress', 40, true, '00000000-0000-4000-8000-000000000006');

-- Advocacy -----------------------------------------------------------------------------------------
-- Ruth manages Brightside Advocacy (an admin of the advocacy service): she reads a request only
-- through a recorded, time-boxed safeguarding break-glass.
insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
values ('00000000-0000-0000-0000-000000000000', '00000000-0000-4000-8000-000000000051',
  'authenticated', 'authenticated', 'ruth.manager@example.org',
  extensions.crypt('in-my-words-demo', extensions.gen_salt('bf', 10)), now(),
  '{"provider":"email","providers":["email"]}'::jsonb, '{"preferred_name":"Ruth"}'::jsonb, now(), now());
insert into public.memberships (organisation_id, user_id, role) values
  ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-000000000051', 'admin');
-- Sam has asked Brightside for help (signed in, so it is linked to Sam and has no reference).
insert into public.advocacy_requests (id, service_id, young_person_id, call_me, contact_when,
  local_authority, care_status, about, urgency, social_worker_may_know) values
  ('00000000-0000-4000-8000-000000000a51', '00000000-0000-4000-8000-0000000000a2',
   '00000000-0000-4000-8000-000000000001', 'Sam', 'After school', 'Northbridge', 'in_care',
   'I want to see my brother more. Contact keeps getting cancelled.', 'this_week', 'ask_me');
insert into public.advocacy_messages (request_id, author_id, from_young_person, body) values
  ('00000000-0000-4000-8000-000000000a51', '00000000-0000-4000-8000-000000000001', true,
   'Can you come to my review with me?');

-- Help now (issue 15) --------------------------------------------------------------------------------
-- Northbridge's out-of-hours duty number (an Ofcom drama-range number: it rings nobody), its usual
-- working week, Dan on duty, and Grace, a social worker Morgan made a team manager: late help
-- requests go to her.
insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
values ('00000000-0000-0000-0000-000000000000', '00000000-0000-4000-8000-000000000061',
  'authenticated', 'authenticated', 'grace.manager@example.org',
  extensions.crypt('in-my-words-demo', extensions.gen_salt('bf', 10)), now(),
  '{"provider":"email","providers":["email"]}'::jsonb, '{"preferred_name":"Grace"}'::jsonb, now(), now());
insert into public.memberships (organisation_id, user_id, role, team_manager) values
  ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000061', 'social_worker', true);
update public.memberships set on_duty = true
where user_id = '00000000-0000-4000-8000-000000000004'
  and organisation_id = '00000000-0000-4000-8000-0000000000a1';
insert into public.help_settings (organisation_id, duty_phone, updated_by) values
  ('00000000-0000-4000-8000-0000000000a1', '0808 157 0123', '00000000-0000-4000-8000-000000000007');
-- Alex told Dan, his personal adviser, that he needs to talk: it is at the top of Dan's home.
insert into public.help_requests (id, young_person_id, organisation_id, message, no_one_chosen) values
  ('00000000-0000-4000-8000-000000000c01', '00000000-0000-4000-8000-000000000008',
   '00000000-0000-4000-8000-0000000000a1', 'My flat has no heating. Can you ring me?', false);
insert into public.help_request_recipients (request_id, recipient_id) values
  ('00000000-0000-4000-8000-000000000c01', '00000000-0000-4000-8000-000000000004');
insert into public.help_request_events (request_id, actor_id, kind) values
  ('00000000-0000-4000-8000-000000000c01', '00000000-0000-4000-8000-000000000008', 'sent');
