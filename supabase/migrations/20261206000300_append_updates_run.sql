-- One call for a run of appends by one person to one document (issue 13, item 4).
--
-- The 200-document benchmark found the group commit spending most of its time in Postgres, and
-- most of that in private.document_access: every append asked it again (about half a
-- millisecond each on the benchmark machine), so at some 13,000 keystrokes a second the single
-- transaction in flight fell seconds behind and "saved" with it. Within one transaction a
-- person's access to a document is asked once per run of their appends to it: the answer
-- covers the whole run, as it would if the run had been one update. The lease is checked the
-- same way (once per run, its row locked for share until commit). Every other rule is
-- private.append_update's: a person without edit access is refused (42501), a stale or lost lease
-- too (L0001, from private.assert_document_lease), each row is numbered by the seq trigger in
-- the order given, and the new client ids are bound to the person.
create function private.append_updates(
  doc uuid, contents bytea[], new_clients bigint[], node uuid, lease_epoch bigint
)
returns bigint[] language plpgsql security definer set search_path = ''
as $$
declare
  author uuid := (select auth.uid());
  content bytea;
  appended bigint;
  ids bigint[] := '{}';
begin
  perform private.assert_document_lease(doc, node, lease_epoch);
  if author is null or private.document_access(doc) <> 'edit' then
    raise exception 'not allowed to write to document %', doc using errcode = '42501';
  end if;
  foreach content in array contents loop
    insert into public.document_updates (document_id, author_id, update, lease_epoch)
    values (doc, author, content, lease_epoch)
    returning id into appended;
    ids := ids || appended;
  end loop;
  -- "do nothing": the same client's first update may be resent after a reconnect.
  insert into public.document_writers (document_id, client_id, writer_id)
  select doc, c, author from unnest(coalesce(new_clients, '{}'::bigint[])) c
  on conflict do nothing;
  return ids;
end;
$$;

revoke all on function private.append_updates(uuid, bytea[], bigint[], uuid, bigint)
  from public, anon, authenticated;
grant execute on function private.append_updates(uuid, bytea[], bigint[], uuid, bigint)
  to in_my_words_collab;
