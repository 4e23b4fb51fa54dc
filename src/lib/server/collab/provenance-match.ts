import type { WriterRun } from './provenance.ts';

/**
 * The matcher behind provenance.ts: which of the characters an update creates are characters it
 * (or an undo) puts back, and so keep their writer. Greedy: each new character continues the run
 * of pool characters it extends if it can, otherwise starts at whichever of a few candidate
 * places in the pool agrees with the most characters ahead. Linear in the new text and the pool
 * (bounded candidates and look-ahead).
 */

/** How many candidate starts the matcher compares when a run of matched characters breaks. */
const CANDIDATES = 4;
/** How far ahead it compares them. */
const LOOKAHEAD = 32;

/** New characters, per client in clock order, as contiguous strings. */
export interface Segment {
	client: number;
	clock: number;
	text: string;
}

export interface MatchContext {
	/** The person a client's items belong to by default (its binding; the sender's if new). */
	byClientOf: (client: number) => string | null;
	youngPersonId: string;
	sender: string;
	/** Told of each new character matched to a pool character (`pos`), whatever its writer. */
	onMatch?: (client: number, clock: number, pos: number) => void;
}

/**
 * Runs of the new characters whose writer differs from their client's person: those matched
 * to a pool character (`pool[i]`, written by `poolWriters[i]`) take its writer, except that
 * nobody but the young person's own connection makes characters theirs.
 */
export function matchWriters(
	pool: string,
	poolWriters: Array<string | null>,
	segments: Segment[],
	context: MatchContext
): WriterRun[] {
	// Nothing to inherit (most keystrokes): every character is its client's person's.
	if (pool.length === 0) return [];
	const { byClientOf, youngPersonId, sender, onMatch } = context;
	const used = new Uint8Array(pool.length);
	const positions = new Map<string, number[]>();
	for (let i = 0; i < pool.length; i++) {
		const ch = pool[i] as string;
		const list = positions.get(ch);
		if (list) list.push(i);
		else positions.set(ch, [i]);
	}
	const next = new Map<string, number>();
	/** How many characters from `text[at]` match the pool from `pos` (unused ones only). */
	const agree = (text: string, at: number, pos: number): number => {
		let n = 0;
		while (
			n < LOOKAHEAD &&
			at + n < text.length &&
			pos + n < pool.length &&
			!used[pos + n] &&
			pool[pos + n] === text[at + n]
		) {
			n++;
		}
		return n;
	};
	const runs: WriterRun[] = [];
	const push = (client: number, clock: number, writer: string | null) => {
		const last = runs[runs.length - 1];
		if (
			last &&
			last.client === client &&
			last.clock + last.len === clock &&
			last.writer === writer
		) {
			last.len++;
		} else {
			runs.push({ client, clock, len: 1, writer });
		}
	};
	for (const { client, clock, text } of segments) {
		const byClient = byClientOf(client);
		let previous = -1;
		for (let i = 0; i < text.length; i++) {
			const ch = text[i] as string;
			let pos = -1;
			if (previous >= 0 && previous + 1 < pool.length && !used[previous + 1]) {
				if (pool[previous + 1] === ch) pos = previous + 1;
			}
			if (pos < 0) {
				const list = positions.get(ch);
				if (list) {
					let start = next.get(ch) ?? 0;
					while (start < list.length && used[list[start] as number]) start++;
					next.set(ch, start);
					let best = 0;
					for (let k = start, seen = 0; k < list.length && seen < CANDIDATES; k++) {
						const candidate = list[k] as number;
						if (used[candidate]) continue;
						seen++;
						const n = agree(text, i, candidate);
						if (n > best) {
							best = n;
							pos = candidate;
						}
					}
				}
			}
			let writer = byClient;
			if (pos >= 0) {
				used[pos] = 1;
				previous = pos;
				onMatch?.(client, clock + i, pos);
				const inherited = poolWriters[pos] ?? null;
				// Nobody but the young person's own connection makes characters theirs.
				if (inherited !== youngPersonId || sender === youngPersonId) {
					writer = inherited;
				}
			} else {
				previous = -1;
			}
			if (writer !== byClient) push(client, clock + i, writer);
		}
	}
	return runs;
}
