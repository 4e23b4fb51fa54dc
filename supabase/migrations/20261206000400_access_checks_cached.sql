-- The access checks in PL/pgSQL, so their plans are cached (issue 13, item 4).
--
-- private.document_access, private.access_to and private.story_share_access were SQL functions.
-- As security definer functions Postgres never inlines them, and a SQL function called from
-- PL/pgSQL (the collab service's private.append_updates, once per run of one person's edits to
-- one document) is parsed and planned again on every call: with 200 busy documents the
-- benchmark measured about 100 µs a check, some 40% of the group commit's time in Postgres.
-- In PL/pgSQL each query's plan is prepared once per session: the same checks took about 15 µs.
--
-- Same rules, same answers, same signatures and grants (create or replace keeps them); the RLS
-- matrix (supabase/tests) covers every caller.

/** The caller's access to a document of `young_person` of kind `doc_kind`. */
create or replace function private.access_to(young_person uuid, doc_kind public.document_kind)
returns public.access_level language plpgsql stable security definer set search_path = ''
as $$
declare
  me uuid := (select auth.uid());
  level public.access_level;
begin
  if young_person = me then
    return 'edit';
  end if;
  if doc_kind = 'my_story' then
    return 'none';
  end if;
  select c.access into level from public.circle_members c
  where c.young_person_id = young_person and c.member_id = me;
  return coalesce(level, 'none');
end;
$$;

/**
 * The level `young_person`'s story `doc` is shared with the caller at: 'none' unless it is shared
 * with them and they are still in the young person's circle.
 */
create or replace function private.story_share_access(doc uuid, young_person uuid)
returns public.access_level language plpgsql stable security definer set search_path = ''
as $$
declare
  level public.access_level;
begin
  select s.access into level from public.document_shares s
  where s.document_id = doc and s.person_id = (select auth.uid())
    and exists (
      select 1 from public.circle_members c
      where c.young_person_id = young_person and c.member_id = s.person_id
    );
  return coalesce(level, 'none');
end;
$$;

/**
 * The caller's access to one document ('none' if it does not exist or they may not see it): for
 * plans and for the young person's own documents, private.access_to; for someone else's story,
 * the level it was shared with them at.
 */
create or replace function private.document_access(doc uuid)
returns public.access_level language plpgsql stable security definer set search_path = ''
as $$
declare
  young_person uuid;
  doc_kind public.document_kind;
begin
  select d.young_person_id, d.kind into young_person, doc_kind
  from public.documents d where d.id = doc;
  if not found then
    return 'none';
  end if;
  if doc_kind = 'my_story' and young_person is distinct from (select auth.uid()) then
    return private.story_share_access(doc, young_person);
  end if;
  return private.access_to(young_person, doc_kind);
end;
$$;
