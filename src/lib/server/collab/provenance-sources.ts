import { indexAfter } from '../../collab/ownership.ts';

/** A character's id. */
export interface CharId {
	client: number;
	clock: number;
}

/** Items `clock … clock + len − 1` of a client are copies of `from … from + len − 1` of `of`. */
interface SourceSpan {
	clock: number;
	len: number;
	of: number;
	from: number;
}

/** At most this many runs of copied characters are remembered per document. */
const SOURCE_SPANS = 20_000;

/**
 * Which characters are copies of which: the ones provenance.ts matched to characters an update
 * deleted or an undo gives back (a split, join, re-typed block, restored text). Yjs knows which
 * item an undo restores only in the undoing browser; the server knows it only by matching. An
 * undo places restored text next to the restored copies of the characters it stood next to,
 * so to tell where deleted text stood, after its block was deleted and restored, the server
 * needs each copy's original: its source, followed back to the first one (so a copy of a copy
 * answers the original). Kept in memory and bounded: a forgotten source only means that an undo
 * placed against it is not recognised as one.
 */
export class Sources {
	readonly #spans = new Map<number, SourceSpan[]>();
	#queue: Array<{ client: number; span: SourceSpan }> = [];

	/** The original of this character (itself if it is not a known copy). */
	rootOf(client: number, clock: number): CharId {
		const list = this.#spans.get(client);
		if (list) {
			const span = list[indexAfter(list, clock) - 1];
			if (span && clock < span.clock + span.len) {
				return { client: span.of, clock: span.from + clock - span.clock };
			}
		}
		return { client, clock };
	}

	/** A key for the original of this character (see rootOf). */
	keyOf(client: number, clock: number): string {
		const root = this.rootOf(client, clock);
		return `${root.client}:${root.clock}`;
	}

	/**
	 * Collects copies as a matcher finds them (new character → the character it copies), joining
	 * neighbours into runs; `commit` records them once the update is judged.
	 */
	collector(): {
		add: (client: number, clock: number, source: CharId) => void;
		commit: () => void;
	} {
		const runs: Array<{ client: number; span: SourceSpan }> = [];
		return {
			add: (client, clock, source) => {
				const root = this.rootOf(source.client, source.clock);
				const last = runs[runs.length - 1];
				if (
					last &&
					last.client === client &&
					last.span.clock + last.span.len === clock &&
					last.span.of === root.client &&
					last.span.from + last.span.len === root.clock
				) {
					last.span.len++;
				} else {
					runs.push({ client, span: { clock, len: 1, of: root.client, from: root.clock } });
				}
			},
			commit: () => {
				for (const run of runs) this.#add(run.client, run.span);
			}
		};
	}

	#add(client: number, span: SourceSpan): void {
		const list = this.#spans.get(client) ?? [];
		this.#spans.set(client, list);
		// New items come in clock order, so this is almost always an append.
		list.splice(indexAfter(list, span.clock), 0, span);
		this.#queue.push({ client, span });
		if (this.#queue.length > SOURCE_SPANS * 1.5) {
			// Forget the oldest third in one pass, not one splice per new run.
			const forgotten = this.#queue.splice(0, this.#queue.length - SOURCE_SPANS);
			const spans = new Set(forgotten.map(({ span: s }) => s));
			for (const c of new Set(forgotten.map(({ client: f }) => f))) {
				const kept = (this.#spans.get(c) ?? []).filter((s) => !spans.has(s));
				if (kept.length > 0) this.#spans.set(c, kept);
				else this.#spans.delete(c);
			}
		}
	}
}
