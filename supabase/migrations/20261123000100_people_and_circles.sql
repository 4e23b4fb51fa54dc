-- People, organisations and circles: who someone is, where they work or are looked after, and the
-- circle of people around each young person. RLS is enabled on every table in this migration.
-- Policy helpers live in schema `private` (never exposed through an API), run as security definer
-- with an empty search_path, so policies on one table can look at another without recursion.

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated;

create type public.organisation_kind as enum ('local_authority', 'advocacy_service');
create type public.member_role as enum (
  'young_person', 'family_member', 'social_worker', 'personal_adviser', 'advocate',
  'service_designer', 'admin'
);
create type public.access_level as enum ('edit', 'comment', 'view', 'none');

-- Organisations ------------------------------------------------------------------------------
create table public.organisations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  kind public.organisation_kind not null,
  created_at timestamptz not null default now()
);
alter table public.organisations enable row level security;

-- Profiles: one per auth user, made by a trigger on auth.users ----------------------------------
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  preferred_name text not null check (char_length(preferred_name) between 1 and 80),
  pronouns text check (char_length(pronouns) <= 40),
  larger_text boolean not null default false,
  read_aloud boolean not null default false,
  dyslexia_font boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table public.profiles enable row level security;

-- Memberships: a person's role in an organisation (one role per organisation) ------------------
create table public.memberships (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  role public.member_role not null,
  created_at timestamptz not null default now(),
  unique (organisation_id, user_id)
);
create index memberships_user_id_idx on public.memberships (user_id);
alter table public.memberships enable row level security;

-- Circles: the people around a young person --------------------------------------------------
create table public.circle_members (
  id uuid primary key default gen_random_uuid(),
  young_person_id uuid not null references public.profiles (id) on delete cascade,
  member_id uuid not null references public.profiles (id) on delete cascade,
  relationship text not null check (char_length(relationship) between 1 and 80),
  access public.access_level not null default 'view',
  added_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (young_person_id, member_id),
  check (young_person_id <> member_id)
);
create index circle_members_member_id_idx on public.circle_members (member_id);
alter table public.circle_members enable row level security;

-- Invites: a practitioner invites a young person or family member ------------------------------
create table public.invites (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  invitee_id uuid not null references public.profiles (id) on delete cascade,
  invited_by uuid not null references public.profiles (id) on delete cascade,
  role public.member_role not null check (role in ('young_person', 'family_member')),
  -- For a family member: whose circle they join. For a young person: null (they have their own).
  young_person_id uuid references public.profiles (id) on delete cascade,
  relationship text check (char_length(relationship) between 1 and 80),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '14 days',
  accepted_at timestamptz,
  check ((role = 'family_member') = (young_person_id is not null))
);
create index invites_invitee_id_idx on public.invites (invitee_id);
create index invites_invited_by_idx on public.invites (invited_by);
alter table public.invites enable row level security;

-- Helpers for policies --------------------------------------------------------------------------

/** Does the caller hold one of `roles` in organisation `org`? */
create function private.has_org_role(org uuid, roles public.member_role[])
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m
    where m.organisation_id = org and m.user_id = (select auth.uid()) and m.role = any (roles)
  )
$$;

/** Is the caller an admin of an organisation that `person` belongs to? */
create function private.is_admin_of(person uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships theirs
    join public.memberships mine on mine.organisation_id = theirs.organisation_id
    where theirs.user_id = person and mine.user_id = (select auth.uid()) and mine.role = 'admin'
  )
$$;

/** Is the caller in `young_person`'s circle (any access level)? */
create function private.in_circle_of(young_person uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.circle_members c
    where c.young_person_id = young_person and c.member_id = (select auth.uid())
  )
$$;

/**
 * Is the caller a practitioner in `young_person`'s circle with edit access, holding that
 * practitioner role in an organisation the young person belongs to?
 */
create function private.manages_circle_of(young_person uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.circle_members c
    join public.memberships m on m.user_id = c.member_id
    join public.memberships theirs
      on theirs.user_id = c.young_person_id and theirs.organisation_id = m.organisation_id
    where c.young_person_id = young_person
      and c.member_id = (select auth.uid())
      and c.access = 'edit'
      and m.role in ('social_worker', 'personal_adviser')
  )
$$;

/** Is `person` a young person (in care, in need, or a care leaver) in some organisation? */
create function private.is_young_person(person uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m where m.user_id = person and m.role = 'young_person'
  )
$$;

/** Did the caller invite `person`? */
create function private.invited(person uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.invites i
    where i.invitee_id = person and i.invited_by = (select auth.uid())
  )
$$;

/**
 * Did the caller invite `young_person` as a young person, and is that young person's circle still
 * empty? Only then may the inviter start the circle by joining it: an old invite must never be a
 * way back into (or into someone else's) existing circle.
 */
create function private.may_start_circle_of(young_person uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.invites i
    where i.invitee_id = young_person
      and i.invited_by = (select auth.uid())
      and i.role = 'young_person'
  ) and not exists (
    select 1 from public.circle_members c where c.young_person_id = young_person
  )
$$;

/**
 * Is `person` new to the service: in no organisation and no circle? Only such people are invited,
 * because an invite lets its inviter see the invitee and start their circle.
 */
create function private.is_newcomer(person uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select not exists (select 1 from public.memberships m where m.user_id = person)
    and not exists (
      select 1 from public.circle_members c
      where c.young_person_id = person or c.member_id = person
    )
$$;

/**
 * Does `person` belong to an organisation other than `org`? One organisation cannot claim another's
 * people: membership would make its admins admins "of" them (see is_admin_of), with power over a
 * young person's circle. Joining a second organisation goes through the service role.
 */
create function private.belongs_elsewhere(person uuid, org uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m where m.user_id = person and m.organisation_id <> org
  )
$$;

/** Is `person` an advocate of an advocacy service? Advocates are public-facing professionals. */
create function private.is_advocate(person uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships m
    join public.organisations o on o.id = m.organisation_id
    where m.user_id = person and m.role = 'advocate' and o.kind = 'advocacy_service'
  )
$$;

/** Do the caller and `person` share a circle (either is the young person, or both are members)? */
create function private.shares_circle_with(person uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.circle_members c
    where (c.young_person_id = person and c.member_id = (select auth.uid()))
       or (c.young_person_id = (select auth.uid()) and c.member_id = person)
  ) or exists (
    select 1
    from public.circle_members a
    join public.circle_members b on b.young_person_id = a.young_person_id
    where a.member_id = (select auth.uid()) and b.member_id = person
  )
$$;

revoke all on all functions in schema private from public;
grant execute on all functions in schema private to authenticated;

-- Policies: organisations ---------------------------------------------------------------------
create policy "members and everyone signed in for advocacy services can read"
  on public.organisations for select to authenticated
  using (
    kind = 'advocacy_service'
    or exists (
      select 1 from public.memberships m
      where m.organisation_id = organisations.id and m.user_id = (select auth.uid())
    )
  );
create policy "admins can rename their organisation"
  on public.organisations for update to authenticated
  using ((select private.has_org_role(id, array['admin']::public.member_role[])))
  with check ((select private.has_org_role(id, array['admin']::public.member_role[])));

-- Policies: profiles --------------------------------------------------------------------------
create policy "people see themselves, their circles, whom they invited, and advocates"
  on public.profiles for select to authenticated
  using (
    id = (select auth.uid())
    or (select private.shares_circle_with(id))
    or (select private.invited(id))
    or (select private.is_admin_of(id))
    or (select private.is_advocate(id))
  );
create policy "people update only their own profile"
  on public.profiles for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

-- Policies: memberships -----------------------------------------------------------------------
create policy "people see their own memberships, admins their organisation's, and advocates' and circle-mates' roles"
  on public.memberships for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.has_org_role(organisation_id, array['admin']::public.member_role[]))
    or (select private.is_advocate(user_id))
    or (select private.shares_circle_with(user_id))
  );
create policy "admins add members; practitioners add the people they invited"
  on public.memberships for insert to authenticated
  with check (
    -- Never someone another organisation already has (see private.belongs_elsewhere).
    not (select private.belongs_elsewhere(user_id, organisation_id))
    and (
      (select private.has_org_role(organisation_id, array['admin']::public.member_role[]))
      or exists (
        select 1 from public.invites i
        where i.invitee_id = user_id
          and i.invited_by = (select auth.uid())
          and i.organisation_id = memberships.organisation_id
          and i.role = memberships.role
      )
    )
  );
-- Never their own: an admin who could make themselves (say) an advocate would reach what
-- that role sees without any record of why.
create policy "admins change other people's roles in their organisation"
  on public.memberships for update to authenticated
  using (
    user_id <> (select auth.uid())
    and (select private.has_org_role(organisation_id, array['admin']::public.member_role[]))
  )
  with check (
    user_id <> (select auth.uid())
    and (select private.has_org_role(organisation_id, array['admin']::public.member_role[]))
  );
create policy "admins remove members of their organisation"
  on public.memberships for delete to authenticated
  using ((select private.has_org_role(organisation_id, array['admin']::public.member_role[])));

-- Policies: circle_members ----------------------------------------------------------------------
create policy "the young person, their circle and their organisation's admins see the circle"
  on public.circle_members for select to authenticated
  using (
    young_person_id = (select auth.uid())
    or (select private.in_circle_of(young_person_id))
    or (select private.is_admin_of(young_person_id))
  );
create policy "practitioners managing the circle add people; young people add an advocate"
  on public.circle_members for insert to authenticated
  with check (
    added_by = (select auth.uid())
    and (
      -- Only young people have circles.
      (
        (select private.is_young_person(young_person_id))
        and (
          (select private.manages_circle_of(young_person_id))
          or (select private.is_admin_of(young_person_id))
          or (young_person_id = (select auth.uid()) and (select private.is_advocate(member_id)))
        )
      )
      -- A practitioner who invited this young person joins their new (still empty) circle.
      or (member_id = (select auth.uid()) and (select private.may_start_circle_of(young_person_id)))
    )
  );
create policy "practitioners managing the circle change access"
  on public.circle_members for update to authenticated
  using (
    (select private.manages_circle_of(young_person_id)) or (select private.is_admin_of(young_person_id))
  )
  with check (
    (select private.manages_circle_of(young_person_id)) or (select private.is_admin_of(young_person_id))
  );
create policy "practitioners managing the circle remove people; young people remove an advocate"
  on public.circle_members for delete to authenticated
  using (
    (select private.manages_circle_of(young_person_id))
    or (select private.is_admin_of(young_person_id))
    or (
      young_person_id = (select auth.uid())
      and (select private.is_young_person(young_person_id))
      and (select private.is_advocate(member_id))
    )
  );

-- Policies: invites -----------------------------------------------------------------------------
create policy "inviter, invitee and organisation admins see an invite"
  on public.invites for select to authenticated
  using (
    invited_by = (select auth.uid())
    or invitee_id = (select auth.uid())
    or (select private.has_org_role(organisation_id, array['admin']::public.member_role[]))
  );
create policy "practitioners invite into their organisation, family only into circles they manage"
  on public.invites for insert to authenticated
  with check (
    invited_by = (select auth.uid())
    and (select private.has_org_role(
      organisation_id, array['social_worker', 'personal_adviser', 'admin']::public.member_role[]))
    -- Only people new to the service: the app invites brand-new accounts (see is_newcomer).
    and (select private.is_newcomer(invitee_id))
    and (
      young_person_id is null
      or (select private.manages_circle_of(young_person_id))
      or (select private.is_admin_of(young_person_id))
    )
  );
create policy "the invitee marks their invite accepted"
  on public.invites for update to authenticated
  using (invitee_id = (select auth.uid()) and accepted_at is null and expires_at > now())
  with check (invitee_id = (select auth.uid()));
create policy "the inviter or an admin withdraws an invite"
  on public.invites for delete to authenticated
  using (
    invited_by = (select auth.uid())
    or (select private.has_org_role(organisation_id, array['admin']::public.member_role[]))
  );

-- Grants: explicit, nothing for anon -------------------------------------------------------------
-- Supabase grants everything on new public tables to anon and authenticated by default: take it all
-- back, so the column grants below are the only rights there are.
revoke all on public.organisations, public.profiles, public.memberships, public.circle_members,
  public.invites from anon, authenticated, public;
grant select, update (name) on public.organisations to authenticated;
grant select, update (preferred_name, pronouns, larger_text, read_aloud, dyslexia_font, updated_at)
  on public.profiles to authenticated;
grant select, insert, update (role), delete on public.memberships to authenticated;
grant select, insert (young_person_id, member_id, relationship, access, added_by),
  update (relationship, access), delete on public.circle_members to authenticated;
grant select, insert (organisation_id, invitee_id, invited_by, role, young_person_id, relationship,
  expires_at), update (accepted_at), delete on public.invites to authenticated;
grant usage on type public.organisation_kind, public.member_role, public.access_level to authenticated;

-- A profile for every new auth user. preferred_name comes from the metadata the inviter set.
create function private.create_profile_for_new_user()
returns trigger language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.profiles (id, preferred_name)
  values (
    new.id,
    left(coalesce(
      nullif(trim(new.raw_user_meta_data ->> 'preferred_name'), ''),
      nullif(split_part(coalesce(new.email, ''), '@', 1), ''),
      'Friend'
    ), 80)
  );
  return new;
end;
$$;
revoke all on function private.create_profile_for_new_user() from public, authenticated;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function private.create_profile_for_new_user();
