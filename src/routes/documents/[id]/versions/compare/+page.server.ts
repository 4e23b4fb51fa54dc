import * as v from 'valibot';
import type { PageServerLoad } from './$types';
import { appDb, asUser } from '$lib/server/db';
import { getVersion, listVersions } from '$lib/server/db/document-versions';
import { ownWordsClients } from '$lib/server/db/document-writers';
import { blocksOf, diffBlocks, diffSummary, type DiffEntry } from '$lib/server/documents/diff';
import { requireUser } from '$lib/server/guards';
import { m } from '$lib/paraglide/messages.js';
import { documentSummary, idOrNotFound, notFound, openDocument, Uuid, versionDoc } from '../record';

/**
 * What changed between two versions, block by block. Both come from the database under the
 * reader's own access; reading them is audit-logged. A missing or unknown version gives a plain
 * message and the picker again, never a 500.
 */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = requireUser(locals);
	const documentId = idOrNotFound(params.id);
	const from = v.safeParse(Uuid, url.searchParams.get('from'));
	const to = v.safeParse(Uuid, url.searchParams.get('to'));
	const found = await asUser(appDb(), user.claims, async (tx) => {
		const doc = await openDocument(tx, documentId, user.id, 'view');
		if (!doc) return null;
		const versions = await listVersions(tx, doc.id);
		const older = from.success ? await getVersion(tx, doc.id, from.output) : undefined;
		const newer = to.success ? await getVersion(tx, doc.id, to.output) : undefined;
		const own = await ownWordsClients(tx, doc.id, doc.young_person_id);
		return { doc, versions, older, newer, own };
	});
	if (!found) notFound();
	const { doc, versions, older, newer, own } = found;
	let comparison: {
		from: { id: string; name: string };
		to: { id: string; name: string };
		entries: DiffEntry[];
		added: number;
		removed: number;
	} | null = null;
	if (older && newer) {
		const a = versionDoc(older.state, older.id);
		const b = versionDoc(newer.state, newer.id);
		const entries = diffBlocks(blocksOf(a, own), blocksOf(b, own));
		a.destroy();
		b.destroy();
		comparison = {
			from: { id: older.id, name: older.name },
			to: { id: newer.id, name: newer.name },
			entries,
			...diffSummary(entries)
		};
	}
	return {
		document: documentSummary(doc),
		versions: versions
			.map((x) => ({ id: x.id, name: x.name, createdAt: x.created_at.toISOString() }))
			.reverse(),
		from: from.success ? from.output : '',
		to: to.success ? to.output : '',
		comparison,
		problem:
			comparison === null
				? versions.length < 2
					? m.record_compare_need_two()
					: m.record_compare_choose()
				: null
	};
};
