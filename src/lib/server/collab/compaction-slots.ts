import { CollabConfigError } from './config.ts';

/**
 * How many compactions one node runs at once (room.ts). A compaction holds a connection of the
 * shared pool for its whole transaction (read the log, rebuild it through a Y.Doc, write the
 * snapshot, delete the rows), and each busy document asks for one when its log passes
 * compactAfterUpdates rows: uncapped, 200 busy documents took every connection together and the
 * appends behind "saved" waited for them. So at most `max` run; the rest wait in the order they
 * asked (a slot that comes free goes straight to the next in line, so nobody is overtaken).
 * Only threshold compactions take a slot: a room compacting on its way out (unload, drain) takes
 * no edits meanwhile, so it must not wait behind other documents' compactions (room.ts, leave).
 */
export function createCompactionSlots(max: number) {
	if (!Number.isInteger(max) || max < 1) {
		throw new CollabConfigError(
			`maxConcurrentCompactions must be a whole number ≥ 1; it is ${max}`
		);
	}
	let running = 0;
	const queue: Array<() => void> = [];

	/** Runs `work` once a slot is free, and frees the slot when it settles (whichever way). */
	async function run<T>(work: () => Promise<T>): Promise<T> {
		if (running < max) running++;
		// Woken by the compaction that hands its slot over: `running` stays as it is.
		else await new Promise<void>((resolve) => queue.push(resolve));
		try {
			return await work();
		} finally {
			const next = queue.shift();
			if (next) next();
			else running--;
		}
	}

	return {
		run,
		/** Compactions running now (tests). */
		running: () => running,
		/** Compactions waiting for a slot (tests). */
		waiting: () => queue.length
	};
}

export type CompactionSlots = ReturnType<typeof createCompactionSlots>;
