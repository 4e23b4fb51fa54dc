-- Fixtures for provenance that follows the words (migration 20261205000100): runs of items whose
-- writer is not their client's person. Keyed by clock (unique across the fixtures):
-- `select tests.add_document_provenance('moved:yp/plan', 'doc:yp_care_plan', 102, 7001, 'yp');`

create function tests.add_document_provenance(
  fixture text, document text, client bigint, at_clock bigint, writer text
)
returns text language plpgsql security definer set search_path = ''
as $$
begin
  perform tests._not_acting('add_document_provenance');
  insert into public.document_provenance (document_id, client_id, clock, length, writer_id)
  values (tests.id(document), client, at_clock, 3, tests.id(writer));
  return tests._register_keyed(fixture, 'document_provenance', 'clock', at_clock::text);
end;
$$;
