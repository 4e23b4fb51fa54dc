-- An invite that has lapsed no longer lets its inviter add the invitee to the organisation: the
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
