import * as Y from 'yjs';
import { indexAfter } from '../../collab/ownership.ts';

type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];

/** How many items a search for a live neighbour passes at most (then: none known). */
const WALK = 1_000;

/** The range of the delete set holding this clock of a client (its ranges are sorted, merged). */
function rangeDeleting(
	ds: DeleteSet,
	client: number,
	clock: number
): { clock: number; len: number } | null {
	const ranges = ds.clients.get(client);
	if (!ranges) return null;
	const range = ranges[indexAfter(ranges, clock) - 1];
	return range && clock < range.clock + range.len ? range : null;
}

/** The last character of `item` that is live and stays live after `ds`. */
function lastLive(item: Y.Item, ds: DeleteSet): Y.ID | null {
	if (item.deleted || !(item.content instanceof Y.ContentString)) return null;
	const last = item.id.clock + item.length - 1;
	const range = rangeDeleting(ds, item.id.client, last);
	const clock = range ? range.clock - 1 : last;
	return clock >= item.id.clock ? Y.createID(item.id.client, clock) : null;
}

/** The first character of `item` that is live and stays live after `ds`. */
function firstLive(item: Y.Item, ds: DeleteSet): Y.ID | null {
	if (item.deleted || !(item.content instanceof Y.ContentString)) return null;
	const range = rangeDeleting(ds, item.id.client, item.id.clock);
	const clock = range ? range.clock + range.len : item.id.clock;
	return clock < item.id.clock + item.length ? Y.createID(item.id.client, clock) : null;
}

/**
 * The characters that stand beside text an update deletes once it is applied: the nearest
 * characters left and right of an item that stay live. For one update (`ds`, its delete set):
 * each item is passed at most once per side however many deleted parts look past it (a select-all
 * deletion of many small items would otherwise be quadratic), and a search gives up after WALK
 * items (a long run of earlier deletions): then no neighbour is known.
 */
export function liveNeighbours(ds: DeleteSet): {
	before: (item: Y.Item | null) => Y.ID | null;
	after: (item: Y.Item | null) => Y.ID | null;
} {
	const walk = (
		start: Y.Item | null,
		next: (item: Y.Item) => Y.Item | null,
		own: (item: Y.Item, ds: DeleteSet) => Y.ID | null,
		memo: Map<Y.Item, Y.ID | null>
	): Y.ID | null => {
		const passed: Y.Item[] = [];
		let found: Y.ID | null = null;
		for (let at = start; at !== null && passed.length < WALK; at = next(at)) {
			const known = memo.get(at);
			if (known !== undefined) {
				found = known;
				break;
			}
			passed.push(at);
			found = own(at, ds);
			if (found) break;
		}
		for (const item of passed) memo.set(item, found);
		return found;
	};
	const lefts = new Map<Y.Item, Y.ID | null>();
	const rights = new Map<Y.Item, Y.ID | null>();
	return {
		before: (item) => walk(item, (at) => at.left, lastLive, lefts),
		after: (item) => walk(item, (at) => at.right, firstLive, rights)
	};
}
