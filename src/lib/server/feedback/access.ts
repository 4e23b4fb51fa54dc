import { error } from '@sveltejs/kit';
import type { Tx } from '../db/survey-tx';
import { designerOrganisation, getSurvey, type Survey } from '../db/surveys';
import { forbidden } from '../guards';
import { isUuid } from '../forms';
import { m } from '../../paraglide/messages.js';

/** The caller's organisation as a service designer, or a 403 with words they can act on. */
export async function requireDesigner(tx: Tx, userId: string) {
	const org = await designerOrganisation(tx, userId);
	if (!org) forbidden(m.survey_designers_only());
	return org;
}

/**
 * A survey the caller designs, or a 404 (RLS already hides other organisations' surveys, and a
 * survey they may only answer is not theirs to change).
 */
export async function requireDesignedSurvey(tx: Tx, userId: string, id: string): Promise<Survey> {
	const org = await requireDesigner(tx, userId);
	const survey = isUuid(id) ? await getSurvey(tx, id) : null;
	if (!survey || survey.organisation_id !== org.id) error(404, { message: m.survey_not_found() });
	return survey;
}
