import type { Locale } from '$lib/i18n';
import { m } from '$lib/paraglide/messages.js';
import {
	isPromptId,
	promptWords,
	type PromptAttrs,
	type PromptId,
	type PromptWords
} from './prompts';

/**
 * Template prompts in the reader's language. A prompt node carries a stable id and its English
 * words (see prompts.ts); every id has a heading and a question in each catalogue
 * (`prompt_<id>_heading`, `prompt_<id>_prompt`), so a Welsh reader sees Welsh questions in the
 * same document an English reader sees in English. The editor shows them in the page's language,
 * the server's renders in the request's (or the one chosen for a print).
 *
 * Not in prompts.ts: the collab server imports that with Node's type stripping, and it cannot
 * load the compiled catalogues (nor needs to: it compares prompts by id, never by words).
 */

type Words = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

/** Each prompt's catalogue messages, by id; TypeScript keeps it in step with PROMPTS. */
export const PROMPT_MESSAGES: Readonly<Record<PromptId, { heading: Words; prompt: Words }>> = {
	'care_plan.about_me': {
		heading: m.prompt_care_plan_about_me_heading,
		prompt: m.prompt_care_plan_about_me_prompt
	},
	'care_plan.wishes_and_feelings': {
		heading: m.prompt_care_plan_wishes_and_feelings_heading,
		prompt: m.prompt_care_plan_wishes_and_feelings_prompt
	},
	'care_plan.where_i_live': {
		heading: m.prompt_care_plan_where_i_live_heading,
		prompt: m.prompt_care_plan_where_i_live_prompt
	},
	'care_plan.family_and_friends': {
		heading: m.prompt_care_plan_family_and_friends_heading,
		prompt: m.prompt_care_plan_family_and_friends_prompt
	},
	'care_plan.health': {
		heading: m.prompt_care_plan_health_heading,
		prompt: m.prompt_care_plan_health_prompt
	},
	'care_plan.school_and_learning': {
		heading: m.prompt_care_plan_school_and_learning_heading,
		prompt: m.prompt_care_plan_school_and_learning_prompt
	},
	'care_plan.who_i_am': {
		heading: m.prompt_care_plan_who_i_am_heading,
		prompt: m.prompt_care_plan_who_i_am_prompt
	},
	'care_plan.feelings_and_behaviour': {
		heading: m.prompt_care_plan_feelings_and_behaviour_heading,
		prompt: m.prompt_care_plan_feelings_and_behaviour_prompt
	},
	'care_plan.looking_after_myself': {
		heading: m.prompt_care_plan_looking_after_myself_heading,
		prompt: m.prompt_care_plan_looking_after_myself_prompt
	},
	'care_plan.next_steps': {
		heading: m.prompt_care_plan_next_steps_heading,
		prompt: m.prompt_care_plan_next_steps_prompt
	},
	'care_plan.long_term_plan': {
		heading: m.prompt_care_plan_long_term_plan_heading,
		prompt: m.prompt_care_plan_long_term_plan_prompt
	},
	'care_plan.iro': {
		heading: m.prompt_care_plan_iro_heading,
		prompt: m.prompt_care_plan_iro_prompt
	},
	'pathway_plan.support_and_contact': {
		heading: m.prompt_pathway_plan_support_and_contact_heading,
		prompt: m.prompt_pathway_plan_support_and_contact_prompt
	},
	'pathway_plan.education_or_training': {
		heading: m.prompt_pathway_plan_education_or_training_heading,
		prompt: m.prompt_pathway_plan_education_or_training_prompt
	},
	'pathway_plan.work': {
		heading: m.prompt_pathway_plan_work_heading,
		prompt: m.prompt_pathway_plan_work_prompt
	},
	'pathway_plan.if_things_go_wrong': {
		heading: m.prompt_pathway_plan_if_things_go_wrong_heading,
		prompt: m.prompt_pathway_plan_if_things_go_wrong_prompt
	},
	'pathway_plan.where_i_live': {
		heading: m.prompt_pathway_plan_where_i_live_heading,
		prompt: m.prompt_pathway_plan_where_i_live_prompt
	},
	'pathway_plan.family_and_friends': {
		heading: m.prompt_pathway_plan_family_and_friends_heading,
		prompt: m.prompt_pathway_plan_family_and_friends_prompt
	},
	'pathway_plan.living_skills': {
		heading: m.prompt_pathway_plan_living_skills_heading,
		prompt: m.prompt_pathway_plan_living_skills_prompt
	},
	'pathway_plan.money': {
		heading: m.prompt_pathway_plan_money_heading,
		prompt: m.prompt_pathway_plan_money_prompt
	},
	'pathway_plan.health_and_wellbeing': {
		heading: m.prompt_pathway_plan_health_and_wellbeing_heading,
		prompt: m.prompt_pathway_plan_health_and_wellbeing_prompt
	},
	'pathway_plan.who_i_am': {
		heading: m.prompt_pathway_plan_who_i_am_heading,
		prompt: m.prompt_pathway_plan_who_i_am_prompt
	},
	'my_story.about_me': {
		heading: m.prompt_my_story_about_me_heading,
		prompt: m.prompt_my_story_about_me_prompt
	},
	'my_story.people_who_matter': {
		heading: m.prompt_my_story_people_who_matter_heading,
		prompt: m.prompt_my_story_people_who_matter_prompt
	},
	'my_story.places_i_have_lived': {
		heading: m.prompt_my_story_places_i_have_lived_heading,
		prompt: m.prompt_my_story_places_i_have_lived_prompt
	},
	'my_story.my_schools': {
		heading: m.prompt_my_story_my_schools_heading,
		prompt: m.prompt_my_story_my_schools_prompt
	},
	'my_story.a_day_i_remember': {
		heading: m.prompt_my_story_a_day_i_remember_heading,
		prompt: m.prompt_my_story_a_day_i_remember_prompt
	},
	'my_story.my_hopes': {
		heading: m.prompt_my_story_my_hopes_heading,
		prompt: m.prompt_my_story_my_hopes_prompt
	}
};

/**
 * The words to show for a prompt node: the catalogue's for its id, in `locale` (default: the
 * page's or the request's language), else the English words stored on the node (an id from a
 * newer template, or one since retired). Never anyone's own words.
 */
export function localPromptWords(
	attrs: Partial<Record<keyof PromptAttrs, unknown>>,
	locale?: Locale
): PromptWords {
	if (!isPromptId(attrs.promptId)) return promptWords(attrs);
	const messages = PROMPT_MESSAGES[attrs.promptId];
	const options = locale ? { locale } : {};
	return { heading: messages.heading({}, options), prompt: messages.prompt({}, options) };
}
