import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { AGE_BANDS } from '$lib/components/feedback/labels';
import { appDb, asUser } from '$lib/server/db';
import { addQuestion, removeQuestion, surveyQuestions } from '$lib/server/db/survey-questions';
import { closeSurvey, deleteDraft, publishSurvey, startNextRound } from '$lib/server/db/surveys';
import { requireDesignedSurvey } from '$lib/server/feedback/access';
import { readQuestionWords } from '$lib/server/feedback/question-form';
import { isUuid, optionalText, parseForm, requiredText } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import type { AgeBand, QuestionKind } from '$lib/server/db/schema-feedback';
import { m } from '$lib/paraglide/messages.js';

const KINDS: QuestionKind[] = ['scale', 'single', 'multiple', 'text', 'anything_else'];

const NewQuestion = v.object({
	kind: v.picklist(KINDS, () => m.survey_choose_kind()),
	prompt: requiredText(() => m.survey_question_name(), 300),
	simplePrompt: optionalText(() => m.survey_simple_name(), 300),
	options: v.optional(v.string(), ''),
	promptCy: optionalText(() => m.survey_prompt_cy_name(), 300),
	simplePromptCy: optionalText(() => m.survey_simple_cy_name(), 300),
	optionsCy: v.optional(v.string(), ''),
	onlyBand: v.optional(v.string(), '')
});

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		const survey = await requireDesignedSurvey(tx, user.id, params.id);
		return { survey, questions: await surveyQuestions(tx, survey.id) };
	});
};

export const actions: Actions = {
	addQuestion: async ({ request, locals, params }) => {
		const user = requireUser(locals);
		const form = parseForm(NewQuestion, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const { kind, prompt, simplePrompt, promptCy, simplePromptCy } = form.data;
		const words = readQuestionWords(form.data);
		if (!words.ok) return fail(400, { errors: words.errors, values: form.values });
		const onlyBand = AGE_BANDS.includes(form.data.onlyBand as AgeBand)
			? (form.data.onlyBand as AgeBand)
			: null;
		return asUser(appDb(), user.claims, async (tx) => {
			const survey = await requireDesignedSurvey(tx, user.id, params.id);
			if (survey.status !== 'draft') {
				return fail(400, {
					errors: { form: m.survey_locked() },
					values: form.values
				});
			}
			await addQuestion(tx, survey.id, {
				kind,
				prompt,
				simplePrompt,
				options: words.options,
				promptCy,
				simplePromptCy,
				optionsCy: words.optionsCy,
				onlyBand: onlyBand && survey.bands.includes(onlyBand) ? onlyBand : null
			});
			return { added: prompt };
		});
	},
	removeQuestion: async ({ request, locals, params }) => {
		const user = requireUser(locals);
		const questionId = String((await request.formData()).get('questionId') ?? '');
		// Only a doctored form names no question, or one not in this draft: say so, change nothing.
		const gone = {
			errors: { questionId: m.survey_question_gone() }
		};
		if (!isUuid(questionId)) return fail(400, gone);
		const removed = await asUser(appDb(), user.claims, async (tx) => {
			const survey = await requireDesignedSurvey(tx, user.id, params.id);
			return removeQuestion(tx, survey.id, questionId);
		});
		if (!removed) return fail(400, gone);
		return { removed: true };
	},
	publish: async ({ locals, params }) => {
		const user = requireUser(locals);
		return asUser(appDb(), user.claims, async (tx) => {
			const survey = await requireDesignedSurvey(tx, user.id, params.id);
			const questions = await surveyQuestions(tx, survey.id);
			if (questions.length === 0) {
				return fail(400, {
					errors: { form: m.survey_add_first() },
					values: {}
				});
			}
			await publishSurvey(tx, survey.id);
			return { published: true };
		});
	},
	close: async ({ locals, params }) => {
		const user = requireUser(locals);
		await asUser(appDb(), user.claims, async (tx) => {
			const survey = await requireDesignedSurvey(tx, user.id, params.id);
			await closeSurvey(tx, survey.id);
		});
		return { closed: true };
	},
	nextRound: async ({ locals, params }) => {
		const user = requireUser(locals);
		const id = await asUser(appDb(), user.claims, async (tx) => {
			const survey = await requireDesignedSurvey(tx, user.id, params.id);
			return startNextRound(tx, survey, user.id);
		});
		redirect(303, `/surveys/${id}`);
	},
	delete: async ({ locals, params }) => {
		const user = requireUser(locals);
		await asUser(appDb(), user.claims, async (tx) => {
			const survey = await requireDesignedSurvey(tx, user.id, params.id);
			await deleteDraft(tx, survey.id);
		});
		redirect(303, '/surveys');
	}
};
