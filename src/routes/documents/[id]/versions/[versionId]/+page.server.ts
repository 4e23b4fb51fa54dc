import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { appDb, asUser } from '$lib/server/db';
import { getVersion } from '$lib/server/db/document-versions';
import { AlreadySignedError, signOff } from '$lib/server/db/document-signoffs';
import { documentForMe } from '$lib/server/db/documents';
import { parseForm } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { m } from '$lib/paraglide/messages.js';
import { idOrNotFound, loadVersion, notFound, versionNotFound } from '../record';

const SignOff = v.object({
	answer: v.picklist(['agree', 'disagree'], () => m.record_choose_answer()),
	reason: v.pipe(
		v.optional(v.string(), ''),
		v.trim(),
		v.maxLength(2000, () => m.record_reason_too_long())
	)
});

/** One version: what it says and who has signed it off. Reading it is audit-logged. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals);
	return loadVersion(
		user,
		idOrNotFound(params.id),
		idOrNotFound(params.versionId, versionNotFound),
		'view'
	);
};

export const actions: Actions = {
	/** "I agree" or "I don't agree, because …": kept with the version forever. */
	signoff: async ({ locals, params, request }) => {
		const user = requireUser(locals);
		const documentId = idOrNotFound(params.id);
		const versionId = idOrNotFound(params.versionId, versionNotFound);
		const form = parseForm(SignOff, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const { answer, reason } = form.data;
		if (answer === 'disagree' && reason === '') {
			return fail(400, {
				errors: { reason: m.record_say_why() },
				values: form.values
			});
		}
		const outcome = await asUser(appDb(), user.claims, async (tx) => {
			const doc = await documentForMe(tx, documentId);
			if (!doc || doc.access === 'none') return 'not found' as const;
			const version = await getVersion(tx, doc.id, versionId);
			if (!version) return 'not found' as const;
			if (!version.may_sign) return 'may not sign' as const;
			try {
				await signOff(tx, {
					versionId: version.id,
					signerId: user.id,
					agrees: answer === 'agree',
					reason: answer === 'agree' ? null : reason
				});
			} catch (e) {
				if (e instanceof AlreadySignedError) return 'already signed' as const;
				throw e;
			}
			return 'signed' as const;
		});
		if (outcome === 'not found') notFound();
		if (outcome === 'may not sign') {
			return fail(403, {
				errors: { answer: m.record_may_not_sign() },
				values: form.values
			});
		}
		if (outcome === 'already signed') {
			return fail(409, {
				errors: { answer: m.record_already_signed() },
				values: form.values
			});
		}
		return { signed: answer };
	}
};
