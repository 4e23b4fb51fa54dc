import type { MemberRole } from './schema';
import type { Tx } from './index';

/** The caller's roles in each organisation, with the organisation's name and kind. */
export async function myMemberships(tx: Tx, userId: string) {
	return tx
		.selectFrom('memberships as m')
		.innerJoin('organisations as o', 'o.id', 'm.organisation_id')
		.select(['m.organisation_id', 'm.role', 'o.name as organisation_name', 'o.kind'])
		.where('m.user_id', '=', userId)
		.orderBy('o.name')
		.execute();
}

/** Everyone in an organisation with their role: only its admins can see this through RLS. */
export async function organisationPeople(tx: Tx, organisationId: string) {
	return tx
		.selectFrom('memberships as m')
		.innerJoin('profiles as p', 'p.id', 'm.user_id')
		.select(['p.id', 'p.preferred_name', 'p.pronouns', 'm.role', 'm.created_at'])
		.where('m.organisation_id', '=', organisationId)
		.orderBy('p.preferred_name')
		.execute();
}

/** Adds a person to an organisation with one role; RLS allows admins and the person's inviter. */
export async function addMembership(
	tx: Tx,
	organisationId: string,
	userId: string,
	role: MemberRole
): Promise<void> {
	await tx
		.insertInto('memberships')
		.values({ organisation_id: organisationId, user_id: userId, role })
		.execute();
}

/** Advocates of advocacy services: public-facing professionals a young person may choose. */
export async function listAdvocates(tx: Tx) {
	return tx
		.selectFrom('memberships as m')
		.innerJoin('organisations as o', 'o.id', 'm.organisation_id')
		.innerJoin('profiles as p', 'p.id', 'm.user_id')
		.select(['p.id', 'p.preferred_name', 'o.name as organisation_name'])
		.where('m.role', '=', 'advocate')
		.where('o.kind', '=', 'advocacy_service')
		.orderBy('p.preferred_name')
		.execute();
}
