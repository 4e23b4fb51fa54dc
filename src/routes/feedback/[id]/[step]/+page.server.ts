import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { optionLabels, wordingFor } from '$lib/components/feedback/labels';
import { HTML_LANG } from '$lib/i18n';
import { appDb, asUser } from '$lib/server/db';
import { saveDraft } from '$lib/server/db/survey-responses';
import { readAnswer } from '$lib/server/feedback/answers';
import { loadProgress } from '$lib/server/feedback/answering';
import { requireUser } from '$lib/server/guards';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';

function stepNumber(step: string, count: number): number {
	const n = Number(step);
	if (!Number.isInteger(n) || n < 1 || n > count)
		error(404, { message: m.feedback_no_such_question() });
	return n;
}

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals);
	const { survey, progress } = await asUser(appDb(), user.claims, (tx) =>
		loadProgress(tx, user.id, params.id)
	);
	if (!progress) redirect(303, `/feedback/${survey.id}`);
	const n = stepNumber(params.step, progress.questions.length);
	const q = progress.questions[n - 1]!;
	// In the reader's language if the designer wrote it so, else English (marked with its lang).
	const wording = wordingFor(q, progress.band);
	const prompt = wording.prompt;
	const options = optionLabels(q);
	return {
		survey: { id: survey.id, title: survey.title },
		step: n,
		count: progress.questions.length,
		question: {
			id: q.id,
			kind: q.kind,
			prompt,
			options: wording.options,
			lang: HTML_LANG[wording.lang]
		},
		answer: progress.answers[q.id] ?? null,
		// Read aloud, question then answers, in one language, the question's: a scale's words are the page's own, so they
		// are left out when the question is in another language (the faces still say them).
		readAloud: [
			prompt,
			...(q.kind === 'text' ||
			q.kind === 'anything_else' ||
			(q.kind === 'scale' && wording.lang !== getLocale())
				? []
				: options)
		]
	};
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const user = requireUser(locals);
		const formData = await request.formData();
		const go = String(formData.get('go') ?? 'next');
		const result = await asUser(appDb(), user.claims, async (tx) => {
			const { survey, progress } = await loadProgress(tx, user.id, params.id);
			if (!progress) return { to: `/feedback/${survey.id}` };
			const n = stepNumber(params.step, progress.questions.length);
			const q = progress.questions[n - 1]!;
			const answer = readAnswer(q, formData);
			if (!answer.ok) return fail(400, { error: answer.error });
			const answers = { ...progress.answers };
			if (answer.value === null) delete answers[q.id];
			else answers[q.id] = answer.value;
			await saveDraft(tx, survey.id, user.id, progress.band, answers);
			if (go === 'later') return { to: `/feedback/${survey.id}?saved` };
			if (go === 'back') return { to: `/feedback/${survey.id}/${Math.max(1, n - 1)}` };
			return {
				to:
					n >= progress.questions.length
						? `/feedback/${survey.id}/check`
						: `/feedback/${survey.id}/${n + 1}`
			};
		});
		if ('to' in result) redirect(303, result.to);
		return result;
	}
};
