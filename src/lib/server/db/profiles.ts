import { isLocale, type Locale } from '$lib/i18n';
import type { Tx } from './index';

export interface ProfileSettings {
	preferredName: string;
	pronouns: string | null;
}

/** The caller's own profile (RLS lets everyone read their own). */
export async function getProfile(tx: Tx, id: string) {
	return tx
		.selectFrom('profiles')
		.select(['id', 'preferred_name', 'pronouns'])
		.where('id', '=', id)
		.executeTakeFirst();
}

/** Updates the caller's own profile; RLS refuses anyone else's. Returns false if nothing changed. */
export async function updateProfile(tx: Tx, id: string, s: ProfileSettings): Promise<boolean> {
	const result = await tx
		.updateTable('profiles')
		.set({
			preferred_name: s.preferredName,
			pronouns: s.pronouns,
			updated_at: new Date()
		})
		.where('id', '=', id)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}

/**
 * The language the person chose, if it is one we speak. Their own profile only (RLS); a value we
 * have no catalogue for (left by a version that spoke more languages) reads as no choice.
 */
export async function getLanguage(tx: Tx, id: string): Promise<Locale | null> {
	const row = await tx
		.selectFrom('profiles')
		.select('language')
		.where('id', '=', id)
		.executeTakeFirst();
	return row?.language && isLocale(row.language) ? row.language : null;
}

/** Records the person's language choice on their own profile (RLS refuses anyone else's). */
export async function setLanguage(tx: Tx, id: string, locale: Locale): Promise<boolean> {
	const result = await tx
		.updateTable('profiles')
		.set({ language: locale, updated_at: new Date() })
		.where('id', '=', id)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}
