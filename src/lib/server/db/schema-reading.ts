import type { Generated } from 'kysely';
import type { TextSize } from '../../reading-settings';

/** How a person likes to read the app (migration 20261205300000); theirs alone under RLS. */
export interface ReadingSettingsTable {
	person_id: string;
	text_size: Generated<TextSize>;
	readable_font: Generated<boolean>;
	wide_spacing: Generated<boolean>;
	high_contrast: Generated<boolean>;
	reduced_motion: Generated<boolean>;
	read_aloud: Generated<boolean>;
	chosen_at: Generated<Date>;
	updated_at: Generated<Date>;
}

export interface ReadingTables {
	reading_settings: ReadingSettingsTable;
}
