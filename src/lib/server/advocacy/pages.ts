import { fail } from '@sveltejs/kit';
import {
	AdvocacyClosedError,
	AdvocacyRateLimitError,
	closedMessage,
	rateLimitMessage
} from './errors';

/** Advocacy pages may hold a child's words: never cached, never indexed, no referrer. */
export const PRIVATE_PAGE_HEADERS = {
	'cache-control': 'no-store',
	'x-robots-tag': 'noindex, nofollow'
} as const;

/**
 * The clear message for a limit or a closed request, with what was typed kept so nothing is lost;
 * any other error is rethrown (never swallowed).
 */
export function limitFailure(error: unknown, values: Record<string, string>, field = 'form') {
	if (error instanceof AdvocacyRateLimitError) {
		return fail(429, { errors: { [field]: rateLimitMessage() }, values });
	}
	if (error instanceof AdvocacyClosedError) {
		return fail(409, { errors: { [field]: closedMessage() }, values });
	}
	throw error;
}
