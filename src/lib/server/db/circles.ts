import type { AccessLevel } from './schema';
import type { Tx } from './index';

/** The people in a young person's circle, as the caller is allowed to see them. */
export async function circleOf(tx: Tx, youngPersonId: string) {
	return tx
		.selectFrom('circle_members as c')
		.innerJoin('profiles as p', 'p.id', 'c.member_id')
		.leftJoin('memberships as m', 'm.user_id', 'c.member_id')
		.select([
			'c.id',
			'c.member_id',
			'p.preferred_name',
			'p.pronouns',
			'c.relationship',
			'c.access',
			'm.role'
		])
		.where('c.young_person_id', '=', youngPersonId)
		.orderBy('p.preferred_name')
		.execute();
}

/** Young people whose circle the caller belongs to ("my young people"). */
export async function circlesIAmIn(tx: Tx, memberId: string) {
	return tx
		.selectFrom('circle_members as c')
		.innerJoin('profiles as p', 'p.id', 'c.young_person_id')
		.select(['p.id', 'p.preferred_name', 'p.pronouns', 'c.relationship', 'c.access'])
		.where('c.member_id', '=', memberId)
		.orderBy('p.preferred_name')
		.execute();
}

/** The young person's profile if the caller may see it (in the circle, admin, or inviter). */
export async function youngPersonIfVisible(tx: Tx, youngPersonId: string) {
	return tx
		.selectFrom('profiles')
		.select(['id', 'preferred_name', 'pronouns'])
		.where('id', '=', youngPersonId)
		.executeTakeFirst();
}

export interface NewCircleMember {
	youngPersonId: string;
	memberId: string;
	relationship: string;
	access: AccessLevel;
	addedBy: string;
}

/** Adds someone to a circle. RLS decides who may: see the circle_members policies. */
export async function addToCircle(tx: Tx, m: NewCircleMember): Promise<void> {
	await tx
		.insertInto('circle_members')
		.values({
			young_person_id: m.youngPersonId,
			member_id: m.memberId,
			relationship: m.relationship,
			access: m.access,
			added_by: m.addedBy
		})
		.execute();
}

/** Removes someone from a circle; returns false when RLS (or absence) meant nothing was removed. */
export async function removeFromCircle(
	tx: Tx,
	youngPersonId: string,
	memberId: string
): Promise<boolean> {
	const result = await tx
		.deleteFrom('circle_members')
		.where('young_person_id', '=', youngPersonId)
		.where('member_id', '=', memberId)
		.executeTakeFirst();
	return result.numDeletedRows > 0n;
}
