import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { PRIVATE_PAGE_HEADERS } from '$lib/server/advocacy/pages';

export const load: PageServerLoad = ({ setHeaders }) => {
	setHeaders(PRIVATE_PAGE_HEADERS);
};

export const actions: Actions = {
	/** For someone who wrote their reference down rather than keeping the link. */
	default: async ({ request }) => {
		const raw = (await request.formData()).get('reference');
		const reference = typeof raw === 'string' ? raw.replace(/\s+/g, '') : '';
		if (!/^[A-Za-z0-9_-]{24}$/.test(reference)) {
			return fail(400, {
				errors: { reference: 'Please enter your reference: 24 letters, numbers, - or _.' },
				values: { reference: typeof raw === 'string' ? raw : '' }
			});
		}
		redirect(303, `/ask-for-an-advocate/reply/${reference}`);
	}
};
