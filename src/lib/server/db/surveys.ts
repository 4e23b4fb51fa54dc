import { sql } from 'kysely';
import type { Tx } from './survey-tx';
import type { MemberRole } from './schema';
import type { AgeBand, SurveyStatus } from './schema-feedback';

/** A survey as the pages use it. Enum arrays are read as text[] (pg cannot parse enum arrays). */
export interface Survey {
	id: string;
	organisation_id: string;
	title: string;
	intro: string | null;
	audience: MemberRole[];
	bands: AgeBand[];
	status: SurveyStatus;
	series_id: string;
	round: number;
	published_at: Date | null;
}

function surveyColumns(tx: Tx) {
	return tx
		.selectFrom('surveys as s')
		.select([
			's.id',
			's.organisation_id',
			's.title',
			's.intro',
			sql<MemberRole[]>`s.audience::text[]`.as('audience'),
			sql<AgeBand[]>`s.bands::text[]`.as('bands'),
			's.status',
			's.series_id',
			's.round',
			's.published_at'
		]);
}

/** The organisation where the caller is a service designer (the first, by name), or null. */
export async function designerOrganisation(tx: Tx, userId: string) {
	return (
		(await tx
			.selectFrom('memberships as m')
			.innerJoin('organisations as o', 'o.id', 'm.organisation_id')
			.select(['o.id', 'o.name'])
			.where('m.user_id', '=', userId)
			.where('m.role', '=', 'service_designer')
			.orderBy('o.name')
			.executeTakeFirst()) ?? null
	);
}

/** Every survey of an organisation, newest first (RLS: its designers only). */
export async function organisationSurveys(tx: Tx, organisationId: string): Promise<Survey[]> {
	return surveyColumns(tx)
		.where('s.organisation_id', '=', organisationId)
		.orderBy('s.created_at', 'desc')
		.execute();
}

/** One survey the caller may see (designer, or in its audience while published), or null. */
export async function getSurvey(tx: Tx, id: string): Promise<Survey | null> {
	return (await surveyColumns(tx).where('s.id', '=', id).executeTakeFirst()) ?? null;
}

/** The rounds of a survey's series, oldest first: the basis of trends. */
export async function surveyRounds(tx: Tx, seriesId: string): Promise<Survey[]> {
	return surveyColumns(tx).where('s.series_id', '=', seriesId).orderBy('s.round').execute();
}

export interface NewSurvey {
	organisationId: string;
	title: string;
	intro: string | null;
	audience: MemberRole[];
	bands: AgeBand[];
	createdBy: string;
}

/** Creates a draft survey; RLS allows the organisation's service designers only. */
export async function createSurvey(tx: Tx, survey: NewSurvey): Promise<string> {
	const row = await tx
		.insertInto('surveys')
		.values({
			organisation_id: survey.organisationId,
			title: survey.title,
			intro: survey.intro,
			audience: survey.audience,
			bands: survey.bands,
			created_by: survey.createdBy
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** Opens a draft to its audience. Questions can no longer change once published. */
export async function publishSurvey(tx: Tx, id: string): Promise<boolean> {
	const result = await tx
		.updateTable('surveys')
		.set({ status: 'published', published_at: new Date() })
		.where('id', '=', id)
		.where('status', '=', 'draft')
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}

/** Stops taking answers; results and actions stay. */
export async function closeSurvey(tx: Tx, id: string): Promise<boolean> {
	const result = await tx
		.updateTable('surveys')
		.set({ status: 'closed' })
		.where('id', '=', id)
		.where('status', '=', 'published')
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}

/** Deletes a draft (RLS refuses published surveys: their answers are kept). */
export async function deleteDraft(tx: Tx, id: string): Promise<boolean> {
	const result = await tx.deleteFrom('surveys').where('id', '=', id).executeTakeFirst();
	return result.numDeletedRows > 0n;
}

/**
 * Starts the next round of a survey as a new draft with the same questions and question keys, so
 * results can be compared between rounds.
 */
export async function startNextRound(tx: Tx, survey: Survey, createdBy: string): Promise<string> {
	const last = await tx
		.selectFrom('surveys')
		.select((eb) => eb.fn.max('round').as('round'))
		.where('series_id', '=', survey.series_id)
		.executeTakeFirstOrThrow();
	const row = await tx
		.insertInto('surveys')
		.values({
			organisation_id: survey.organisation_id,
			title: survey.title,
			intro: survey.intro,
			audience: survey.audience,
			bands: survey.bands,
			series_id: survey.series_id,
			round: Number(last.round ?? survey.round) + 1,
			created_by: createdBy
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await tx
		.insertInto('survey_questions')
		.columns([
			'survey_id',
			'position',
			'kind',
			'key',
			'prompt',
			'simple_prompt',
			'options',
			'only_band',
			'prompt_cy',
			'simple_prompt_cy',
			'options_cy'
		])
		.expression((eb) =>
			eb
				.selectFrom('survey_questions')
				.select([
					eb.val(row.id).as('survey_id'),
					'position',
					'kind',
					'key',
					'prompt',
					'simple_prompt',
					'options',
					'only_band',
					'prompt_cy',
					'simple_prompt_cy',
					'options_cy'
				])
				.where('survey_id', '=', survey.id)
		)
		.execute();
	return row.id;
}

/**
 * Surveys published to the caller that they have not answered yet, with whether they have
 * unfinished answers saved. RLS shows only surveys published to their audience.
 */
export async function surveysToAnswer(tx: Tx, userId: string) {
	return tx
		.selectFrom('surveys as s')
		.leftJoin('survey_drafts as d', (j) =>
			j.onRef('d.survey_id', '=', 's.id').on('d.user_id', '=', userId)
		)
		.select(['s.id', 's.title', sql<boolean>`d.survey_id is not null`.as('started')])
		.where('s.status', '=', 'published')
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('survey_participation as p')
						.select('p.survey_id')
						.whereRef('p.survey_id', '=', 's.id')
						.where('p.user_id', '=', userId)
				)
			)
		)
		.orderBy('s.published_at', 'desc')
		.execute();
}
