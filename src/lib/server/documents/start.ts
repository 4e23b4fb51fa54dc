import { fail, redirect } from '@sveltejs/kit';
import { sql } from 'kysely';
import * as v from 'valibot';
import type { VerifiedUser } from '$lib/server/auth/session';
import { appDb, asUser, type Tx } from '$lib/server/db';
import { youngPersonIfVisible } from '$lib/server/db/circles';
import { myStory, startDocument } from '$lib/server/db/documents';
import { parseForm } from '$lib/server/forms';
import { documentTitle } from './titles';
import { m } from '$lib/paraglide/messages.js';

const PlanForm = v.object({
	kind: v.picklist(['care_plan', 'pathway_plan'], () => m.record_start_choose_plan())
});

async function managesCircleOf(tx: Tx, youngPersonId: string): Promise<boolean> {
	const { rows } = await sql<{
		manages: boolean;
	}>`select private.manages_circle_of(${youngPersonId}::uuid) as manages`.execute(tx);
	return rows[0]?.manages === true;
}

/**
 * Form action body: a practitioner managing the young person's circle starts a care plan or a
 * pathway plan from its template, and the new document opens. Pathway plans are for care leavers
 * aged 16 to 25, but age is not recorded here, so any young person in the circle may have one.
 * The database (RLS) has the last word on who may start a plan; checking first gives a clear
 * message instead of an error.
 */
export async function startPlan(user: VerifiedUser, youngPersonId: string, formData: FormData) {
	const form = parseForm(PlanForm, formData);
	if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
	const kind = form.data.kind;
	const started = await asUser(appDb(), user.claims, async (tx) => {
		const yp = await youngPersonIfVisible(tx, youngPersonId);
		if (!yp || !(await managesCircleOf(tx, youngPersonId))) return null;
		return startDocument(tx, {
			youngPersonId,
			kind,
			title: documentTitle(kind, yp.preferred_name),
			createdBy: user.id
		});
	});
	if (!started) {
		return fail(403, {
			errors: {
				form: m.record_start_plan_not_allowed()
			},
			values: form.values
		});
	}
	redirect(303, `/documents/${started}`);
}

/**
 * Form action body: a young person starts their own story from its template, or, if they already
 * have one, opens it (each young person has one story; pressing the button twice makes no second).
 */
export async function startStory(user: VerifiedUser) {
	const story = await asUser(appDb(), user.claims, async (tx) => {
		const existing = await myStory(tx, user.id);
		if (existing) return existing.id;
		const { rows } = await sql<{
			yp: boolean;
		}>`select private.is_young_person(${user.id}::uuid) as yp`.execute(tx);
		if (rows[0]?.yp !== true) return null;
		return startDocument(tx, {
			youngPersonId: user.id,
			kind: 'my_story',
			title: documentTitle('my_story', ''),
			createdBy: user.id
		});
	});
	if (!story) {
		return fail(403, {
			errors: { form: m.record_start_story_not_allowed() },
			values: {}
		});
	}
	redirect(303, `/documents/${story}`);
}
