import { formatDate } from '$lib/dates';
import { m } from '$lib/paraglide/messages.js';

/**
 * How versions read, the same on screen, in print and in the export: plain code (no server
 * imports), so both the pages and the export's server code use it. Everything is in the language
 * of the page (or, on the server, of the request): a print or an export is in the language it
 * was asked for in; only the people's own words stay as they wrote them.
 */

/** "12 March 2027 at 14:05" (UK time), in the page's language. */
export function formatDateTime(iso: string | Date): string {
	return formatDate(iso, 'longDateTime');
}

/** The words for one sign-off: "I agree", or "I don't agree, because: …" with their reason. */
export function signoffWords(s: { agrees: boolean; reason: string | null }): string {
	return s.agrees ? m.record_i_agree() : m.record_i_dont_agree_because({ reason: s.reason ?? '' });
}

/** Who signed: "Sam (young person)" for the young person, else just their name. */
export function signerWords(s: { signerName: string; isYoungPerson: boolean }): string {
	return s.isYoungPerson ? m.record_signer_young_person({ name: s.signerName }) : s.signerName;
}
