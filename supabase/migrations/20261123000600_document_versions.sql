-- Named versions of a document ("Agreed at my review, 12 March") and sign-off on them. A version
-- holds Y.encodeStateAsUpdate of the document as saved at that moment; the app builds it from the
-- saved rows (snapshot + log), never from what a browser sends. A version saved "as the agreed
-- version of a review" has is_review = true: those dates drive the statutory review rhythm.
-- Sign-offs ("I agree" / "I don't agree, because …") are kept with the version forever: nobody
-- changes or deletes a version or a sign-off through the app.

create table public.document_versions (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references public.documents (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 120),
  -- Same cap as one stored update (1 MiB) times 16: a whole document, not one edit.
  state bytea not null check (octet_length(state) between 1 and 16777216),
  is_review boolean not null default false,
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now()
);
create index document_versions_document_id_idx on public.document_versions (document_id, created_at);
alter table public.document_versions enable row level security;

create table public.document_signoffs (
  id uuid primary key default gen_random_uuid(),
  version_id uuid not null references public.document_versions (id) on delete cascade,
  -- A sign-off is part of the statutory record: the signer's profile cannot vanish under it.
  signer_id uuid not null references public.profiles (id) on delete restrict,
  agrees boolean not null,
  reason text check (reason is null or char_length(reason) between 1 and 2000),
  signed_at timestamptz not null default now(),
  unique (version_id, signer_id),
  -- "I don't agree, because …" always says why; "I agree" carries no reason.
  constraint document_signoffs_reason_when_disagreeing check (agrees = (reason is null))
);
create index document_signoffs_signer_id_idx on public.document_signoffs (signer_id);
alter table public.document_signoffs enable row level security;

/** The caller's access to the document a version belongs to ('none' if there is no such version). */
create function private.version_access(version uuid)
returns public.access_level language sql stable security definer set search_path = ''
as $$
  select coalesce(
    (select private.document_access(v.document_id) from public.document_versions v
     where v.id = version),
    'none'::public.access_level)
$$;

/**
 * May the caller sign off this version? The young person whose document it is, and practitioners
 * (social workers, personal advisers) in their circle who have access to the document. Family
 * members and advocates comment; they do not sign the plan.
 */
create function private.may_sign_off(version uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.document_versions v
    join public.documents d on d.id = v.document_id
    where v.id = version
      and (
        d.young_person_id = (select auth.uid())
        or (
          private.access_to(d.young_person_id, d.kind) <> 'none'
          and exists (
            select 1
            from public.circle_members c
            join public.memberships m on m.user_id = c.member_id
            where c.young_person_id = d.young_person_id
              and c.member_id = (select auth.uid())
              and m.role in ('social_worker', 'personal_adviser')
          )
        )
      )
  )
$$;

revoke all on function private.version_access(uuid), private.may_sign_off(uuid) from public;
grant execute on function private.version_access(uuid), private.may_sign_off(uuid)
  to authenticated;

-- Policies: document_versions --------------------------------------------------------------------
create policy "people with access to a document see its versions"
  on public.document_versions for select to authenticated
  using ((select private.document_access(document_id)) <> 'none');
create policy "editors save a version in their own name"
  on public.document_versions for insert to authenticated
  with check (
    created_by = (select auth.uid()) and (select private.document_access(document_id)) = 'edit'
  );

-- Policies: document_signoffs --------------------------------------------------------------------
create policy "people with access to a document see the sign-offs of its versions"
  on public.document_signoffs for select to authenticated
  using ((select private.version_access(version_id)) <> 'none');
create policy "the young person and their practitioners sign off in their own name"
  on public.document_signoffs for insert to authenticated
  with check (signer_id = (select auth.uid()) and (select private.may_sign_off(version_id)));

-- Grants: explicit, nothing for anon; no update or delete for anyone --------------------------------
revoke all on public.document_versions, public.document_signoffs from anon, authenticated,
  public;
grant select, insert (document_id, name, state, is_review, created_by)
  on public.document_versions to authenticated;
grant select, insert (version_id, signer_id, agrees, reason) on public.document_signoffs
  to authenticated;
