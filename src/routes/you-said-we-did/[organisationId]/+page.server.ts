import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { appDb, asAnon } from '$lib/server/db';
import { publicActions } from '$lib/server/db/survey-actions';
import { isUuid } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

/** Public: an organisation's published "you said, we did" actions, read as anon. */
export const load: PageServerLoad = async ({ params }) => {
	if (!isUuid(params.organisationId)) error(404, { message: m.said_did_not_found() });
	const rows = await asAnon(appDb(), (tx) => publicActions(tx, params.organisationId));
	if (rows.length === 0) error(404, { message: m.said_did_nothing_yet() });
	return {
		organisationName: rows[0]!.organisation_name,
		actions: rows.map((r) => ({
			id: r.id,
			youSaid: r.you_said,
			weDid: r.we_did,
			status: r.status,
			progress: r.progress
		}))
	};
};
