import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { optionLabels, wordingFor } from '$lib/components/feedback/labels';
import { HTML_LANG } from '$lib/i18n';
import { appDb, asUser } from '$lib/server/db';
import {
	AlreadyAnsweredError,
	ResponseRefusedError,
	submitResponse
} from '$lib/server/db/survey-responses';
import { loadProgress } from '$lib/server/feedback/answering';
import { requireUser } from '$lib/server/guards';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals);
	const { survey, progress } = await asUser(appDb(), user.claims, (tx) =>
		loadProgress(tx, user.id, params.id)
	);
	if (!progress) redirect(303, `/feedback/${survey.id}`);
	return {
		survey: { id: survey.id, title: survey.title },
		answers: progress.questions.map((q, i) => {
			const a = progress.answers[q.id];
			const labels = optionLabels(q);
			const wording = wordingFor(q, progress.band);
			return {
				step: i + 1,
				prompt: wording.prompt,
				lang: HTML_LANG[wording.lang],
				answer:
					a === undefined
						? m.feedback_skipped()
						: typeof a === 'string'
							? a
							: a.map((n) => labels[n - 1] ?? '').join(', ')
			};
		})
	};
};

export const actions: Actions = {
	default: async ({ locals, params }) => {
		const user = requireUser(locals);
		try {
			await asUser(appDb(), user.claims, async (tx) => {
				const { survey, progress } = await loadProgress(tx, user.id, params.id);
				if (!progress) throw new ResponseRefusedError(m.feedback_start_first());
				await submitResponse(tx, survey.id, progress.band, progress.answers);
			});
		} catch (e) {
			if (e instanceof AlreadyAnsweredError || e instanceof ResponseRefusedError) {
				return fail(400, { error: e.message });
			}
			throw e;
		}
		redirect(303, `/feedback/${params.id}?sent`);
	}
};
