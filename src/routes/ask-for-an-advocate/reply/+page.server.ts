import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { appDb, asAnon } from '$lib/server/db';
import { replyByReference, threadByReference } from '$lib/server/db/advocacy-requests';
import { m } from '$lib/paraglide/messages.js';
import { parseForm } from '$lib/server/forms';
import { messageBody } from '$lib/server/advocacy/request-form';
import { advocacyError } from '$lib/server/advocacy/errors';
import { isWellFormedReference, referenceAsTyped } from '$lib/advocacy-reference';
import { limitFailure, PRIVATE_PAGE_HEADERS } from '$lib/server/advocacy/pages';
import { addressKey } from '$lib/server/address';

/**
 * Reading and answering messages with a private reference. The reference only ever travels in a
 * form's body, never in the address: addresses stay in the browser's history (on a shared or
 * checked phone), in server logs and in what a link preview fetches. Each answer carries the
 * thread back, so the page shows it without the reference ever being in a link.
 */
const NOT_FOUND = () => m.ask_reply_not_found();
const BAD_REFERENCE = () => m.advocacy_ref_bad_shape();

/**
 * The thread a reference opens, or the failure to answer with instead: none found, or too many
 * lookups from this address. Every lookup counts against the address, in the database (a limit
 * for guessing), and replies count too.
 */
async function lookUp(reference: string, client: string, values: { reference: string }) {
	try {
		const thread = await asAnon(appDb(), (tx) => threadByReference(tx, reference, client));
		if (thread) return { thread };
		return { failure: fail(404, { errors: { reference: NOT_FOUND() }, values }) };
	} catch (e) {
		return { failure: limitFailure(advocacyError(e), values, 'reference') };
	}
}

export const load: PageServerLoad = ({ setHeaders }) => {
	setHeaders(PRIVATE_PAGE_HEADERS);
};

export const actions: Actions = {
	/** Open the messages for a reference (typed in, or from the "sent" page's button). */
	open: async ({ request, getClientAddress }) => {
		const raw = (await request.formData()).get('reference');
		const reference = referenceAsTyped(raw);
		const values = { reference: typeof raw === 'string' ? raw : '' };
		if (!isWellFormedReference(reference)) {
			const message = reference === '' ? m.advocacy_ref_empty() : BAD_REFERENCE();
			return fail(400, { errors: { reference: message }, values });
		}
		const found = await lookUp(reference, addressKey(getClientAddress(), 'advocacy'), values);
		if ('failure' in found) return found.failure;
		return { reference, thread: found.thread };
	},
	/** Send a reply; the thread comes back with the answer, whatever it is. */
	reply: async ({ request, getClientAddress }) => {
		const data = await request.formData();
		const reference = referenceAsTyped(data.get('reference'));
		const client = addressKey(getClientAddress(), 'advocacy');
		if (!isWellFormedReference(reference)) {
			return fail(404, { errors: { reference: NOT_FOUND() }, values: { reference: '' } });
		}
		const form = parseForm(v.object({ body: messageBody }), data);
		const withThread = async (status: number, failure: Record<string, unknown>) => {
			const found = await lookUp(reference, client, { reference: '' });
			if ('failure' in found) return found.failure;
			return fail(status, { ...failure, reference, thread: found.thread });
		};
		if (!form.ok) return withThread(400, { errors: form.errors, values: form.values });
		let posted: boolean;
		try {
			posted = await asAnon(appDb(), (tx) =>
				replyByReference(tx, reference, form.data.body, client)
			);
		} catch (e) {
			const refused = limitFailure(e, form.values, 'body');
			return withThread(refused.status, refused.data);
		}
		if (!posted) {
			return fail(404, { errors: { reference: NOT_FOUND() }, values: { reference: '' } });
		}
		const found = await lookUp(reference, client, { reference: '' });
		if ('failure' in found) return found.failure;
		return { reference, thread: found.thread, message: m.advocacy_message_sent() };
	}
};
