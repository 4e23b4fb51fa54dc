import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { appDb, asUser } from '$lib/server/db';
import { addAction, surveyActions, updateActionProgress } from '$lib/server/db/survey-actions';
import { surveyQuestions } from '$lib/server/db/survey-questions';
import { wordingFor } from '$lib/components/feedback/labels';
import { surveyThemes } from '$lib/server/db/survey-themes';
import { requireDesignedSurvey } from '$lib/server/feedback/access';
import { checkbox, isUuid, parseForm, requiredText } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { m } from '$lib/paraglide/messages.js';

const STATUSES = ['planned', 'in_progress', 'done'] as const;
const progress = v.pipe(
	v.optional(v.string(), '0'),
	v.transform((s) => (s.trim() === '' ? 0 : Number(s))),
	v.number(),
	v.integer(() => m.said_did_progress_whole()),
	v.minValue(0, () => m.said_did_progress_whole()),
	v.maxValue(100, () => m.said_did_progress_whole())
);
const optionalId = v.pipe(
	v.optional(v.string(), ''),
	v.transform((s) => (isUuid(s) ? s : null))
);

const NewAction = v.object({
	youSaid: requiredText(() => m.said_did_you_said_name(), 300),
	weDid: requiredText(() => m.said_did_we_did_name(), 600),
	ownerName: requiredText(() => m.said_did_owner_name(), 120),
	status: v.picklist(STATUSES, () => m.said_did_choose_status()),
	progress,
	published: checkbox,
	questionId: optionalId,
	themeId: optionalId
});

const Progress = v.object({
	actionId: v.pipe(
		v.string(),
		v.uuid(() => m.said_did_choose_action())
	),
	status: v.picklist(STATUSES, () => m.said_did_choose_status()),
	progress,
	published: checkbox
});

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		const survey = await requireDesignedSurvey(tx, user.id, params.id);
		return {
			survey,
			questions: (await surveyQuestions(tx, survey.id)).map((q) => ({
				id: q.id,
				prompt: wordingFor(q, null).prompt
			})),
			themes: await surveyThemes(tx, survey.id),
			actions: await surveyActions(tx, survey.id)
		};
	});
};

export const actions: Actions = {
	add: async ({ request, locals, params }) => {
		const user = requireUser(locals);
		const form = parseForm(NewAction, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		if (!form.data.questionId && !form.data.themeId) {
			return fail(400, {
				errors: { questionId: m.said_did_link_needed() },
				values: form.values
			});
		}
		await asUser(appDb(), user.claims, async (tx) => {
			const survey = await requireDesignedSurvey(tx, user.id, params.id);
			await addAction(tx, survey.organisation_id, survey.id, user.id, form.data);
		});
		return { added: true };
	},
	progress: async ({ request, locals, params }) => {
		const user = requireUser(locals);
		const form = parseForm(Progress, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		await asUser(appDb(), user.claims, async (tx) => {
			const survey = await requireDesignedSurvey(tx, user.id, params.id);
			const { actionId, status, progress: p, published } = form.data;
			await updateActionProgress(tx, survey.id, actionId, status, p, published);
		});
		return { updated: true };
	}
};
