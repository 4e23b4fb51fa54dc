import type { Tx } from './index';
import type { ReadingSettings } from '../../reading-settings';

/**
 * The caller's own reading settings, or null if they have not chosen yet (RLS: nobody else's
 * row is ever visible, so asking for someone else's also gives null).
 */
export async function getReadingSettings(
	tx: Tx,
	personId: string
): Promise<ReadingSettings | null> {
	const row = await tx
		.selectFrom('reading_settings')
		.select([
			'text_size',
			'readable_font',
			'wide_spacing',
			'high_contrast',
			'reduced_motion',
			'read_aloud'
		])
		.where('person_id', '=', personId)
		.executeTakeFirst();
	if (!row) return null;
	return {
		textSize: row.text_size,
		readableFont: row.readable_font,
		wideSpacing: row.wide_spacing,
		highContrast: row.high_contrast,
		reducedMotion: row.reduced_motion,
		readAloud: row.read_aloud
	};
}

/** Records the caller's choice (the first time, or a change); RLS refuses anyone else's. */
export async function saveReadingSettings(
	tx: Tx,
	personId: string,
	s: ReadingSettings
): Promise<void> {
	const values = {
		text_size: s.textSize,
		readable_font: s.readableFont,
		wide_spacing: s.wideSpacing,
		high_contrast: s.highContrast,
		reduced_motion: s.reducedMotion,
		read_aloud: s.readAloud
	};
	await tx
		.insertInto('reading_settings')
		.values({ person_id: personId, ...values })
		.onConflict((oc) => oc.column('person_id').doUpdateSet({ ...values, updated_at: new Date() }))
		.execute();
}
