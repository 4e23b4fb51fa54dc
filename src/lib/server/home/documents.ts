import { formatDate } from '$lib/dates';
import { m } from '$lib/paraglide/messages.js';
import type { Tx } from '$lib/server/db';
import { sharesOf } from '$lib/server/db/document-shares';
import { documentsICanOpen, lastChanged } from '$lib/server/db/documents';
import { nextReviewText, reviewAwaitsMe } from '$lib/server/db/document-versions';
import { KIND_LABELS } from '$lib/server/documents/open';

/**
 * The documents this person may open, for the home page (RLS decides which), each with what it
 * is, when it last changed and where it stands (issue 16, item 8), so two plans with the same
 * title are told apart: a plan waiting for this person to say if they agree, else when its next
 * review is due; a story, who can see it.
 */
export async function documentsHome(tx: Tx, userId: string) {
	const docs = await documentsICanOpen(tx);
	const home = [];
	// One after another: the queries share the request's transaction.
	for (const d of docs) {
		const mine = d.young_person_id === userId;
		home.push({
			id: d.id,
			title: d.title,
			kind: d.kind,
			kindLabel: KIND_LABELS[d.kind],
			changed: m.home_doc_changed({ date: formatDate(await lastChanged(tx, d.id), 'longDate') }),
			status: await statusOf(tx, d, userId, mine),
			youngPersonName: d.young_person_name,
			mine
		});
	}
	return home;
}

async function statusOf(
	tx: Tx,
	d: Awaited<ReturnType<typeof documentsICanOpen>>[number],
	userId: string,
	mine: boolean
): Promise<string> {
	if (d.kind === 'my_story') {
		if (!mine) return m.home_doc_shared_with_you();
		const names = (await sharesOf(tx, d.id)).map((share) => share.preferred_name);
		return names.length === 0
			? m.home_doc_only_you()
			: m.home_doc_shared({ names: names.join(', ') });
	}
	if (await reviewAwaitsMe(tx, d.id, userId)) return m.home_doc_agree_waiting();
	return (await nextReviewText(tx, d)) ?? '';
}
