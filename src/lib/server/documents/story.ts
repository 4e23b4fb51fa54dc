import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Tx } from '$lib/server/db';
import { documentForMe, recordRead } from '$lib/server/db/documents';
import { m } from '$lib/paraglide/messages.js';

const Uuid = v.pipe(v.string(), v.uuid());

/** A valid id from the URL, or null (so a malformed id is a 404, never a 500). */
export function parseId(raw: string | null | undefined): string | null {
	const parsed = v.safeParse(Uuid, raw);
	return parsed.success ? parsed.output : null;
}

/** The same 404 for "no such story" and "not yours to see", so nobody learns a story exists. */
export function storyNotFound(): never {
	error(404, { message: m.record_story_not_found() });
}

/** A "my story" the caller may see, with their access and whether it is their own. */
export type OpenStory = NonNullable<Awaited<ReturnType<typeof documentForMe>>> & {
	access: 'edit' | 'comment' | 'view';
	isOwner: boolean;
};

/**
 * The story `rawId` names, if it is a "my story" the caller may see (RLS and
 * private.document_access decide), else null. With `audit`, the read is recorded in
 * document_reads in the caller's transaction, so there is never a read without its record: every
 * page load and every photo served passes `audit: true`; actions (writes) do not.
 */
export async function openStory(
	tx: Tx,
	rawId: string,
	readerId: string,
	options: { audit: boolean }
): Promise<OpenStory | null> {
	const id = parseId(rawId);
	if (!id) return null;
	const doc = await documentForMe(tx, id);
	if (!doc || doc.kind !== 'my_story' || doc.access === 'none') return null;
	if (options.audit) await recordRead(tx, doc, readerId, 'view');
	return { ...doc, access: doc.access, isOwner: doc.young_person_id === readerId };
}
