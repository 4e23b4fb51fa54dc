import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { requireUser } from '$lib/server/guards';
import { appDb, asUser } from '$lib/server/db';
import { getProfile, updateProfile } from '$lib/server/db/profiles';
import { optionalText, parseForm, requiredText } from '$lib/server/forms';

const Settings = v.object({
	preferredName: requiredText(() => m.profile_name_field(), 80),
	pronouns: optionalText(() => m.profile_pronouns_field(), 40)
});

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireUser(locals);
	const profile = await asUser(appDb(), user.claims, (tx) => getProfile(tx, user.id));
	return { profile };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const user = requireUser(locals);
		const form = parseForm(Settings, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const saved = await asUser(appDb(), user.claims, (tx) => updateProfile(tx, user.id, form.data));
		if (!saved) throw new Error('Profile update changed no row for the signed-in person');
		return { message: m.profile_saved() };
	}
};
