-- An index for every foreign key that lacked one (checked from now on by
-- supabase/tests/catalog_foreign_key_indexes.test.sql). Without them, deleting a person or a
-- survey scans each referencing table under lock, and policies joining along these keys read
-- every row.
create index circle_members_added_by_idx on public.circle_members (added_by);
create index invites_organisation_id_idx on public.invites (organisation_id);
create index invites_young_person_id_idx on public.invites (young_person_id);
create index documents_created_by_idx on public.documents (created_by);
create index document_updates_author_id_idx on public.document_updates (author_id);
create index advocacy_requests_allocated_to_idx on public.advocacy_requests (allocated_to);
create index advocacy_messages_author_id_idx on public.advocacy_messages (author_id);
create index advocacy_plans_updated_by_idx on public.advocacy_plans (updated_by);
create index surveys_created_by_idx on public.surveys (created_by);
create index survey_text_answers_survey_id_idx on public.survey_text_answers (survey_id);
create index survey_answer_counts_question_id_idx on public.survey_answer_counts (question_id);
create index survey_actions_created_by_idx on public.survey_actions (created_by);
create index survey_actions_question_id_idx on public.survey_actions (question_id);
create index survey_actions_theme_id_idx on public.survey_actions (theme_id);
create index survey_held_answers_survey_id_idx on private.survey_held_answers (survey_id);
create index document_shares_shared_by_idx on public.document_shares (shared_by);
create index document_versions_created_by_idx on public.document_versions (created_by);
