import * as v from 'valibot';
import { optionalText, requiredText } from '$lib/server/forms';

/** Size limits, the same as the database's check constraints. */
export const LIMITS = { about: 4000, message: 4000, callMe: 80 } as const;

/** Plain words for each choice on the form (kept beside the values the database accepts). */
export const CARE_STATUS = {
	in_care: 'I am in care (looked after)',
	care_leaver: 'I have left care (a care leaver)',
	child_in_need: 'I get help from children’s services but live at home',
	not_sure: 'I am not sure'
} as const;
export const URGENCY = {
	today: 'Today – it is urgent',
	this_week: 'This week',
	not_urgent: 'It is not urgent'
} as const;
export const SOCIAL_WORKER_MAY_KNOW = {
	yes: 'Yes, they can know',
	no: 'No, please do not tell them',
	ask_me: 'Ask me first'
} as const;

function choice<T extends Record<string, string>>(options: T, message: string) {
	return v.pipe(
		v.optional(v.string(), ''),
		v.picklist(Object.keys(options) as (keyof T & string)[], message)
	);
}

/** A message: required, and no more than the database takes. */
export const messageBody = requiredText('your message', LIMITS.message);

/**
 * The request form: only what the National Standards need. `website` is a honeypot: hidden from
 * people (and from screen readers), so only a bot fills it in.
 */
export const RequestForm = v.object({
	service: v.pipe(v.optional(v.string(), ''), v.uuid('Please choose an advocacy service.')),
	callMe: requiredText('what we should call you', LIMITS.callMe),
	contactHow: optionalText('how to contact you', 300),
	contactWhen: optionalText('when is safe to contact you', 200),
	localAuthority: optionalText('your council', 120),
	careStatus: choice(CARE_STATUS, 'Please choose the answer closest to you.'),
	about: requiredText('what it is about', LIMITS.about),
	urgency: choice(URGENCY, 'Please choose how soon you need help.'),
	communicationNeeds: optionalText('your communication needs', 500),
	socialWorkerMayKnow: choice(
		SOCIAL_WORKER_MAY_KNOW,
		'Please choose if your social worker may know.'
	),
	website: v.optional(v.string(), '')
});
export type RequestFormData = v.InferOutput<typeof RequestForm>;

/** The words shown when the honeypot is filled: clear, without teaching a bot what to change. */
export const HONEYPOT_MESSAGE =
	'Sorry, we could not send this. Please check the form and try again, or ask someone you trust to help.';
