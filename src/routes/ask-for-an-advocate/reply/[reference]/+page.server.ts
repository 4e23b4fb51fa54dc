import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { appDb, asAnon } from '$lib/server/db';
import { replyByReference, threadByReference } from '$lib/server/db/advocacy-requests';
import { parseForm } from '$lib/server/forms';
import { messageBody } from '$lib/server/advocacy/request-form';
import { AdvocacyRefusedError } from '$lib/server/advocacy/errors';
import { limitFailure, PRIVATE_PAGE_HEADERS } from '$lib/server/advocacy/pages';
import { addressKey } from '$lib/server/advocacy/address';

const NOT_FOUND = 'We could not find anything with that reference. Check it and try again.';

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	setHeaders(PRIVATE_PAGE_HEADERS);
	const thread = await asAnon(appDb(), (tx) => threadByReference(tx, params.reference));
	if (!thread) error(404, { message: NOT_FOUND });
	return { thread };
};

export const actions: Actions = {
	reply: async ({ params, request, getClientAddress }) => {
		const form = parseForm(v.object({ body: messageBody }), await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		try {
			await asAnon(appDb(), (tx) =>
				replyByReference(tx, params.reference, form.data.body, addressKey(getClientAddress()))
			);
		} catch (e) {
			if (e instanceof AdvocacyRefusedError && e.code === '42501')
				error(404, { message: NOT_FOUND });
			return limitFailure(e, form.values, 'body');
		}
		return { message: 'Your message has been sent.' };
	}
};
