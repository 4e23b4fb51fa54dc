import type { Urgency } from '$lib/server/db/schema-advocacy';
import { m } from '$lib/paraglide/messages.js';
import {
	clockState,
	describeDue,
	describeDueAt,
	describeTimeLeft,
	type Clock,
	type InLocale
} from './working-days';

const URGENCY_RANK: Record<Urgency, number> = { today: 0, this_week: 1, not_urgent: 2 };

export interface ClockView {
	label: string;
	state: Clock['state'];
	/** "3 hours left · by the end of Mon 24 Nov", "Done", "Overdue by 2 days". */
	text: string;
	msLeft: number | null;
}

/**
 * Both clocks of a request, in words for the queue and the request page, in the request's
 * language (or `locale`). When each is due comes from the database's working calendar
 * (private.advocacy_clock_due): 1 working day to respond, or 4 working hours for "Urgent: today";
 * 2 working days to allocate.
 */
export function requestClocks(
	r: {
		urgency: Urgency;
		respond_due: Date;
		allocate_due: Date;
		responded_at: Date | null;
		allocated_at: Date | null;
	},
	now: Date,
	{ locale }: InLocale = {}
): { respond: ClockView; allocate: ClockView } {
	const o = locale ? { locale } : {};
	const view = (label: string, c: Clock, inHours = false): ClockView => ({
		label,
		state: c.state,
		msLeft: c.msLeft,
		text:
			c.state === 'met'
				? m.advocacy_clock_met({}, o)
				: c.state === 'met late'
					? m.advocacy_clock_met_late({}, o)
					: // Two phrases side by side, each whole in its language: the dot is not a word.
						`${describeTimeLeft(c.msLeft ?? 0, o)} · ${inHours ? describeDueAt(c.due, o) : describeDue(c.due, o)}`
	});
	return {
		respond: view(
			r.urgency === 'today' ? m.help_clock_respond_hours({}, o) : m.advocacy_clock_respond({}, o),
			clockState(r.respond_due, r.responded_at, now),
			r.urgency === 'today'
		),
		allocate: view(
			m.advocacy_clock_allocate({}, o),
			clockState(r.allocate_due, r.allocated_at, now)
		)
	};
}

/**
 * The queue's order: open requests before closed ones; then the most urgent first; then the one
 * whose next running clock runs out soonest (overdue first). Ties: oldest first.
 */
export function queueOrder<
	T extends {
		status: string;
		urgency: Urgency;
		created_at: Date;
		clocks: { respond: ClockView; allocate: ClockView };
	}
>(rows: T[]): T[] {
	const timeLeft = (r: T) =>
		Math.min(
			...[r.clocks.respond.msLeft, r.clocks.allocate.msLeft].map(
				(m) => m ?? Number.POSITIVE_INFINITY
			)
		);
	return [...rows].sort(
		(a, b) =>
			Number(a.status === 'closed') - Number(b.status === 'closed') ||
			URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency] ||
			timeLeft(a) - timeLeft(b) ||
			a.created_at.getTime() - b.created_at.getTime()
	);
}
