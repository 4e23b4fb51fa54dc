import type { RequestHandler } from './$types';
import { appDb, asUser } from '$lib/server/db';
import { requireDesignedSurvey } from '$lib/server/feedback/access';
import { resultsCsv } from '$lib/server/feedback/csv';
import { surveyView } from '$lib/server/feedback/report';
import { requireUser } from '$lib/server/guards';

/** The results as CSV, from the same suppressed figures as the page: hidden stays hidden. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const user = requireUser(locals);
	const { csv, title } = await asUser(appDb(), user.claims, async (tx) => {
		const survey = await requireDesignedSurvey(tx, user.id, params.id);
		return { csv: resultsCsv(survey.title, await surveyView(tx, survey)), title: survey.title };
	});
	const name =
		title
			.replace(/[^a-z0-9]+/gi, '-')
			.replace(/^-|-$/g, '')
			.toLowerCase() || 'survey';
	return new Response(csv, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${name}-results.csv"`,
			'Cache-Control': 'no-store'
		}
	});
};
