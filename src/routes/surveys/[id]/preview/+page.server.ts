import type { PageServerLoad } from './$types';
import { wordingFor } from '$lib/components/feedback/labels';
import { HTML_LANG } from '$lib/i18n';
import { appDb, asUser } from '$lib/server/db';
import { questionsForBand, surveyQuestions } from '$lib/server/db/survey-questions';
import { requireDesignedSurvey } from '$lib/server/feedback/access';
import { requireUser } from '$lib/server/guards';
import type { AgeBand } from '$lib/server/db/schema-feedback';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		const survey = await requireDesignedSurvey(tx, user.id, params.id);
		const asked = url.searchParams.get('band') as AgeBand | null;
		const band = asked && survey.bands.includes(asked) ? asked : survey.bands[0]!;
		const questions = questionsForBand(await surveyQuestions(tx, survey.id), band).map((q) => {
			const wording = wordingFor(q, band);
			return {
				id: q.id,
				kind: q.kind,
				options: wording.options,
				prompt: wording.prompt,
				lang: HTML_LANG[wording.lang]
			};
		});
		return { survey, band, questions };
	});
};
