import { config } from '$lib/server/config';

/**
 * Young people often have no email address. Supabase Auth signs people in by email, so a
 * username is kept as an address under a domain that never receives mail (`.invalid`).
 */
export function signInEmailFor(identifier: string): string {
	const trimmed = identifier.trim().toLowerCase();
	return trimmed.includes('@') ? trimmed : `${trimmed}@${config.usernameDomain()}`;
}

/** What the person types to sign in: their username if they have one, else their email. */
export function signInNameFor(email: string | null): string {
	if (!email) return '';
	const suffix = `@${config.usernameDomain()}`;
	return email.endsWith(suffix) ? email.slice(0, -suffix.length) : email;
}

/** A readable, unguessable-enough username from a preferred name: "sam-4821". */
export function makeUsername(preferredName: string, digits: () => number): string {
	const base =
		preferredName
			.normalize('NFKD')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 20) || 'me';
	return `${base}-${String(digits()).padStart(4, '0')}`;
}

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9-]{1,40}$/;
