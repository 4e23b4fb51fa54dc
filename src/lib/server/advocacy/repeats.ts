/**
 * Requests the same young person sent again the same day (linked by the database: `repeat_of`
 * names the first of the day) are shown to the advocate with that first request, so four
 * near-identical requests read as one person asking four times. A repeat whose first request is
 * not in the list (closed, say) stands on its own.
 */
export function groupRepeats<T extends { id: string; repeat_of: string | null }>(
	rows: T[]
): (T & { repeats: T[] })[] {
	const ids = new Set(rows.map((r) => r.id));
	const repeatsOf = new Map<string, T[]>();
	for (const r of rows) {
		if (r.repeat_of && ids.has(r.repeat_of)) {
			repeatsOf.set(r.repeat_of, [...(repeatsOf.get(r.repeat_of) ?? []), r]);
		}
	}
	return rows
		.filter((r) => !(r.repeat_of && ids.has(r.repeat_of)))
		.map((r) => ({ ...r, repeats: repeatsOf.get(r.id) ?? [] }));
}
