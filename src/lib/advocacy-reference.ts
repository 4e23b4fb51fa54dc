/**
 * The shape of a private advocacy reference, as the database reads it
 * (supabase/migrations/20261205200100_keepable_references.sql). Shared by the reply page's form
 * check and its tests; the database checks again, and is the only judge of whether one exists.
 *
 * New references: 20 characters from an alphabet with no look-alikes (no I, L, O, 0 or 1), given
 * in groups of four (`7KQM-4R2X-C9HT-WB3N-5PVE`); any case, any spaces or dashes. References
 * given before: 24 characters of letters, digits, `-` and `_`, exactly as given.
 */
const NEW_SHAPE = /^[2-9A-HJKMNP-Z]{20}$/;
const OLD_SHAPE = /^[A-Za-z0-9_-]{24}$/;

/** What was typed, without the spaces people add when they copy it out or read it aloud. */
export function referenceAsTyped(raw: unknown): string {
	return typeof raw === 'string' ? raw.replace(/\s+/g, '') : '';
}

/** Could this be a reference at all? (Not whether one exists.) */
export function isWellFormedReference(raw: unknown): boolean {
	const typed = referenceAsTyped(raw);
	return NEW_SHAPE.test(typed.replace(/-/g, '').toUpperCase()) || OLD_SHAPE.test(typed);
}
