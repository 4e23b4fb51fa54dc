import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { appDb, asUser, type Tx } from '$lib/server/db';
import { circleOf } from '$lib/server/db/circles';
import { documentForMe } from '$lib/server/db/documents';
import { shareStory, sharesOf, stopSharing } from '$lib/server/db/document-shares';
import type { VerifiedUser } from '$lib/server/auth/session';
import { parseForm } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { m } from '$lib/paraglide/messages.js';

const Id = v.pipe(v.string(), v.uuid());

const ShareForm = v.object({
	person: v.pipe(
		v.optional(v.string(), ''),
		v.nonEmpty(() => m.sharing_choose_person()),
		v.uuid(() => m.sharing_choose_person())
	),
	access: v.picklist(['view', 'comment'], () => m.sharing_choose_access())
});

const StopForm = v.object({
	person: v.pipe(
		v.optional(v.string(), ''),
		v.uuid(() => m.story_something_wrong())
	)
});

/**
 * The young person's own story, or a 404: only the young person who owns a story manages who
 * sees it (RLS agrees: document_shares are theirs to change).
 */
async function myOwnStory(tx: Tx, user: VerifiedUser, rawId: string) {
	const id = v.safeParse(Id, rawId);
	if (!id.success) return null;
	const doc = await documentForMe(tx, id.output);
	if (!doc || doc.kind !== 'my_story' || doc.young_person_id !== user.id) return null;
	return doc;
}

function notFound(): never {
	error(404, { message: m.sharing_not_found() });
}

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals);
	const found = await asUser(appDb(), user.claims, async (tx) => {
		const doc = await myOwnStory(tx, user, params.id);
		if (!doc) return null;
		return { doc, shares: await sharesOf(tx, doc.id), circle: await circleOf(tx, user.id) };
	});
	if (!found) notFound();
	const inCircle = new Set(found.circle.map((c) => c.member_id));
	const sharedWith = new Set(found.shares.map((s) => s.person_id));
	return {
		story: { id: found.doc.id, title: found.doc.title },
		shares: found.shares.map((s) => ({
			personId: s.person_id,
			name: s.preferred_name,
			access: s.access,
			inCircle: inCircle.has(s.person_id)
		})),
		canShareWith: found.circle
			.filter((c) => !sharedWith.has(c.member_id))
			.map((c) => ({ personId: c.member_id, name: c.preferred_name, relationship: c.relationship }))
	};
};

export const actions: Actions = {
	share: async ({ request, locals, params }) => {
		const user = requireUser(locals);
		const form = parseForm(ShareForm, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const name = await asUser(appDb(), user.claims, async (tx) => {
			const doc = await myOwnStory(tx, user, params.id);
			if (!doc) notFound();
			const person = (await circleOf(tx, user.id)).find((c) => c.member_id === form.data.person);
			if (!person) return null;
			await shareStory(tx, {
				documentId: doc.id,
				personId: person.member_id,
				access: form.data.access,
				sharedBy: user.id
			});
			return person.preferred_name;
		});
		if (!name) {
			return fail(400, {
				errors: { person: m.sharing_only_circle() },
				values: form.values
			});
		}
		return { message: m.sharing_shared({ name }) };
	},
	stop: async ({ request, locals, params }) => {
		const user = requireUser(locals);
		const form = parseForm(StopForm, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: {} });
		const name = await asUser(appDb(), user.claims, async (tx) => {
			const doc = await myOwnStory(tx, user, params.id);
			if (!doc) notFound();
			const share = (await sharesOf(tx, doc.id)).find((s) => s.person_id === form.data.person);
			if (!share || !(await stopSharing(tx, doc.id, share.person_id))) return null;
			return share.preferred_name;
		});
		if (!name) {
			return fail(400, {
				errors: { form: m.sharing_not_shared() },
				values: {}
			});
		}
		return { message: m.sharing_stopped({ name }) };
	}
};
