import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { requireUser } from '$lib/server/guards';
import { appDb, asUser, type Tx } from '$lib/server/db';
import {
	advocacyRequest,
	allocateRequest,
	askToJoinCircle,
	closeRequest
} from '$lib/server/db/advocacy-requests';
import {
	advocacyMessages,
	advocateMessage,
	youngPersonMessage
} from '$lib/server/db/advocacy-messages';
import { advocacyPlan, saveAdvocacyPlan } from '$lib/server/db/advocacy-plans';
import { addToCircle, circleOf } from '$lib/server/db/circles';
import { isRealDate, optionalText, parseForm, requiredText } from '$lib/server/forms';
import { messageBody } from '$lib/server/advocacy/request-form';
import { advocacyRoles } from '$lib/server/advocacy/roles';
import { requestClocks } from '$lib/server/advocacy/queue';
import { limitFailure, PRIVATE_PAGE_HEADERS } from '$lib/server/advocacy/pages';
import type { VerifiedUser } from '$lib/server/auth/session';
import { addressKey } from '$lib/server/address';

const NOT_FOUND = () => m.advocacy_not_found();

type Viewer = 'young_person' | 'advocate' | 'manager';

/**
 * The request and how the caller sees it. RLS has already decided whether they may read it at
 * all (the young person, the service's advocates, a manager under break-glass); anyone else gets
 * a 404, as if it did not exist.
 */
async function viewRequest(tx: Tx, user: VerifiedUser, id: string) {
	if (!v.is(v.pipe(v.string(), v.uuid()), id)) error(404, { message: NOT_FOUND() });
	const request = await advocacyRequest(tx, id);
	if (!request) error(404, { message: NOT_FOUND() });
	const roles = await advocacyRoles(tx, user.id);
	const viewer: Viewer =
		request.young_person_id === user.id ? 'young_person' : roles.advocate ? 'advocate' : 'manager';
	return { request, viewer };
}

export const load: PageServerLoad = async ({ locals, params, url, setHeaders }) => {
	setHeaders(PRIVATE_PAGE_HEADERS);
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		const { request: r, viewer } = await viewRequest(tx, user, params.id);
		const messages = await advocacyMessages(tx, r.id);
		const plan = await advocacyPlan(tx, r.id);
		let circleInvite: { name: string } | null = null;
		let inCircle = false;
		if (r.young_person_id && r.allocated_to) {
			const circle = await circleOf(tx, r.young_person_id);
			inCircle = circle.some((c) => c.member_id === r.allocated_to);
			if (viewer === 'young_person' && r.circle_invite_at && !inCircle) {
				circleInvite = { name: r.allocated_name ?? m.advocacy_your_advocate() };
			}
		}
		const forAdvocate = viewer !== 'young_person';
		return {
			viewer,
			justSent: url.searchParams.has('sent'),
			justAdded: url.searchParams.has('added'),
			request: {
				id: r.id,
				call_me: r.call_me,
				about: r.about,
				urgency: r.urgency,
				status: r.status,
				outcome: r.outcome,
				service_name: r.service_name,
				allocated_name: r.allocated_name,
				allocatedToMe: r.allocated_to === user.id,
				anonymous: r.young_person_id === null,
				created_at: r.created_at,
				// What the young person told the service: for its advocates (and a break-glass).
				details: forAdvocate
					? {
							contact_how: r.contact_how,
							contact_when: r.contact_when,
							local_authority: r.local_authority,
							care_status: r.care_status,
							communication_needs: r.communication_needs,
							social_worker_may_know: r.social_worker_may_know
						}
					: null
			},
			clocks: forAdvocate ? requestClocks(r, new Date()) : null,
			messages,
			plan: plan ?? null,
			circleInvite,
			inCircle,
			canAskCircle:
				viewer === 'advocate' &&
				r.status !== 'closed' &&
				r.young_person_id !== null &&
				r.allocated_to === user.id &&
				!r.circle_invite_at &&
				!inCircle,
			circleAsked: r.circle_invite_at !== null
		};
	});
};

const PlanForm = v.object({
	wantsStopped: optionalText(() => m.advocacy_plan_stopped_name(), 2000),
	wantsStarted: optionalText(() => m.advocacy_plan_started_name(), 2000),
	wantsChanged: optionalText(() => m.advocacy_plan_changed_name(), 2000),
	steps: optionalText(() => m.advocacy_plan_steps_name(), 4000),
	reviewOn: v.pipe(
		v.optional(v.string(), ''),
		v.check(
			(s) => s === '' || isRealDate(s),
			() => m.advocacy_plan_review_invalid()
		),
		v.transform((s) => (s === '' ? null : s))
	)
});

/** Runs an advocate-only action: refuses anyone else with a clear message. */
async function asAdvocate<T>(
	locals: App.Locals,
	id: string,
	work: (tx: Tx, user: VerifiedUser) => Promise<T>
) {
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		const { viewer } = await viewRequest(tx, user, id);
		if (viewer !== 'advocate') error(403, { message: m.advocacy_only_service() });
		return work(tx, user);
	});
}

export const actions: Actions = {
	reply: async ({ locals, params, request, getClientAddress }) => {
		const user = requireUser(locals);
		const form = parseForm(v.object({ body: messageBody }), await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		try {
			await asUser(appDb(), user.claims, async (tx) => {
				const { viewer } = await viewRequest(tx, user, params.id);
				if (viewer === 'young_person') {
					await youngPersonMessage(
						tx,
						params.id,
						form.data.body,
						addressKey(getClientAddress(), 'advocacy')
					);
				} else if (viewer === 'advocate') {
					await advocateMessage(tx, params.id, user.id, form.data.body);
				} else {
					error(403, { message: m.advocacy_break_glass_read_only() });
				}
			});
		} catch (e) {
			return limitFailure(e, form.values, 'body');
		}
		return { message: m.advocacy_message_sent() };
	},
	allocate: async ({ locals, params }) => {
		try {
			await asAdvocate(locals, params.id, (tx, user) => allocateRequest(tx, params.id, user.id));
		} catch (e) {
			return limitFailure(e, {});
		}
		return { message: m.advocacy_allocated_to_you() };
	},
	close: async ({ locals, params, request }) => {
		const form = parseForm(
			v.object({ outcome: requiredText(() => m.advocacy_outcome_name(), 1000) }),
			await request.formData()
		);
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		try {
			await asAdvocate(locals, params.id, (tx) => closeRequest(tx, params.id, form.data.outcome));
		} catch (e) {
			return limitFailure(e, form.values);
		}
		return { message: m.advocacy_request_closed_done() };
	},
	plan: async ({ locals, params, request }) => {
		const form = parseForm(PlanForm, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		try {
			await asAdvocate(locals, params.id, (tx, user) =>
				saveAdvocacyPlan(tx, params.id, user.id, form.data)
			);
		} catch (e) {
			return limitFailure(e, form.values);
		}
		return { message: m.advocacy_plan_saved() };
	},
	askCircle: async ({ locals, params }) => {
		const asked = await asAdvocate(locals, params.id, (tx) => askToJoinCircle(tx, params.id));
		if (!asked) {
			return fail(400, {
				errors: { form: m.advocacy_circle_only_signed_in() },
				values: {}
			});
		}
		return { message: m.advocacy_circle_asked() };
	},
	joinCircle: async ({ locals, params }) => {
		const user = requireUser(locals);
		const name = await asUser(appDb(), user.claims, async (tx) => {
			const { request: r, viewer } = await viewRequest(tx, user, params.id);
			if (viewer !== 'young_person' || !r.allocated_to || !r.circle_invite_at) {
				error(403, { message: m.advocacy_circle_no_one_asking() });
			}
			const circle = await circleOf(tx, user.id);
			if (!circle.some((c) => c.member_id === r.allocated_to)) {
				// The same rule as the circle page: a young person adds an advocate, with comment access.
				await addToCircle(tx, {
					youngPersonId: user.id,
					memberId: r.allocated_to,
					// Stored as words, so in the young person's language when they add them (like a relationship an
					// inviter types).
					relationship: m.role_advocate(),
					access: 'comment',
					addedBy: user.id
				});
			}
			return r.allocated_name ?? m.advocacy_your_advocate();
		});
		return { message: m.advocacy_circle_joined({ name }) };
	}
};
