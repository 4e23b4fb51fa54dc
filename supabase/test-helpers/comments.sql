-- Fixtures for comments (migration 000800). Use after create_cast, create_document_cast and
-- create_document_shares_cast: `select tests.create_comments_cast();`. These rows:
--   comment:sw/plan            sw's thread on doc:yp_care_plan, about some words
--   comment:family/reply       family's reply to comment:sw/plan
--   comment:advocate/resolved  advocate's thread on doc:yp_care_plan, resolved by yp
--   comment:yp/story           yp's thread on doc:yp_story (shared: family comment, advocate view)
--   comment:family/story       family's thread on doc:yp_story
--   comment:outside_sw/yp2     outside_sw's thread on doc:yp2_care_plan
-- Mentions (keyed by comment: one mention per comment):
--   mention:sw->yp             on comment:sw/plan, of yp
--   mention:yp->family         on comment:yp/story, of family
--   mention:outside_sw->yp2    on comment:outside_sw/yp2, of yp2

create function tests.add_comment(
  fixture text, document text, author text, thread text default null,
  resolved_by text default null
)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid;
begin
  perform tests._not_acting('add_comment');
  insert into public.document_comments (document_id, thread_id, author_id, body, anchor_start,
    anchor_end, quote, resolved_at, resolved_by)
  values (tests.id(document),
    case when thread is null then null else tests.id(thread) end,
    tests.id(author), 'Comment ' || fixture,
    case when thread is null then '\x00'::bytea end, case when thread is null then '\x01'::bytea end,
    case when thread is null then 'some words' end,
    case when resolved_by is null then null else now() end,
    case when resolved_by is null then null else tests.id(resolved_by) end)
  returning id into new_id;
  return tests._register(fixture, 'document_comments', new_id);
end;
$$;

create function tests.add_mention(fixture text, comment text, person text)
returns text language plpgsql security definer set search_path = ''
as $$
begin
  perform tests._not_acting('add_mention');
  insert into public.document_comment_mentions (comment_id, person_id)
  values (tests.id(comment), tests.id(person));
  return tests._register_keyed(fixture, 'document_comment_mentions', 'comment_id',
    tests.id(comment)::text);
end;
$$;

create function tests.create_comments_cast()
returns void language plpgsql security definer set search_path = ''
as $$
begin
  perform tests.add_comment('comment:sw/plan', 'doc:yp_care_plan', 'sw');
  perform tests.add_comment('comment:family/reply', 'doc:yp_care_plan', 'family',
    'comment:sw/plan');
  perform tests.add_comment('comment:advocate/resolved', 'doc:yp_care_plan', 'advocate',
    resolved_by => 'yp');
  perform tests.add_comment('comment:yp/story', 'doc:yp_story', 'yp');
  perform tests.add_comment('comment:family/story', 'doc:yp_story', 'family');
  perform tests.add_comment('comment:outside_sw/yp2', 'doc:yp2_care_plan', 'outside_sw');
  perform tests.add_mention('mention:sw->yp', 'comment:sw/plan', 'yp');
  perform tests.add_mention('mention:yp->family', 'comment:yp/story', 'family');
  perform tests.add_mention('mention:outside_sw->yp2', 'comment:outside_sw/yp2', 'yp2');
end;
$$;
