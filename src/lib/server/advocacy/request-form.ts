import * as v from 'valibot';
import { m } from '$lib/paraglide/messages.js';
import { optionalText, requiredText } from '$lib/server/forms';

/** Size limits, the same as the database's check constraints. */
export const LIMITS = { about: 4000, message: 4000, callMe: 80 } as const;

/** The choices on the form, as the database accepts them. */
export const CARE_STATUSES = ['in_care', 'care_leaver', 'child_in_need', 'not_sure'] as const;
export const URGENCIES = ['today', 'this_week', 'not_urgent'] as const;
export const SOCIAL_WORKER_ANSWERS = ['yes', 'no', 'ask_me'] as const;

/**
 * Plain words for each choice, in the request's language. A new plain object on each call: it is
 * sent to the page as data, and the words are only known once the request's language is.
 */
export function requestChoices() {
	return {
		careStatus: {
			in_care: m.ask_care_in_care(),
			care_leaver: m.ask_care_leaver(),
			child_in_need: m.ask_care_child_in_need(),
			not_sure: m.ask_care_not_sure()
		},
		urgency: {
			today: m.ask_urgency_today(),
			this_week: m.ask_urgency_this_week(),
			not_urgent: m.ask_urgency_not_urgent()
		},
		socialWorkerMayKnow: {
			yes: m.ask_sw_yes(),
			no: m.ask_sw_no(),
			ask_me: m.ask_sw_ask_me()
		}
	} satisfies Record<string, Record<string, string>>;
}

function choice<const T extends readonly string[]>(options: T, message: () => string) {
	return v.pipe(v.optional(v.string(), ''), v.picklist(options, message));
}

/** A message: required, and no more than the database takes. */
export const messageBody = requiredText(() => m.ask_name_message(), LIMITS.message);

/**
 * The request form: only what the National Standards need. `website` is a honeypot: hidden from
 * people (and from screen readers), so only a bot fills it in.
 */
export const RequestForm = v.object({
	service: v.pipe(
		v.optional(v.string(), ''),
		v.uuid(() => m.ask_error_service())
	),
	callMe: requiredText(() => m.ask_name_call_me(), LIMITS.callMe),
	contactHow: optionalText(() => m.ask_name_contact_how(), 300),
	contactWhen: optionalText(() => m.ask_name_contact_when(), 200),
	localAuthority: optionalText(() => m.ask_name_council(), 120),
	careStatus: choice(CARE_STATUSES, () => m.ask_error_care_status()),
	about: requiredText(() => m.ask_name_about(), LIMITS.about),
	urgency: choice(URGENCIES, () => m.ask_error_urgency()),
	communicationNeeds: optionalText(() => m.ask_name_communication(), 500),
	socialWorkerMayKnow: choice(SOCIAL_WORKER_ANSWERS, () => m.ask_error_social_worker()),
	website: v.optional(v.string(), '')
});
export type RequestFormData = v.InferOutput<typeof RequestForm>;

/** The words shown when the honeypot is filled: clear, without teaching a bot what to change. */
export function honeypotMessage(): string {
	return m.ask_honeypot();
}
