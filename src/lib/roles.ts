import type { MemberRole } from '$lib/server/db/schema';

/** Roles that work with young people's circles and may invite people into them. */
export const PRACTITIONER_ROLES: readonly MemberRole[] = ['social_worker', 'personal_adviser'];

/** How a role reads to people, in plain words. */
export const ROLE_LABELS: Record<MemberRole, string> = {
	young_person: 'Young person',
	family_member: 'Family member or carer',
	social_worker: 'Social worker',
	personal_adviser: 'Personal adviser',
	advocate: 'Advocate',
	service_designer: 'Service designer',
	admin: 'Admin'
};

export function isPractitioner(roles: readonly MemberRole[]): boolean {
	return roles.some((r) => PRACTITIONER_ROLES.includes(r));
}
