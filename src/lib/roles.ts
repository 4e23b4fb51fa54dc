import type { MemberRole } from '$lib/server/db/schema';
import { m } from '$lib/paraglide/messages.js';

/** Roles that work with young people's circles and may invite people into them. */
export const PRACTITIONER_ROLES: readonly MemberRole[] = ['social_worker', 'personal_adviser'];

/**
 * How a role reads to people, in plain words, in the language of the page or request reading it:
 * each label is a getter, read when used (never copy the object: a copy keeps one language).
 */
export const ROLE_LABELS: Readonly<Record<MemberRole, string>> = {
	get young_person() {
		return m.role_young_person();
	},
	get family_member() {
		return m.role_family_member();
	},
	get social_worker() {
		return m.role_social_worker();
	},
	get personal_adviser() {
		return m.role_personal_adviser();
	},
	get advocate() {
		return m.role_advocate();
	},
	get service_designer() {
		return m.role_service_designer();
	},
	get admin() {
		return m.role_admin();
	}
};

export function isPractitioner(roles: readonly MemberRole[]): boolean {
	return roles.some((r) => PRACTITIONER_ROLES.includes(r));
}
