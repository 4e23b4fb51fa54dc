import type { Generated } from 'kysely';

/** "My story" timeline entries and photos (migration 20261123000900). */
export type TimelineKind = 'place' | 'person' | 'school';

/**
 * 'accepted': on the timeline. 'suggested': someone the story is shared with (to comment)
 * suggested it; only the young person and the suggester see it until the young person decides.
 * 'declined': the young person said no; only they see it.
 */
export type TimelineStatus = 'accepted' | 'suggested' | 'declined';

export interface StoryTimelineEntriesTable {
	id: Generated<string>;
	document_id: string;
	kind: TimelineKind;
	name: string;
	/** Free text as the young person says it: "2019", "Year 7". */
	period: string | null;
	note: string | null;
	added_by: string | null;
	status: Generated<TimelineStatus>;
	decided_at: Date | null;
	created_at: Generated<Date>;
}

export interface StoryPhotosTable {
	id: Generated<string>;
	document_id: string;
	uploaded_by: string | null;
	media_type: 'image/jpeg' | 'image/png' | 'image/webp';
	/**
	 * The full-size photo, re-encoded from the uploaded pixels by $lib/server/documents/photos
	 * (never the uploaded bytes); served on request.
	 */
	bytes: Uint8Array;
	width: number | null;
	height: number | null;
	/** WebP, at most 1280 px on its longer side, served by default; null for older photos. */
	phone_bytes: Uint8Array | null;
	phone_width: number | null;
	phone_height: number | null;
	/** Required: what the photo shows, for screen readers. */
	alt_text: string;
	caption: string | null;
	created_at: Generated<Date>;
}

export interface StoryTables {
	story_timeline_entries: StoryTimelineEntriesTable;
	story_photos: StoryPhotosTable;
}
