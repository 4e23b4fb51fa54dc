import * as v from 'valibot';
import { m } from '$lib/paraglide/messages.js';

export type FieldErrors = Record<string, string>;

export type FormResult<T> =
	| { ok: true; data: T; values: Record<string, string> }
	| { ok: false; errors: FieldErrors; values: Record<string, string> };

/**
 * Validates FormData against a valibot schema. Values are read as strings (files are refused),
 * so no `as string`; the first message per field is kept for the form to show beside the field.
 * `values` echoes what was typed (never passwords) so the page can refill the form.
 */
export function parseForm<S extends v.GenericSchema>(
	schema: S,
	formData: FormData,
	secretFields: string[] = []
): FormResult<v.InferOutput<S>> {
	const raw: Record<string, string> = {};
	for (const [key, value] of formData) {
		if (typeof value === 'string' && !(key in raw)) raw[key] = value;
	}
	const values = Object.fromEntries(Object.entries(raw).filter(([k]) => !secretFields.includes(k)));
	const result = v.safeParse(schema, raw);
	if (result.success) return { ok: true, data: result.output, values };
	const errors: FieldErrors = {};
	for (const issue of result.issues) {
		const key = v.getDotPath(issue) ?? 'form';
		errors[key] ??= issue.message;
	}
	return { ok: false, errors, values };
}

/**
 * What a field is called inside a message ("your username or email"). Schemas are built once,
 * when their module loads, so a label from the catalogues is passed as a function and read when
 * a message is made, in that request's language: `() => m.sign_in_identifier_name()`. A plain
 * string is a label not yet in the catalogues: its whole message then stays in English, rather
 * than an English label inside a Welsh sentence.
 */
export type FieldLabel = string | (() => string);

function message(
	label: FieldLabel,
	make: (label: string, options: { locale?: 'en' }) => string
): () => string {
	return () => (typeof label === 'string' ? make(label, { locale: 'en' }) : make(label(), {}));
}

/**
 * Refuses the NUL character, which Postgres cannot store in text (it would be a 500); no
 * keyboard types it, so only a doctored form sends it.
 */
export function noNul(label: FieldLabel) {
	return v.check(
		(s: string) => !s.includes('\u0000'),
		message(label, (label, o) => m.form_unusual_character({ label }, o))
	);
}

const Uuid = v.pipe(v.string(), v.uuid());

/**
 * Is this a well-formed UUID? Ids from the URL or a form are checked before they reach SQL, so a
 * malformed one is a 404 or a clear message, never a database error.
 */
export function isUuid(value: unknown): value is string {
	return v.is(Uuid, value);
}

/** A required, trimmed line of text with a friendly message. */
export function requiredText(label: FieldLabel, max: number) {
	return v.pipe(
		v.optional(v.string(), ''),
		noNul(label),
		v.trim(),
		v.nonEmpty(message(label, (label, o) => m.form_required({ label }, o))),
		v.maxLength(
			max,
			message(label, (label, o) => m.form_too_long({ label, max }, o))
		)
	);
}

/** An optional trimmed line of text; empty becomes null. */
export function optionalText(label: FieldLabel, max: number) {
	return v.pipe(
		v.optional(v.string(), ''),
		noNul(label),
		v.trim(),
		v.maxLength(
			max,
			message(label, (label, o) => m.form_too_long({ label, max }, o))
		),
		v.transform((s) => (s === '' ? null : s))
	);
}

/** A checkbox: present ("on") means true. */
export const checkbox = v.pipe(
	v.optional(v.string(), ''),
	v.transform((s) => s === 'on' || s === 'true')
);

/** A passphrase people can remember: long rather than complicated (NCSC advice). */
export const passphrase = v.pipe(
	v.optional(v.string(), ''),
	v.minLength(10, () => m.invite_passphrase_too_short()),
	v.maxLength(128, () => m.invite_passphrase_too_long())
);

/**
 * A relative path inside the app, so "next" can never send someone to another site. Browsers
 * drop tabs and newlines from URLs and treat `\\` like `/`, so `/<TAB>/evil.example` would
 * become `//evil.example`: any control character or backslash is refused outright.
 */
export function safeNext(next: string | null, fallback = '/home'): string {
	if (!next || !next.startsWith('/') || next.startsWith('//')) return fallback;
	// Printable ASCII only (anything else arrives percent-encoded from a real link): control
	// characters could split the Location header, and other characters cannot go into it at all
	// (a 500 before). No backslashes, which some browsers read as slashes.
	if (/[^\u0020-\u007e]|\\/.test(next)) return fallback;
	return next;
}

/** A real calendar date written as YYYY-MM-DD (not 2026-13-45, not 2026-02-30). */
export function isRealDate(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
