import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { forbidden, requireUser } from '$lib/server/guards';
import { appDb, asUser, type Tx } from '$lib/server/db';
import { myMemberships } from '$lib/server/db/memberships';
import {
	helpSettings,
	practitionersOf,
	saveHelpSettings,
	setHelpFlags
} from '$lib/server/db/help-settings';

/** The organisations the caller is an admin of (the page is theirs only). */
async function adminOf(tx: Tx, userId: string) {
	const orgs = (await myMemberships(tx, userId)).filter((mm) => mm.role === 'admin');
	if (orgs.length === 0) forbidden(m.help_admin_only());
	return orgs;
}

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => ({
		organisations: await Promise.all(
			(await adminOf(tx, user.id)).map(async (o) => ({
				id: o.organisation_id,
				name: o.organisation_name,
				settings: await helpSettings(tx, o.organisation_id),
				practitioners: await practitionersOf(tx, o.organisation_id)
			}))
		)
	}));
};

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

const Settings = v.pipe(
	v.object({
		organisation: v.pipe(
			v.string(),
			v.uuid(() => m.help_admin_only())
		),
		duty_phone: v.pipe(
			v.optional(v.string(), ''),
			v.trim(),
			v.check(
				(s) => s === '' || /^\+?[0-9][0-9 ]{5,22}$/.test(s),
				() => m.help_admin_error_phone()
			)
		),
		day_starts: v.pipe(
			v.string(),
			v.regex(TIME, () => m.help_admin_error_time())
		),
		day_ends: v.pipe(
			v.string(),
			v.regex(TIME, () => m.help_admin_error_time())
		)
	}),
	v.forward(
		v.check(
			(s) => s.day_starts < s.day_ends,
			() => m.help_admin_error_order()
		),
		['day_ends']
	)
);

export const actions: Actions = {
	settings: async ({ request, locals }) => {
		const user = requireUser(locals);
		const formData = await request.formData();
		const text = (k: string) => {
			const value = formData.get(k);
			return typeof value === 'string' ? value : '';
		};
		const raw = {
			organisation: text('organisation'),
			duty_phone: text('duty_phone'),
			day_starts: text('day_starts'),
			day_ends: text('day_ends')
		};
		const days = formData
			.getAll('work_days')
			.map((d) => Number(d))
			.filter((d) => Number.isInteger(d) && d >= 1 && d <= 7);
		const values = { ...raw, work_days: days.map(String) };
		const parsed = v.safeParse(Settings, raw);
		const errors: Record<string, string> = {};
		if (!parsed.success) {
			for (const issue of parsed.issues) errors[v.getDotPath(issue) ?? 'form'] ??= issue.message;
		}
		if (days.length === 0) errors.work_days = m.help_admin_error_days();
		if (!parsed.success || Object.keys(errors).length > 0) {
			return fail(400, { organisation: raw.organisation, errors, values });
		}
		await asUser(appDb(), user.claims, async (tx) => {
			const orgs = await adminOf(tx, user.id);
			if (!orgs.some((o) => o.organisation_id === parsed.output.organisation)) forbidden();
			await saveHelpSettings(tx, parsed.output.organisation, user.id, {
				duty_phone: parsed.output.duty_phone || null,
				work_days: [...new Set(days)].sort(),
				day_starts: parsed.output.day_starts,
				day_ends: parsed.output.day_ends
			});
		});
		return { organisation: parsed.output.organisation, saved: true };
	},
	flags: async ({ request, locals }) => {
		const user = requireUser(locals);
		const formData = await request.formData();
		const membership = v.safeParse(v.pipe(v.string(), v.uuid()), formData.get('membership'));
		if (!membership.success) return fail(400, { flagsError: m.help_admin_only() });
		const changed = await asUser(appDb(), user.claims, async (tx) => {
			await adminOf(tx, user.id);
			return setHelpFlags(tx, membership.output, {
				on_duty: formData.get('on_duty') === 'on',
				team_manager: formData.get('team_manager') === 'on'
			});
		});
		// RLS: admins change other people's memberships in their organisation, never their own
		// (and only practitioners' memberships hold flags: the page lists no others).
		if (changed === 0) return fail(403, { flagsError: m.help_admin_error_self() });
		return { flagsSaved: membership.output };
	}
};
