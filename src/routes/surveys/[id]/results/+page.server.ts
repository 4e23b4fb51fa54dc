import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { appDb, asUser } from '$lib/server/db';
import {
	tagTextAnswer,
	textAnswers,
	themeCounts,
	surveyReach
} from '$lib/server/db/survey-results';
import { addTheme, surveyThemes } from '$lib/server/db/survey-themes';
import { requireDesignedSurvey } from '$lib/server/feedback/access';
import { resultsPage } from '$lib/server/feedback/report';
import { isUuid, parseForm, requiredText } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		const survey = await requireDesignedSurvey(tx, user.id, params.id);
		const page = await resultsPage(tx, survey);
		const themes = await surveyThemes(tx, survey.id);
		const counts = new Map((await themeCounts(tx, survey.id)).map((t) => [t.theme_id, t.n]));
		const texts: Record<string, Awaited<ReturnType<typeof textAnswers>>> = {};
		for (const q of page.view.questions) {
			if (q.kind === 'text' || q.kind === 'anything_else')
				texts[q.id] = await textAnswers(tx, q.id, 50);
		}
		return {
			survey,
			...page,
			reach: await surveyReach(tx, survey.id),
			themes: themes.map((t) => ({ ...t, n: counts.get(t.id) ?? 0 })),
			texts
		};
	});
};

export const actions: Actions = {
	addTheme: async ({ request, locals, params }) => {
		const user = requireUser(locals);
		const form = parseForm(
			v.object({ name: requiredText(() => m.survey_theme_name(), 80) }),
			await request.formData()
		);
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		await asUser(appDb(), user.claims, async (tx) => {
			const survey = await requireDesignedSurvey(tx, user.id, params.id);
			await addTheme(tx, survey.id, form.data.name);
		});
		return { themeAdded: form.data.name };
	},
	tag: async ({ request, locals, params }) => {
		const user = requireUser(locals);
		const data = await request.formData();
		const answerId = String(data.get('answerId') ?? '');
		const themeId = String(data.get('themeId') ?? '');
		const tagged = data.get('tagged') !== 'false';
		if (!isUuid(answerId) || !isUuid(themeId)) {
			return fail(400, { errors: { form: m.survey_choose_theme() }, values: {} });
		}
		await asUser(appDb(), user.claims, async (tx) => {
			await requireDesignedSurvey(tx, user.id, params.id);
			await tagTextAnswer(tx, answerId, themeId, tagged);
		});
		return { tagged: true };
	}
};
