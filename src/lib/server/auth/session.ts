import type { MemberRole } from '$lib/server/db/schema';
import type { VerifiedClaims } from '$lib/server/db';

/** The signed-in person as the server knows them after verifying their access token. */
export interface VerifiedUser {
	id: string;
	email: string | null;
	claims: VerifiedClaims;
}

/** What layouts may send to the browser about the signed-in person: a whitelist, nothing more. */
export interface PublicMe {
	id: string;
	preferredName: string;
	pronouns: string | null;
	signInName: string;
	roles: MemberRole[];
}
