import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { signInLockOf, unlockSignIn } from '$lib/server/auth/throttle';
import { requireUser } from '$lib/server/guards';
import { appDb, asUser } from '$lib/server/db';
import { circleOf, removeFromCircle, youngPersonIfVisible } from '$lib/server/db/circles';
import { documentsOf } from '$lib/server/db/documents';
import { startPlan } from '$lib/server/documents/start';
import { optionalText, parseForm, requiredText } from '$lib/server/forms';
import { InviteAccountError, issueInvite } from '$lib/server/invitations';
import { practitionerOrganisation } from '$lib/server/practitioner';
import { qrDataUrl } from '$lib/server/qr';

const Id = v.pipe(v.string(), v.uuid());

const InviteFamily = v.object({
	preferredName: requiredText(() => m.invite_name_field(), 80),
	relationship: requiredText(() => m.young_person_relationship_field(), 80),
	email: v.pipe(
		optionalText(() => m.invite_email_field(), 254),
		v.check(
			(e) => e === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e),
			() => m.invite_email_invalid()
		)
	)
});

function youngPersonId(raw: string): string {
	const parsed = v.safeParse(Id, raw);
	if (!parsed.success) error(404, { message: m.young_person_not_found() });
	return parsed.output;
}

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals);
	const id = youngPersonId(params.id);
	return asUser(appDb(), user.claims, async (tx) => {
		const yp = await youngPersonIfVisible(tx, id);
		const circle = await circleOf(tx, id);
		// RLS hides the circle from anyone outside it; a profile alone is not enough to see it.
		if (!yp || circle.length === 0) error(404, { message: m.young_person_not_found() });
		const mine = circle.find((c) => c.member_id === user.id);
		const manages =
			mine?.access === 'edit' &&
			(mine.role === 'social_worker' || mine.role === 'personal_adviser');
		// Only a practitioner managing the circle learns of a sign-in lock (the database decides).
		const signInLock = manages ? await signInLockOf(tx, id) : null;
		return { youngPerson: yp, circle, manages, signInLock, documents: await documentsOf(tx, id) };
	});
};

export const actions: Actions = {
	// Starts a care plan or pathway plan from its template and opens it (documents/start.ts).
	startPlan: async ({ request, locals, params }) => {
		const user = requireUser(locals);
		return startPlan(user, youngPersonId(params.id), await request.formData());
	},
	inviteFamily: async ({ request, locals, params, url }) => {
		const user = requireUser(locals);
		const id = youngPersonId(params.id);
		const form = parseForm(InviteFamily, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const org = await asUser(appDb(), user.claims, (tx) => practitionerOrganisation(tx, user.id));
		try {
			const invite = await issueInvite(appDb(), user.claims, {
				organisationId: org.organisation_id,
				preferredName: form.data.preferredName,
				email: form.data.email,
				role: 'family_member',
				youngPersonId: id,
				relationship: form.data.relationship
			});
			const link = new URL(invite.path, url.origin).href;
			return {
				invite: {
					name: form.data.preferredName,
					url: link,
					qr: await qrDataUrl(link),
					signInName: invite.signInName
				}
			};
		} catch (e) {
			if (e instanceof InviteAccountError) {
				return fail(400, { errors: { email: e.message }, values: form.values });
			}
			throw e;
		}
	},
	unlockSignIn: async ({ locals, params }) => {
		const user = requireUser(locals);
		const id = youngPersonId(params.id);
		if (!(await unlockSignIn(appDb(), user.claims, id))) {
			return fail(403, {
				errors: { form: m.young_person_manager_only() },
				values: {}
			});
		}
		return { message: m.young_person_unlocked() };
	},
	remove: async ({ request, locals, params }) => {
		const user = requireUser(locals);
		const id = youngPersonId(params.id);
		const form = parseForm(
			v.object({
				member: v.pipe(
					v.optional(v.string(), ''),
					v.uuid(() => m.young_person_something_wrong())
				)
			}),
			await request.formData()
		);
		if (!form.ok) return fail(400, { errors: form.errors, values: {} });
		const removed = await asUser(appDb(), user.claims, (tx) =>
			removeFromCircle(tx, id, form.data.member)
		);
		if (!removed) {
			return fail(403, {
				errors: { form: m.young_person_cannot_remove() },
				values: {}
			});
		}
		return { message: m.young_person_removed() };
	}
};
