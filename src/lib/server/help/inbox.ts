import { m } from '$lib/paraglide/messages.js';
import { describeDueAt, describeTimeLeft } from '$lib/server/advocacy/working-days';
import { formatDate } from '$lib/dates';
import type { InboxRequest } from '$lib/server/db/help-requests';

/** One help request as a worker's home shows it: words only, worked out on the server. */
export interface InboxView {
	id: string;
	name: string;
	message: string | null;
	/** Why they see it, in words. */
	why: string;
	late: boolean;
	/** "3 hours left · by 14:00, Mon 30 Nov" or "overdue by 2 hours · by …"; null once acknowledged. */
	clock: string | null;
	/** "Acknowledged by Priya, 30 Nov 2026, 10:05."; null while waiting. */
	acknowledged: string | null;
}

const WHY: Record<InboxRequest['why'], () => string> = {
	chosen: () => m.help_inbox_why_chosen(),
	duty: () => m.help_inbox_why_duty(),
	escalated: () => m.help_inbox_why_escalated()
};

/**
 * The clock comes from the database (due_at, from its working calendar; `late` too, so every
 * node agrees); only the words are made here.
 */
export function inboxView(r: InboxRequest, now: Date): InboxView {
	const due = new Date(r.due_at);
	return {
		id: r.id,
		name: r.young_person_name,
		message: r.message,
		why: WHY[r.why](),
		late: r.late,
		clock: r.acknowledged_at
			? null
			: `${describeTimeLeft(due.getTime() - now.getTime())} · ${describeDueAt(due)}`,
		acknowledged: r.acknowledged_at
			? m.help_acknowledged({
					name: r.acknowledged_by_name ?? '',
					when: formatDate(r.acknowledged_at, 'dateTime')
				})
			: null
	};
}
