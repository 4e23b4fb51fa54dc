import type { Tx } from '$lib/server/db';
import type { MemberRole } from '$lib/server/db/schema';
import { advocacyQueue, myAdvocacyRequests } from '$lib/server/db/advocacy-requests';
import { requestClocks } from '$lib/server/advocacy/queue';

export interface AdvocacyHome {
	/** A young person's open requests. */
	myOpenRequests: number;
	/** An advocate's open queue, and how many of those have a clock overdue. */
	queue: { open: number; overdue: number } | null;
}

/** What the home page shows about advocacy for this person: counts only, never content. */
export async function advocacyHome(
	tx: Tx,
	userId: string,
	roles: Set<MemberRole>
): Promise<AdvocacyHome> {
	const myOpenRequests = roles.has('young_person')
		? (await myAdvocacyRequests(tx, userId)).filter((r) => r.status !== 'closed').length
		: 0;
	let queue: AdvocacyHome['queue'] = null;
	if (roles.has('advocate')) {
		const now = new Date();
		const open = (await advocacyQueue(tx, userId)).filter((r) => r.status !== 'closed');
		const overdue = open.filter((r) => {
			const c = requestClocks(r, now);
			return c.respond.state === 'overdue' || c.allocate.state === 'overdue';
		}).length;
		queue = { open: open.length, overdue };
	}
	return { myOpenRequests, queue };
}
