import type { PublicMe, VerifiedUser } from '$lib/server/auth/session';
import { signInNameFor } from '$lib/server/auth/username';
import { appDb, asUser } from '$lib/server/db';
import { myMemberships } from '$lib/server/db/memberships';
import { getProfile } from '$lib/server/db/profiles';

/** Loads what every page shows about the signed-in person, as a whitelisted object. */
export async function loadMe(user: VerifiedUser): Promise<PublicMe | null> {
	return asUser(appDb(), user.claims, async (tx) => {
		const profile = await getProfile(tx, user.id);
		if (!profile) return null;
		const memberships = await myMemberships(tx, user.id);
		return {
			id: profile.id,
			preferredName: profile.preferred_name,
			pronouns: profile.pronouns,
			signInName: signInNameFor(user.email),
			roles: [...new Set(memberships.map((m) => m.role))]
		};
	});
}
