import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { appDb, asUser } from '$lib/server/db';
import { discardDraft, getDraft, hasAnswered, saveDraft } from '$lib/server/db/survey-responses';
import { requireAnswerableSurvey } from '$lib/server/feedback/answering';
import { requireUser } from '$lib/server/guards';
import type { AgeBand } from '$lib/server/db/schema-feedback';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		const survey = await requireAnswerableSurvey(tx, params.id);
		return {
			survey: { id: survey.id, title: survey.title, intro: survey.intro, bands: survey.bands },
			answered: await hasAnswered(tx, survey.id, user.id),
			started: (await getDraft(tx, survey.id, user.id)) !== null,
			sent: url.searchParams.has('sent'),
			saved: url.searchParams.has('saved')
		};
	});
};

export const actions: Actions = {
	start: async ({ request, locals, params }) => {
		const user = requireUser(locals);
		const band = String((await request.formData()).get('band') ?? '');
		// The redirect happens after the transaction commits: thrown inside, it would roll back.
		const result = await asUser(appDb(), user.claims, async (tx) => {
			const survey = await requireAnswerableSurvey(tx, params.id);
			if (await hasAnswered(tx, survey.id, user.id)) {
				return fail(400, { errors: { band: m.feedback_already_answered() } });
			}
			const existing = await getDraft(tx, survey.id, user.id);
			if (existing) return { go: `/feedback/${survey.id}/1` };
			const chosen = survey.bands.length === 1 ? survey.bands[0] : (band as AgeBand);
			if (!chosen || !survey.bands.includes(chosen)) {
				return fail(400, { errors: { band: m.feedback_choose_group() } });
			}
			await saveDraft(tx, survey.id, user.id, chosen, {});
			return { go: `/feedback/${survey.id}/1` };
		});
		if ('go' in result) redirect(303, result.go);
		return result;
	},
	discard: async ({ locals, params }) => {
		const user = requireUser(locals);
		await asUser(appDb(), user.claims, async (tx) => {
			const survey = await requireAnswerableSurvey(tx, params.id);
			await discardDraft(tx, survey.id, user.id);
		});
		redirect(303, `/feedback/${params.id}`);
	}
};
