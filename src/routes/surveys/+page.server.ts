import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { AGE_BANDS } from '$lib/components/feedback/labels';
import { appDb, asUser } from '$lib/server/db';
import { createSurvey, organisationSurveys } from '$lib/server/db/surveys';
import { requireDesigner } from '$lib/server/feedback/access';
import { optionalText, parseForm, requiredText } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import type { AgeBand } from '$lib/server/db/schema-feedback';
import type { MemberRole } from '$lib/server/db/schema';
import { m } from '$lib/paraglide/messages.js';

const NewSurvey = v.object({
	title: requiredText(() => m.survey_title_name(), 120),
	intro: optionalText(() => m.survey_intro_name(), 1000)
});

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		const org = await requireDesigner(tx, user.id);
		return { organisationName: org.name, surveys: await organisationSurveys(tx, org.id) };
	});
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const user = requireUser(locals);
		const formData = await request.formData();
		const form = parseForm(NewSurvey, formData);
		const bands = formData
			.getAll('bands')
			.filter((b): b is AgeBand => AGE_BANDS.includes(b as AgeBand));
		const audience = formData
			.getAll('audience')
			.filter((a): a is MemberRole => a === 'young_person' || a === 'family_member');
		const errors = form.ok ? {} : { ...form.errors };
		if (bands.length === 0) errors.bands = m.survey_choose_bands();
		if (audience.length === 0) errors.audience = m.survey_choose_audience();
		const values = { ...form.values, bands: bands.join(','), audience: audience.join(',') };
		if (!form.ok || Object.keys(errors).length > 0) return fail(400, { errors, values });
		const id = await asUser(appDb(), user.claims, async (tx) => {
			const org = await requireDesigner(tx, user.id);
			return createSurvey(tx, {
				organisationId: org.id,
				title: form.data.title,
				intro: form.data.intro,
				audience,
				bands,
				createdBy: user.id
			});
		});
		redirect(303, `/surveys/${id}`);
	}
};
