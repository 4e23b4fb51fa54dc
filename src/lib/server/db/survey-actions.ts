import { sql } from 'kysely';
import type { Tx } from './survey-tx';
import type { ActionStatus } from './schema-feedback';

/** A survey's "you said, we did" actions, newest first (RLS: its organisation's designers). */
export async function surveyActions(tx: Tx, surveyId: string) {
	return tx
		.selectFrom('survey_actions as a')
		.leftJoin('survey_questions as q', 'q.id', 'a.question_id')
		.leftJoin('survey_themes as t', 't.id', 'a.theme_id')
		.select([
			'a.id',
			'a.you_said',
			'a.we_did',
			'a.owner_name',
			'a.status',
			'a.progress',
			'a.published',
			'a.question_id',
			'a.theme_id',
			'q.prompt as question_prompt',
			't.name as theme_name'
		])
		.where('a.survey_id', '=', surveyId)
		.orderBy('a.created_at', 'desc')
		.execute();
}

export interface ActionFields {
	youSaid: string;
	weDid: string;
	ownerName: string;
	status: ActionStatus;
	progress: number;
	published: boolean;
	questionId: string | null;
	themeId: string | null;
}

/** Adds an action for a survey of the caller's organisation (RLS: its designers). */
export async function addAction(
	tx: Tx,
	organisationId: string,
	surveyId: string,
	createdBy: string,
	a: ActionFields
): Promise<void> {
	await tx
		.insertInto('survey_actions')
		.values({
			organisation_id: organisationId,
			survey_id: surveyId,
			created_by: createdBy,
			you_said: a.youSaid,
			we_did: a.weDid,
			owner_name: a.ownerName,
			status: a.status,
			progress: a.progress,
			published: a.published,
			question_id: a.questionId,
			theme_id: a.themeId
		})
		.execute();
}

/** Updates an action's progress, status and whether it is published. */
export async function updateActionProgress(
	tx: Tx,
	surveyId: string,
	actionId: string,
	status: ActionStatus,
	progress: number,
	published: boolean
): Promise<boolean> {
	const result = await tx
		.updateTable('survey_actions')
		.set({ status, progress, published, updated_at: sql<Date>`now()` })
		.where('id', '=', actionId)
		.where('survey_id', '=', surveyId)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}

/** Published actions in the caller's organisations, for the home page (RLS: members only). */
export async function publishedActionsForMe(tx: Tx) {
	return tx
		.selectFrom('survey_actions as a')
		.innerJoin('organisations as o', 'o.id', 'a.organisation_id')
		.select([
			'a.id',
			'a.you_said',
			'a.we_did',
			'a.status',
			'a.progress',
			'a.organisation_id',
			'o.name as organisation_name'
		])
		.where('a.published', '=', true)
		.orderBy('a.updated_at', 'desc')
		.limit(20)
		.execute();
}

/** An organisation's published actions for its public page: anyone, through one function. */
export async function publicActions(tx: Tx, organisationId: string) {
	const { rows } = await sql<{
		organisation_name: string;
		id: string;
		you_said: string;
		we_did: string;
		status: ActionStatus;
		progress: number;
		updated_at: Date;
	}>`select * from private.published_actions(${organisationId}::uuid)`.execute(tx);
	return rows;
}
