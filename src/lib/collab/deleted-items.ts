import * as Y from 'yjs';

/** A live item an update deletes, and the clocks of it that it deletes: from … to − 1. */
export interface DeletedPart {
	client: number;
	item: Y.Item;
	from: number;
	to: number;
}

/**
 * Each item of `doc` that is live now and that the delete set `ds` deletes, in client and clock
 * order. Ranges past what the document holds are skipped (an update may delete what it creates
 * itself). Shared by the judges of an update: prompts.ts, own-words.ts and the server's
 * provenance.ts.
 */
export function* liveItemsDeleted(
	doc: Y.Doc,
	ds: ReturnType<typeof Y.decodeUpdate>['ds']
): Generator<DeletedPart> {
	for (const [client, ranges] of ds.clients) {
		const structs = doc.store.clients.get(client);
		if (!structs) continue;
		const known = Y.getState(doc.store, client);
		for (const { clock, len } of ranges) {
			if (clock >= known) continue;
			for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
				const struct = structs[i] as Y.Item | Y.GC;
				if (struct.id.clock >= clock + len) break;
				if (!(struct instanceof Y.Item) || struct.deleted) continue;
				yield {
					client,
					item: struct,
					from: Math.max(clock, struct.id.clock),
					to: Math.min(clock + len, struct.id.clock + struct.length)
				};
			}
		}
	}
}
