import { m } from '$lib/paraglide/messages.js';

/**
 * Words for a request's stored choices on the advocacy service's pages, in the page's language.
 * Each is looked up when shown (never kept in a table of strings made once, which would keep the
 * first language it was made in). A value the table does not know is shown as it is.
 */
function labeller(words: Record<string, () => string>) {
	return (value: string): string => words[value]?.() ?? value;
}

/** How soon the young person needs help. */
export const urgencyLabel = labeller({
	today: () => m.advocacy_urgency_today(),
	this_week: () => m.advocacy_urgency_this_week(),
	not_urgent: () => m.advocacy_urgency_not_urgent()
});

/** Where a request has got to, for the service. */
export const stateLabel = labeller({
	new: () => m.advocacy_state_new(),
	allocated: () => m.advocacy_state_allocated(),
	closed: () => m.advocacy_state_closed()
});

/** Where a request has got to, for the young person who made it. */
export const statusForYoungPerson = labeller({
	new: () => m.advocacy_status_new(),
	allocated: () => m.advocacy_status_allocated(),
	closed: () => m.advocacy_state_closed()
});

/** The young person's situation, as they chose it on the form. */
export const careStatusLabel = labeller({
	in_care: () => m.advocacy_care_in_care(),
	care_leaver: () => m.advocacy_care_leaver(),
	child_in_need: () => m.advocacy_care_child_in_need(),
	not_sure: () => m.advocacy_care_not_sure()
});

/** Whether their social worker may know they asked. */
export const socialWorkerLabel = labeller({
	yes: () => m.advocacy_sw_yes(),
	no: () => m.advocacy_sw_no(),
	ask_me: () => m.advocacy_sw_ask_me()
});
