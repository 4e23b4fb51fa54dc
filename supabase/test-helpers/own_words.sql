-- Fixtures for "in my own words" (migration 000700): who wrote which Yjs client's edits, and
-- suggestions to change the young person's words. Use after create_cast, create_document_cast
-- and create_document_shares_cast: `select tests.create_own_words_cast();`. These rows:
--   writer:yp/plan        client 101 on doc:yp_care_plan, bound to yp (their own words)
--   writer:sw/template    client 102 on doc:yp_care_plan, sw's template (from_template)
--   writer:yp/story       client 103 on doc:yp_story, bound to yp
--   writer:outside_sw/yp2 client 201 on doc:yp2_care_plan, bound to outside_sw
--   sug:family/plan       family suggests a change to yp's words in doc:yp_care_plan (pending)
--   sug:sw/plan/declined  sw's suggestion on doc:yp_care_plan, declined by yp
--   sug:family/story      family suggests on doc:yp_story (shared with them to comment; pending)
--   sug:outside_sw/yp2    outside_sw suggests on doc:yp2_care_plan (pending)
-- (document_writers is keyed by client id: the fixtures' client ids are all different.)

create function tests.add_document_writer(
  fixture text, document text, client bigint, writer text, template boolean default false
)
returns text language plpgsql security definer set search_path = ''
as $$
begin
  perform tests._not_acting('add_document_writer');
  insert into public.document_writers (document_id, client_id, writer_id, from_template)
  values (tests.id(document), client, tests.id(writer), template);
  return tests._register_keyed(fixture, 'document_writers', 'client_id', client::text);
end;
$$;

create function tests.add_document_suggestion(
  fixture text, document text, author text, status text default 'pending'
)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  new_id uuid;
begin
  perform tests._not_acting('add_document_suggestion');
  insert into public.document_suggestions (document_id, author_id, anchor_start, anchor_end,
    original_text, suggested_text, status, decided_by, decided_at)
  values (tests.id(document), tests.id(author), '\x00', '\x01', 'I want to live with my nan',
    'I want to see my nan more', status::public.suggestion_status,
    case when status = 'pending' then null else tests.id('yp') end,
    case when status = 'pending' then null else now() end)
  returning id into new_id;
  return tests._register(fixture, 'document_suggestions', new_id);
end;
$$;

create function tests.create_own_words_cast()
returns void language plpgsql security definer set search_path = ''
as $$
begin
  perform tests.add_document_writer('writer:yp/plan', 'doc:yp_care_plan', 101, 'yp');
  perform tests.add_document_writer('writer:sw/template', 'doc:yp_care_plan', 102, 'sw', true);
  perform tests.add_document_writer('writer:yp/story', 'doc:yp_story', 103, 'yp');
  perform tests.add_document_writer('writer:outside_sw/yp2', 'doc:yp2_care_plan', 201,
    'outside_sw');
  perform tests.add_document_suggestion('sug:family/plan', 'doc:yp_care_plan', 'family');
  perform tests.add_document_suggestion('sug:sw/plan/declined', 'doc:yp_care_plan', 'sw',
    'declined');
  perform tests.add_document_suggestion('sug:family/story', 'doc:yp_story', 'family');
  perform tests.add_document_suggestion('sug:outside_sw/yp2', 'doc:yp2_care_plan', 'outside_sw');
end;
$$;
