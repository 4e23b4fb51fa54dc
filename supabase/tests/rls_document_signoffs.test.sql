-- RLS matrix for public.document_signoffs: "I agree" / "I don't agree, because …" on a version,
-- kept with it forever. Everyone with access to the document reads the sign-offs; the young
-- person and the practitioners in their circle sign, once each, in their own name; nobody
-- changes or deletes a sign-off.
-- The cast is described in test-helpers/cast.sql (create_cast, create_document_cast, create_version_cast);
-- how to read a matrix row, in test-helpers/helpers.sql.
select tests.create_cast();
select tests.create_document_cast();
select tests.create_version_cast();

select tests.matrix_select('document_signoffs', $$
  anon         -
  yp           sign:yp/agreed sign:yp/story
  sw           sign:yp/agreed                  -- not yp's story
  family       sign:yp/agreed
  outside_sw   sign:outside_sw/yp2
  other_la_sw  sign:other_la_sw/other_yp
  advocate     sign:yp/agreed
  admin        -
$$);

-- insert -----------------------------------------------------------------------------------------
select tests.matrix('document_signoffs', 'insert', 'disagree with the draft of yp''s care plan',
$$insert into public.document_signoffs (version_id, signer_id, agrees, reason)
  values (tests.id('ver:yp_care_plan/draft'), (select auth.uid()), false, 'Not what we said')$$, $$
  anon         refused
  yp           1
  sw           1
  family       refused    -- family members comment; they do not sign the plan
  outside_sw   refused
  other_la_sw  refused
  advocate     refused    -- independent: not a signer of the plan
  admin        refused
$$);

select tests.matrix('document_signoffs', 'insert', 'sign the newer version of yp''s story',
$$insert into public.document_signoffs (version_id, signer_id, agrees)
  values (tests.id('ver:yp_story/2'), (select auth.uid()), true)$$, $$
  anon         refused
  yp           1
  sw           refused    -- cannot see the story
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_signoffs', 'insert', 'sign the draft of yp''s plan in yp''s name',
$$insert into public.document_signoffs (version_id, signer_id, agrees)
  values (tests.id('ver:yp_care_plan/draft'), tests.id('yp'), true)$$, $$
  anon         refused
  yp           1
  sw           refused    -- never in someone else's name
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- update and delete: kept forever ------------------------------------------------------------------
select tests.matrix('document_signoffs', 'update', 'change yp''s answer to disagree',
$$update public.document_signoffs set agrees = false, reason = 'Changed my mind'
  where id = tests.id('sign:yp/agreed')$$, $$
  anon         refused
  yp           refused    -- not even the signer: a new version gets a new sign-off
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_signoffs', 'update', 'soften outside_sw''s reason',
$$update public.document_signoffs set reason = 'Fine really'
  where id = tests.id('sign:outside_sw/yp2')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_signoffs', 'delete', 'delete yp''s sign-off',
$$delete from public.document_signoffs where id = tests.id('sign:yp/agreed')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

select tests.matrix('document_signoffs', 'delete', 'delete outside_sw''s disagreement',
$$delete from public.document_signoffs where id = tests.id('sign:outside_sw/yp2')$$, $$
  anon         refused
  yp           refused
  sw           refused
  family       refused
  outside_sw   refused
  other_la_sw  refused
  advocate     refused
  admin        refused
$$);

-- Once each, and kept as it was: signing the same version again is refused (unique per signer
-- per version), and the table keeps its own promises, whoever writes: a disagreement always
-- says why, and an agreement carries no reason.
select tests.act_as('yp');
select tests.expect_sqlstate('document_signoffs', 'insert', 'yp signs the agreed version again',
  $$insert into public.document_signoffs (version_id, signer_id, agrees, reason)
    values (tests.id('ver:yp_care_plan/agreed'), (select auth.uid()), false, 'Changed my mind')$$,
  '23505');
select tests.act_as('outside_sw');
select tests.expect_sqlstate('document_signoffs', 'insert', 'outside_sw signs yp2''s plan again',
  $$insert into public.document_signoffs (version_id, signer_id, agrees)
    values (tests.id('ver:yp2_care_plan/1'), (select auth.uid()), true)$$, '23505');
select tests.act_as('sw');
select tests.expect_sqlstate('document_signoffs', 'insert', 'disagree without a reason',
  $$insert into public.document_signoffs (version_id, signer_id, agrees)
    values (tests.id('ver:yp_care_plan/agreed'), (select auth.uid()), false)$$, '23514');
select tests.expect_sqlstate('document_signoffs', 'insert', 'agree, with a reason',
  $$insert into public.document_signoffs (version_id, signer_id, agrees, reason)
    values (tests.id('ver:yp_care_plan/agreed'), (select auth.uid()), true, 'Because')$$, '23514');
select tests.expect_allowed('document_signoffs', 'insert', 'sw agrees with the agreed version',
  $$insert into public.document_signoffs (version_id, signer_id, agrees)
    values (tests.id('ver:yp_care_plan/agreed'), (select auth.uid()), true)$$, 1);
select tests.expect_equal('document_signoffs', 'may sw sign the agreed version',
  $$private.may_sign_off(tests.id('ver:yp_care_plan/agreed'))$$, 'true');
select tests.act_as('family');
select tests.expect_equal('document_signoffs', 'may family sign the agreed version',
  $$private.may_sign_off(tests.id('ver:yp_care_plan/agreed'))$$, 'false');

-- Removed from the circle (by the admin), sw can no longer sign yp's plan.
select tests.act_as('admin');
delete from public.circle_members where id = tests.id('yp/sw');
select tests.act_as('sw');
select tests.expect_refused('document_signoffs', 'insert', 'sw signs after leaving the circle',
  $$insert into public.document_signoffs (version_id, signer_id, agrees)
    values (tests.id('ver:yp_care_plan/agreed'), (select auth.uid()), true)$$);
select tests.expect_visible('document_signoffs', '');
