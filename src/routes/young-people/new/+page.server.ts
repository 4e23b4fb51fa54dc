import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { requireUser } from '$lib/server/guards';
import { appDb, asUser } from '$lib/server/db';
import { optionalText, parseForm, requiredText } from '$lib/server/forms';
import { InviteAccountError, issueInvite } from '$lib/server/invitations';
import { practitionerOrganisation } from '$lib/server/practitioner';
import { qrDataUrl } from '$lib/server/qr';
import { ROLE_LABELS } from '$lib/roles';

const InviteYoungPerson = v.object({
	preferredName: requiredText(() => m.invite_name_field(), 80),
	email: v.pipe(
		optionalText(() => m.invite_email_field(), 254),
		v.check(
			(e) => e === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e),
			() => m.invite_email_invalid()
		)
	)
});

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireUser(locals);
	const org = await asUser(appDb(), user.claims, (tx) => practitionerOrganisation(tx, user.id));
	return { organisationName: org.organisation_name };
};

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		const user = requireUser(locals);
		const form = parseForm(InviteYoungPerson, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const org = await asUser(appDb(), user.claims, (tx) => practitionerOrganisation(tx, user.id));
		try {
			const invite = await issueInvite(appDb(), user.claims, {
				organisationId: org.organisation_id,
				preferredName: form.data.preferredName,
				email: form.data.email,
				role: 'young_person',
				youngPersonId: null,
				relationship: ROLE_LABELS[org.role]
			});
			const link = new URL(invite.path, url.origin).href;
			return {
				invite: {
					name: form.data.preferredName,
					url: link,
					qr: await qrDataUrl(link),
					signInName: invite.signInName,
					youngPersonId: invite.inviteeId
				}
			};
		} catch (e) {
			if (e instanceof InviteAccountError) {
				return fail(400, { errors: { email: e.message }, values: form.values });
			}
			throw e;
		}
	}
};
