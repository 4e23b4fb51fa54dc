import { error, json } from '@sveltejs/kit';
import * as v from 'valibot';
import type { RequestHandler } from './$types';
import { signTicket, ticketSecret, ticketSession } from '$lib/server/collab/ticket';
import { config } from '$lib/server/config';
import { appDb, asUser } from '$lib/server/db';
import { documentForMe, recordRead } from '$lib/server/db/documents';
import { getProfile } from '$lib/server/db/profiles';
import { colourFor } from '$lib/server/documents/presence';
import { requireUser } from '$lib/server/guards';
import { m } from '$lib/paraglide/messages.js';

const Id = v.pipe(v.string(), v.uuid());

/**
 * Issues a short-lived ticket for the collab server: one person, one document, their access
 * level now. Opening the live document is a read of a child's document, so it is audit-logged in
 * the same transaction. Also used to refresh a live connection before the session ends.
 */
export const POST: RequestHandler = async ({ locals, params }) => {
	const user = requireUser(locals);
	const id = v.safeParse(Id, params.id);
	if (!id.success) error(404, { message: m.doc_not_found() });
	// Which session the ticket belongs to: the collab server closes the socket when it ends.
	const session = ticketSession(user.claims);
	const result = await asUser(appDb(), user.claims, async (tx) => {
		const doc = await documentForMe(tx, id.output);
		if (!doc || doc.access === 'none') return null;
		const profile = await getProfile(tx, user.id);
		await recordRead(tx, doc, user.id, doc.access === 'edit' ? 'edit' : 'view');
		return { access: doc.access, name: profile?.preferred_name ?? m.doc_someone() };
	});
	if (!result) error(404, { message: m.doc_not_found() });
	const colour = colourFor(user.id);
	const ticket = await signTicket(ticketSecret(config.collabTicketSecret()), {
		sub: user.id,
		doc: id.output,
		access: result.access,
		name: result.name,
		colour,
		...session
	});
	return json(
		{
			ticket,
			url: config.collabUrl(),
			access: result.access,
			sessionExp: session.sessionExp,
			name: result.name,
			colour
		},
		{ headers: { 'cache-control': 'no-store' } }
	);
};
