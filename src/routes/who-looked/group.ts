import type { ReadPurpose } from '$lib/server/db/schema-documents';

export interface LookRow {
	reader_id: string;
	reader_name: string;
	mine: boolean;
	day: string;
	title: string;
	purpose: ReadPurpose;
	times: number;
	last_at: Date;
}

export interface LookGroup {
	key: string;
	readerName: string;
	mine: boolean;
	/** The last look of the day: the day is shown from it, in UK time. */
	lastAt: Date;
	items: { title: string; purpose: ReadPurpose; times: number }[];
}

/** One group per person and day, in the order the rows came (others first, newest day first). */
export function groupLooks(rows: LookRow[]): LookGroup[] {
	const groups = new Map<string, LookGroup>();
	for (const row of rows) {
		const key = `${row.reader_id}|${row.day}`;
		let group = groups.get(key);
		if (!group) {
			group = { key, readerName: row.reader_name, mine: row.mine, lastAt: row.last_at, items: [] };
			groups.set(key, group);
		}
		group.items.push({ title: row.title, purpose: row.purpose, times: row.times });
	}
	return [...groups.values()];
}
