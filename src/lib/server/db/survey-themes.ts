import type { Tx } from './survey-tx';

/** A survey's themes, by name (RLS: its designers). */
export async function surveyThemes(tx: Tx, surveyId: string) {
	return tx
		.selectFrom('survey_themes')
		.select(['id', 'name'])
		.where('survey_id', '=', surveyId)
		.orderBy('name')
		.execute();
}

/** Adds a theme; a name already used for this survey is kept once. */
export async function addTheme(tx: Tx, surveyId: string, name: string): Promise<void> {
	await tx
		.insertInto('survey_themes')
		.values({ survey_id: surveyId, name })
		.onConflict((oc) => oc.columns(['survey_id', 'name']).doNothing())
		.execute();
}
