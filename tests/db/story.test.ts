import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asUser, createDb, type VerifiedClaims } from '$lib/server/db';
import { addPhoto, photoBytes, photosOf } from '$lib/server/db/story-photos';
import { addTimelineEntry, decideSuggestion, timelineOf } from '$lib/server/db/story-timeline';
import { checkPhoto } from '$lib/server/documents/photos';
import { openStory } from '$lib/server/documents/story';
import { createPerson } from '../collab/support.ts';
import { holds, jpegWithGps, LEAKS, pngWithText } from '../support/photo-fixtures.ts';

// The story query modules and openStory, run as the app runs them: the app's login role, as
// `authenticated` with each person's claims, under RLS. Fixtures are made as the superuser.
const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });
const db = createDb(inject('appDatabaseUrl'), 4);

const claims = (sub: string): VerifiedClaims => ({ sub, role: 'authenticated' });

let youngPerson: string;
let commenter: string;
let viewer: string;
let outsider: string;
let storyId: string;
let carePlanId: string;

/** A PNG with a text chunk naming a place, as a phone app might write it. */
async function readsOf(reader: string): Promise<number> {
	const { rows } = await admin.query<{ n: string }>(
		'select count(*) as n from public.document_reads where reader_id = $1',
		[reader]
	);
	return Number(rows[0]?.n ?? 0);
}

beforeAll(async () => {
	youngPerson = await createPerson(admin, 'Robin');
	commenter = await createPerson(admin, 'Jo');
	viewer = await createPerson(admin, 'Vic');
	outsider = await createPerson(admin, 'Olu');
	for (const [member, access] of [
		[commenter, 'edit'],
		[viewer, 'view']
	] as const) {
		await admin.query(
			`insert into public.circle_members (young_person_id, member_id, relationship, access)
			 values ($1, $2, 'Circle', $3)`,
			[youngPerson, member, access]
		);
	}
	const docs = await admin.query<{ id: string; kind: string }>(
		`insert into public.documents (young_person_id, kind, title, created_by)
		 values ($1, 'my_story', 'My story', $1), ($1, 'care_plan', 'Care plan', $2)
		 returning id, kind`,
		[youngPerson, commenter]
	);
	storyId = docs.rows.find((d) => d.kind === 'my_story')!.id;
	carePlanId = docs.rows.find((d) => d.kind === 'care_plan')!.id;
	await admin.query(
		`insert into public.document_shares (document_id, person_id, access, shared_by)
		 values ($1, $2, 'comment', $4), ($1, $3, 'view', $4)`,
		[storyId, commenter, viewer, youngPerson]
	);
});

afterAll(async () => {
	await db.destroy();
	await admin.end();
});

describe('openStory', () => {
	it('opens a story for the people who may see it, writing one audit row each time', async () => {
		for (const [who, access] of [
			[youngPerson, 'edit'],
			[commenter, 'comment'],
			[viewer, 'view']
		] as const) {
			const before = await readsOf(who);
			const story = await asUser(db, claims(who), (tx) =>
				openStory(tx, storyId, who, { audit: true })
			);
			expect(story).toMatchObject({ id: storyId, access, isOwner: who === youngPerson });
			expect(await readsOf(who)).toBe(before + 1);
		}
	});

	it('writes no audit row for an action (audit: false)', async () => {
		const before = await readsOf(youngPerson);
		await asUser(db, claims(youngPerson), (tx) =>
			openStory(tx, storyId, youngPerson, { audit: false })
		);
		expect(await readsOf(youngPerson)).toBe(before);
	});

	it('is null, with no audit row, for someone it is not shared with, a plan, or a bad id', async () => {
		const before = await readsOf(outsider);
		expect(
			await asUser(db, claims(outsider), (tx) => openStory(tx, storyId, outsider, { audit: true }))
		).toBeNull();
		expect(await readsOf(outsider)).toBe(before);
		// The commenter edits the care plan, but it is no story: no timeline or photos there.
		expect(
			await asUser(db, claims(commenter), (tx) =>
				openStory(tx, carePlanId, commenter, { audit: true })
			)
		).toBeNull();
		expect(
			await asUser(db, claims(youngPerson), (tx) =>
				openStory(tx, 'not-a-uuid', youngPerson, { audit: true })
			)
		).toBeNull();
	});
});

describe('timeline', () => {
	it('keeps a suggestion out of sight of readers until the young person accepts it, once', async () => {
		const suggestion = await asUser(db, claims(commenter), (tx) =>
			addTimelineEntry(tx, {
				documentId: storyId,
				addedBy: commenter,
				status: 'suggested',
				kind: 'school',
				name: 'Hill Primary',
				period: 'Year 3',
				note: null
			})
		);
		const namesFor = async (who: string) =>
			(await asUser(db, claims(who), (tx) => timelineOf(tx, storyId))).map(
				(e) => `${e.name}:${e.status}`
			);
		expect(await namesFor(viewer)).toEqual([]);
		expect(await namesFor(commenter)).toEqual(['Hill Primary:suggested']);
		expect(await namesFor(youngPerson)).toEqual(['Hill Primary:suggested']);
		// A commenter cannot accept their own idea (RLS filters the update to nothing).
		expect(
			await asUser(db, claims(commenter), (tx) =>
				decideSuggestion(tx, storyId, suggestion, 'accepted')
			)
		).toBe(false);
		expect(
			await asUser(db, claims(youngPerson), (tx) =>
				decideSuggestion(tx, storyId, suggestion, 'accepted')
			)
		).toBe(true);
		// Deciding again (another tab) changes nothing.
		expect(
			await asUser(db, claims(youngPerson), (tx) =>
				decideSuggestion(tx, storyId, suggestion, 'declined')
			)
		).toBe(false);
		expect(await namesFor(viewer)).toEqual(['Hill Primary:accepted']);
	});

	it('refuses an accepted entry from anyone but the young person', async () => {
		await expect(
			asUser(db, claims(commenter), (tx) =>
				addTimelineEntry(tx, {
					documentId: storyId,
					addedBy: commenter,
					status: 'accepted',
					kind: 'place',
					name: 'Somewhere',
					period: null,
					note: null
				})
			)
		).rejects.toMatchObject({ code: '42501' });
	});
});

describe('photos', () => {
	it('stores only the re-encoded versions, and serves them to readers but not to others', async () => {
		const checked = await checkPhoto({
			bytes: pngWithText(),
			declaredType: 'image/png',
			filename: 'a.png'
		});
		expect(checked.ok).toBe(true);
		if (!checked.ok) return;
		const id = await asUser(db, claims(youngPerson), (tx) =>
			addPhoto(tx, {
				documentId: storyId,
				uploadedBy: youngPerson,
				clean: checked.photo,
				altText: 'The front door',
				caption: null
			})
		);
		const { rows } = await admin.query<{ bytes: Buffer; phone_bytes: Buffer; media_type: string }>(
			'select bytes, phone_bytes, media_type from public.story_photos where id = $1',
			[id]
		);
		for (const stored of [rows[0]!.bytes, rows[0]!.phone_bytes]) {
			for (const leak of Object.values(LEAKS)) expect(holds(stored, leak), leak).toBe(false);
		}
		expect(rows[0]!.media_type).toBe('image/png');

		// By default the phone version, in WebP; the full-size one when asked for.
		const forViewer = await asUser(db, claims(viewer), (tx) => photoBytes(tx, storyId, id));
		expect(forViewer?.media_type).toBe('image/webp');
		expect(Buffer.from(forViewer!.bytes).equals(rows[0]!.phone_bytes)).toBe(true);
		const full = await asUser(db, claims(viewer), (tx) => photoBytes(tx, storyId, id, 'full'));
		expect(full?.media_type).toBe('image/png');
		expect(Buffer.from(full!.bytes).equals(rows[0]!.bytes)).toBe(true);
		expect(await asUser(db, claims(outsider), (tx) => photoBytes(tx, storyId, id))).toBeUndefined();
		// The list never carries the bytes.
		const listed = await asUser(db, claims(viewer), (tx) => photosOf(tx, storyId));
		expect(listed.map((p) => p.alt_text)).toEqual(['The front door']);
		expect(listed[0]).toMatchObject({ width: 4, height: 3, phone_width: 4, phone_height: 3 });
		expect(Object.keys(listed[0]!)).not.toContain('bytes');
		expect(Object.keys(listed[0]!)).not.toContain('phone_bytes');
		// Only the young person adds photos.
		await expect(
			asUser(db, claims(commenter), (tx) =>
				addPhoto(tx, {
					documentId: storyId,
					uploadedBy: commenter,
					clean: checked.photo,
					altText: 'Mine',
					caption: null
				})
			)
		).rejects.toMatchObject({ code: '42501' });
	});

	it('keeps the phone version at most 1280 px on its longer side, and in WebP (the table says so too)', async () => {
		const checked = await checkPhoto({
			bytes: await jpegWithGps(2000, 1500),
			declaredType: 'image/jpeg',
			filename: 'IMG_0001.jpg'
		});
		if (!checked.ok) throw new Error(checked.reason);
		const id = await asUser(db, claims(youngPerson), (tx) =>
			addPhoto(tx, {
				documentId: storyId,
				uploadedBy: youngPerson,
				clean: checked.photo,
				altText: 'The park',
				caption: null
			})
		);
		const { rows } = await admin.query<{ w: number; h: number; pw: number; ph: number }>(
			`select width as w, height as h, phone_width as pw, phone_height as ph
			   from public.story_photos where id = $1`,
			[id]
		);
		expect(rows[0]).toEqual({ w: 1500, h: 2000, pw: 960, ph: 1280 });
		// The database refuses a "phone version" that is not a WebP, or is too big.
		await expect(
			admin.query(`update public.story_photos set phone_bytes = bytes where id = $1`, [id])
		).rejects.toMatchObject({ code: '23514' });
		await expect(
			admin.query(`update public.story_photos set phone_width = 2000 where id = $1`, [id])
		).rejects.toMatchObject({ code: '23514' });
	});

	it('still shows a photo stored before there were phone versions, at its one size', async () => {
		const legacy = pngWithText();
		const { rows } = await admin.query<{ id: string }>(
			`insert into public.story_photos (document_id, uploaded_by, media_type, bytes, width, height, alt_text)
			 values ($1, $2, 'image/png', $3, 4, 3, 'An older photo') returning id`,
			[storyId, youngPerson, legacy]
		);
		const id = rows[0]!.id;
		for (const size of ['phone', 'full'] as const) {
			const served = await asUser(db, claims(viewer), (tx) => photoBytes(tx, storyId, id, size));
			expect(served?.media_type, size).toBe('image/png');
			expect(Buffer.from(served!.bytes).equals(legacy), size).toBe(true);
		}
		const listed = await asUser(db, claims(viewer), (tx) => photosOf(tx, storyId));
		expect(listed.find((p) => p.id === id)).toMatchObject({ phone_width: null, width: 4 });
		await admin.query('delete from public.story_photos where id = $1', [id]);
	});
});
