import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asUser, createDb, type VerifiedClaims } from '$lib/server/db';
import { getReadingSettings, saveReadingSettings } from '$lib/server/db/reading-settings';
import { DEFAULT_READING, type ReadingSettings } from '$lib/reading-settings';
import { createPerson } from '../collab/support.ts';

// Reading settings kept in the profile (issue 16, item 1), through the app's own query module,
// as the app runs it: the app's login role, as `authenticated` with each person's claims, under
// RLS. Fixtures are made as the superuser. The full role matrix is in
// supabase/tests/rls_reading_settings.test.sql.
const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });
const db = createDb(inject('appDatabaseUrl'), 4);
const claims = (sub: string): VerifiedClaims => ({ sub, role: 'authenticated' });

let youngPerson: string;
let worker: string;

const chosen: ReadingSettings = {
	textSize: 'larger',
	readableFont: true,
	wideSpacing: true,
	highContrast: false,
	reducedMotion: true,
	readAloud: true
};

beforeAll(async () => {
	youngPerson = await createPerson(admin, 'Rowan');
	worker = await createPerson(admin, 'Wyn');
	// The worker is in the young person's circle with edit access: they see the profile, still
	// never the reading settings.
	await admin.query(
		`insert into public.circle_members (young_person_id, member_id, relationship, access)
		 values ($1, $2, 'Social worker', 'edit')`,
		[youngPerson, worker]
	);
});

afterAll(async () => {
	await db.destroy();
	await admin.end();
});

describe('reading settings in the profile', () => {
	it('are "not chosen yet" until the person chooses', async () => {
		expect(
			await asUser(db, claims(youngPerson), (tx) => getReadingSettings(tx, youngPerson))
		).toBeNull();
	});

	it('are stored for the person and read back, then changed in place', async () => {
		await asUser(db, claims(youngPerson), (tx) => saveReadingSettings(tx, youngPerson, chosen));
		expect(
			await asUser(db, claims(youngPerson), (tx) => getReadingSettings(tx, youngPerson))
		).toEqual(chosen);
		const changed = { ...chosen, textSize: 'large' as const, highContrast: true };
		await asUser(db, claims(youngPerson), (tx) => saveReadingSettings(tx, youngPerson, changed));
		expect(
			await asUser(db, claims(youngPerson), (tx) => getReadingSettings(tx, youngPerson))
		).toEqual(changed);
		const { rows } = await admin.query(
			'select text_size, high_contrast from public.reading_settings where person_id = $1',
			[youngPerson]
		);
		expect(rows).toEqual([{ text_size: 'large', high_contrast: true }]);
	});

	it('are never readable by someone in their circle', async () => {
		expect(
			await asUser(db, claims(worker), (tx) => getReadingSettings(tx, youngPerson))
		).toBeNull();
		// The profile itself is visible to them: only the settings are private.
		const { rows } = await admin.query('select count(*)::int as n from public.reading_settings');
		expect(rows[0].n).toBeGreaterThan(0);
	});

	it("cannot be written for someone else, and leave the person's own untouched", async () => {
		await expect(
			asUser(db, claims(worker), (tx) => saveReadingSettings(tx, youngPerson, DEFAULT_READING))
		).rejects.toMatchObject({ code: '42501' });
		const { rows } = await admin.query(
			'select text_size from public.reading_settings where person_id = $1',
			[youngPerson]
		);
		expect(rows).toEqual([{ text_size: 'large' }]);
	});

	it('are no longer on the profile, which others in the circle can read', async () => {
		const { rows } = await admin.query(
			`select column_name from information_schema.columns
			 where table_schema = 'public' and table_name = 'profiles'
			   and column_name in ('larger_text', 'dyslexia_font', 'read_aloud')`
		);
		expect(rows).toEqual([]);
	});
});
