import type { Tx } from '$lib/server/db';
import type { MemberRole } from '$lib/server/db/schema';
import { publishedActionsForMe } from '$lib/server/db/survey-actions';
import { surveysToAnswer } from '$lib/server/db/surveys';

/**
 * What the home page shows about feedback: surveys waiting for this person's answers (and any they
 * started), and published "you said, we did" actions of their organisations. Designers get a link
 * to their surveys from the section itself.
 */
export async function feedbackHome(tx: Tx, userId: string, roles: Set<MemberRole>) {
	const answers = roles.has('young_person') || roles.has('family_member');
	return {
		surveys: answers ? await surveysToAnswer(tx, userId) : [],
		// Designers are not shown published actions on their home page (they have the surveys).
		actions: (roles.has('service_designer') ? [] : await publishedActionsForMe(tx)).map((a) => ({
			id: a.id,
			youSaid: a.you_said,
			weDid: a.we_did,
			status: a.status,
			progress: a.progress,
			organisationId: a.organisation_id
		}))
	};
}

/** What the home page's feedback part is given. */
export type FeedbackHome = Awaited<ReturnType<typeof feedbackHome>>;
