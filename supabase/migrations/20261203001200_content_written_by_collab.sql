-- Only the collab service writes a document's content.
--
-- Until now the rule "who may write what" lived only in the collab server, which appended as
-- `authenticated` on the app's login role. Anyone holding an editor's token (Supabase's Data API
-- hands `authenticated` to every signed-in person) could therefore insert a forged Yjs update,
-- bind client ids, write a version's state or a suggestion's "original" words, or replace a
-- whole document with private.compact_document. From here on:
--
-- * `authenticated` and `anon` hold no privilege that writes content: no insert on
--   document_updates, document_writers, document_versions or document_suggestions (deciding a
--   suggestion stays theirs), and no execute on any function below.
-- * The collab service logs in as its own role, in_my_words_collab: not an owner, not a
--   superuser, not a member of `authenticated`, and without a single table privilege. It acts
--   only through the security definer functions below, which are executable by it alone. Those
--   that act for a person (append, save a version, suggest) take the person from
--   request.jwt.claims (set by the service from a verified ticket) and still ask
--   private.document_access, so a writer without edit access is refused even by the service.
-- * The content these functions store is built by the service from the stored log (a snapshot,
--   a version, the quoted words of a suggestion) or from the kind's template (a new document's
--   first edit); no client ever sends it.
--
-- The role is made with a password by the platform bootstrap locally (scripts/local-stack) and by
-- a README step on hosted Supabase, before this migration runs. If it does not exist yet (for
-- example `supabase db reset` on a fresh machine) it is made here without a login, so the grants
-- below still apply; the collab service cannot connect until it is given a login and password.

do $$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'in_my_words_collab') then
    create role in_my_words_collab nologin noinherit;
  end if;
end
$$;

grant usage on schema private to in_my_words_collab;

-- Writes taken away from the people's roles (revoking a table privilege also revokes the same
-- privilege granted on its columns) ---------------------------------------------------------------
revoke insert on public.document_updates, public.document_writers, public.document_versions,
  public.document_suggestions from anon, authenticated, public;
-- Supabase grants everything in public to service_role (the service key, which also bypasses
-- RLS) by default; the app uses that key only for Supabase Auth's admin API. It writes no
-- content either (only the collab service does), and cannot delete a document, which would take
-- its content with it.
revoke insert, update, delete, truncate on public.document_updates, public.document_snapshots,
  public.document_writers, public.document_versions, public.document_suggestions
  from service_role;
revoke delete, truncate on public.documents from service_role;
drop policy "editors append their own edits" on public.document_updates;
drop policy "an editor binds a client id to themselves" on public.document_writers;
drop policy "editors save a version in their own name" on public.document_versions;
drop policy "people who may comment suggest changes to the young person's words"
  on public.document_suggestions;

-- Reading a document, for the service ----------------------------------------------------------------

/**
 * Who a document is about, its kind, who started it (the template's author), and whether it has
 * any content yet (a never-opened document has none: the service starts it from its template).
 */
create function private.collab_document(doc uuid)
returns table (young_person_id uuid, kind text, created_by uuid, begun boolean)
language sql stable security definer set search_path = ''
as $$
  select d.young_person_id, d.kind::text, d.created_by,
    exists (select from public.document_updates u where u.document_id = d.id)
      or exists (select from public.document_snapshots s where s.document_id = d.id)
  from public.documents d where d.id = doc
$$;

/** The stored log: the snapshot (if any; V2 encoding) and every update after it (V1). */
create function private.collab_log(doc uuid)
returns table (kind text, id bigint, data bytea)
language sql stable security definer set search_path = ''
as $$
  select 'snapshot', s.through_update_id, s.state
  from public.document_snapshots s where s.document_id = doc
  union all
  select 'update', u.id, u.update
  from public.document_updates u
  where u.document_id = doc
    and u.id > coalesce(
      (select s.through_update_id from public.document_snapshots s where s.document_id = doc), 0)
$$;

/** Which person each Yjs client id of a document is bound to. */
create function private.collab_writers(doc uuid)
returns table (client_id bigint, writer_id uuid, from_template boolean)
language sql stable security definer set search_path = ''
as $$
  select w.client_id, w.writer_id, w.from_template
  from public.document_writers w where w.document_id = doc
$$;

-- Writing, for the service ---------------------------------------------------------------------------

/**
 * Appends one edit by the person in request.jwt.claims, binding the client ids it is the first
 * to use to them, in the same transaction. Refused (42501) unless that person may edit now.
 */
create function private.append_update(doc uuid, content bytea, new_clients bigint[])
returns bigint language plpgsql security definer set search_path = ''
as $$
declare
  author uuid := (select auth.uid());
  appended bigint;
begin
  if author is null or private.document_access(doc) <> 'edit' then
    raise exception 'not allowed to write to document %', doc using errcode = '42501';
  end if;
  insert into public.document_updates (document_id, author_id, update)
  values (doc, author, content)
  returning id into appended;
  -- "do nothing": the same client's first update may be resent after a reconnect.
  insert into public.document_writers (document_id, client_id, writer_id)
  select doc, c, author from unnest(coalesce(new_clients, '{}'::bigint[])) c
  on conflict do nothing;
  return appended;
end;
$$;

/**
 * A new document's first edit: its kind's template, written by the service when it first loads
 * the document, in the name of the person who started it and bound as template (nobody's own
 * words). Only an empty document is initialised; false, changing nothing, otherwise (another
 * process got there first). The documents row is locked so two loads cannot both write it.
 */
create function private.initialise_document(doc uuid, content bytea, template_clients bigint[])
returns boolean language plpgsql security definer set search_path = ''
as $$
declare
  starter uuid;
begin
  select d.created_by into starter from public.documents d where d.id = doc for update;
  if not found then
    raise exception 'no document %', doc using errcode = 'P0002';
  end if;
  if exists (select from public.document_updates u where u.document_id = doc)
     or exists (select from public.document_snapshots s where s.document_id = doc) then
    return false;
  end if;
  insert into public.document_updates (document_id, author_id, update)
  values (doc, starter, content);
  insert into public.document_writers (document_id, client_id, writer_id, from_template)
  select doc, c, starter, true from unnest(coalesce(template_clients, '{}'::bigint[])) c
  on conflict do nothing;
  return true;
end;
$$;

/**
 * Replaces the log up to `through` with a snapshot the service built from the stored rows, in
 * one transaction; only forwards: an older snapshot never overwrites a newer one. `through` must
 * be an edit of this document still in the log: a snapshot claiming edits that do not exist yet
 * would hide them when they arrive (loading skips ids up to through_update_id). Returns false,
 * changing nothing, when there is nothing to do or another compaction got there first. It no
 * longer asks who the caller acts for: compaction is the service's upkeep, not a person's edit,
 * and only the service may call it.
 */
create or replace function private.compact_document(doc uuid, snapshot bytea, through bigint)
returns boolean language plpgsql security definer set search_path = ''
as $$
declare
  current_through bigint;
  written int;
begin
  select s.through_update_id into current_through
  from public.document_snapshots s where s.document_id = doc for update;
  if current_through is not null and current_through >= through then
    return false;
  end if;
  if not exists (
    select 1 from public.document_updates u where u.document_id = doc and u.id = through
  ) then
    return false;
  end if;
  -- The where clause keeps "only forwards" when two compactions of a document without a
  -- snapshot race (neither had a row to lock above): an older one finishing second loses.
  insert into public.document_snapshots (document_id, state, through_update_id, updated_at)
  values (doc, snapshot, through, now())
  on conflict (document_id) do update
    set state = excluded.state, through_update_id = excluded.through_update_id,
        updated_at = excluded.updated_at
    where public.document_snapshots.through_update_id < excluded.through_update_id;
  get diagnostics written = row_count;
  if written = 0 then
    return false;
  end if;
  delete from public.document_updates u where u.document_id = doc and u.id <= through;
  return true;
end;
$$;

/**
 * Saves a named version for the person in request.jwt.claims, who must be able to edit the
 * document; `content` is the state the service built from the stored log just before.
 */
create function private.save_version(doc uuid, version_name text, review boolean, content bytea)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  saver uuid := (select auth.uid());
  saved uuid;
begin
  if saver is null or private.document_access(doc) <> 'edit' then
    raise exception 'not allowed to save a version of document %', doc using errcode = '42501';
  end if;
  insert into public.document_versions (document_id, name, state, is_review, created_by)
  values (doc, version_name, content, review, saver)
  returning id into saved;
  return saved;
end;
$$;

/**
 * Records a suggestion by the person in request.jwt.claims, who may comment or edit and is not
 * the young person (who changes their own words themselves). `original` is what the service
 * read at the anchors in the stored document. At most 60 an hour per person (54000 beyond).
 */
create function private.add_suggestion(doc uuid, start_anchor bytea, end_anchor bytea,
  original text, suggested text)
returns uuid language plpgsql security definer set search_path = ''
as $$
declare
  author uuid := (select auth.uid());
  added uuid;
begin
  if author is null or private.document_access(doc) not in ('comment', 'edit')
     or private.is_subject_of(doc) then
    raise exception 'not allowed to suggest a change to document %', doc using errcode = '42501';
  end if;
  if (select count(*) from public.document_suggestions s
      where s.author_id = author and s.created_at > now() - interval '1 hour') >= 60 then
    raise exception 'too many suggestions in the last hour' using errcode = '54000';
  end if;
  insert into public.document_suggestions (document_id, author_id, anchor_start, anchor_end,
    original_text, suggested_text)
  values (doc, author, start_anchor, end_anchor, original, suggested)
  returning id into added;
  return added;
end;
$$;

revoke all on function private.collab_document(uuid), private.collab_log(uuid),
  private.collab_writers(uuid), private.append_update(uuid, bytea, bigint[]),
  private.initialise_document(uuid, bytea, bigint[]),
  private.compact_document(uuid, bytea, bigint),
  private.save_version(uuid, text, boolean, bytea),
  private.add_suggestion(uuid, bytea, bytea, text, text)
  from public, anon, authenticated;
grant execute on function private.collab_document(uuid), private.collab_log(uuid),
  private.collab_writers(uuid), private.append_update(uuid, bytea, bigint[]),
  private.initialise_document(uuid, bytea, bigint[]),
  private.compact_document(uuid, bytea, bigint),
  private.save_version(uuid, text, boolean, bytea),
  private.add_suggestion(uuid, bytea, bytea, text, text),
  -- The handshake's access check, as the person in request.jwt.claims.
  private.document_access(uuid)
  to in_my_words_collab;
