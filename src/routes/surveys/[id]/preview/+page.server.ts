import type { PageServerLoad } from './$types';
import { promptFor } from '$lib/components/feedback/labels';
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
		const questions = questionsForBand(await surveyQuestions(tx, survey.id), band).map((q) => ({
			id: q.id,
			kind: q.kind,
			options: q.options,
			prompt: promptFor(q, band)
		}));
		return { survey, band, questions };
	});
};
