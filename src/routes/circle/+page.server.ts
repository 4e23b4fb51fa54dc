import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { forbidden, requireUser } from '$lib/server/guards';
import { appDb, asUser } from '$lib/server/db';
import { addToCircle, circleOf, removeFromCircle } from '$lib/server/db/circles';
import { listAdvocates, myMemberships } from '$lib/server/db/memberships';
import { parseForm } from '$lib/server/forms';

const PickAdvocate = v.object({
	advocate: v.pipe(
		v.optional(v.string(), ''),
		v.uuid(() => m.circle_choose_from_list())
	)
});

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		const memberships = await myMemberships(tx, user.id);
		if (!memberships.some((membership) => membership.role === 'young_person')) {
			forbidden(m.circle_forbidden());
		}
		const circle = await circleOf(tx, user.id);
		const inCircle = new Set(circle.map((c) => c.member_id));
		const advocates = (await listAdvocates(tx)).filter((a) => !inCircle.has(a.id));
		return { circle, advocates };
	});
};

export const actions: Actions = {
	addAdvocate: async ({ request, locals }) => {
		const user = requireUser(locals);
		const form = parseForm(PickAdvocate, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const added = await asUser(appDb(), user.claims, async (tx) => {
			const advocates = await listAdvocates(tx);
			const advocate = advocates.find((a) => a.id === form.data.advocate);
			if (!advocate) return { refused: 'not listed' } as const;
			if ((await circleOf(tx, user.id)).some((c) => c.member_id === advocate.id)) {
				return { already: advocate.preferred_name } as const;
			}
			try {
				await addToCircle(tx, {
					youngPersonId: user.id,
					memberId: advocate.id,
					// Stored as words, so in the young person's language when they add them (like a relationship an
					// inviter types).
					relationship: m.role_advocate(),
					access: 'comment',
					addedBy: user.id
				});
			} catch (e) {
				// Row-level security decides who may add an advocate to their own circle: only a
				// young person. Anyone else is told so, not shown a server error.
				if ((e as { code?: string }).code === '42501') return { refused: 'not yours' } as const;
				throw e;
			}
			return { added: advocate.preferred_name } as const;
		});
		if ('already' in added && added.already !== undefined) {
			return { message: m.circle_already({ name: added.already }) };
		}
		if ('refused' in added) {
			return fail(added.refused === 'not yours' ? 403 : 400, {
				errors: {
					advocate:
						added.refused === 'not yours' ? m.circle_not_yours() : m.circle_choose_from_list()
				},
				values: form.values
			});
		}
		return { message: m.circle_added({ name: added.added }) };
	},
	remove: async ({ request, locals }) => {
		const user = requireUser(locals);
		const form = parseForm(
			v.object({
				member: v.pipe(
					v.optional(v.string(), ''),
					v.uuid(() => m.circle_something_wrong())
				)
			}),
			await request.formData()
		);
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		// RLS lets a young person remove only an advocate; anyone else stays (returns false).
		const removed = await asUser(appDb(), user.claims, (tx) =>
			removeFromCircle(tx, user.id, form.data.member)
		);
		if (!removed) {
			return fail(403, {
				errors: {
					form: m.circle_remove_refused()
				},
				values: {}
			});
		}
		return { message: m.circle_removed() };
	}
};
