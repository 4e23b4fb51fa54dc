-- Invites stop counting once they lapse or are used. A lapsed invite no longer lets its inviter
-- add the invitee to the organisation, and an inviter sees the invitee's profile only while the
-- invite is open. The invite lets an inviter add the invitee to the organisation: the
-- invite is the practitioner's only reason to add someone they are not an admin for, and it
-- lasts 14 days (the invitee's own use of it already stops at expires_at).

drop policy "admins add members; practitioners add the people they invited"
  on public.memberships;
create policy "admins add members; practitioners add the people they invited, while the invite lasts"
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
          and i.expires_at > now()
      )
    )
  );

/**
 * Has the caller invited `person`, with the invite still open (not yet accepted, not lapsed)?
 * An inviter sees their invitee's profile only until then: afterwards they see them, like
 * anyone, through a shared circle or as their organisation's admin, so someone removed from a
 * young person's circle stops seeing them, whoever sent the invite.
 */
create or replace function private.invited(person uuid)
returns boolean language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.invites i
    where i.invitee_id = person and i.invited_by = (select auth.uid())
      and i.accepted_at is null and i.expires_at > now()
  )
$$;
