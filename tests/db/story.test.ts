import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asUser, createDb, type VerifiedClaims } from '$lib/server/db';
import { addPhoto, photoBytes, photosOf } from '$lib/server/db/story-photos';
import { addTimelineEntry, decideSuggestion, timelineOf } from '$lib/server/db/story-timeline';
import { checkPhoto } from '$lib/server/documents/photos';
import { openStory } from '$lib/server/documents/story';
import { createPerson } from '../collab/support.ts';

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
function pngWithPlace(): Uint8Array {
	const chunk = (type: string, data: number[]) => {
		const len = [0, 0, 0, data.length];
		return [...len, ...new TextEncoder().encode(type), ...data, 0, 0, 0, 0];
	};
	return Uint8Array.from([
		0x89,
		0x50,
		0x4e,
		0x47,
		0x0d,
		0x0a,
		0x1a,
		0x0a,
		...chunk('IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]),
		...chunk('tEXt', [...new TextEncoder().encode('Where\0Acacia Road')]),
		...chunk('IDAT', [1, 2, 3]),
		...chunk('IEND', [])
	]);
}

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
	it('stores only the cleaned bytes, and serves them to readers but not to others', async () => {
		const checked = checkPhoto({
			bytes: pngWithPlace(),
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
		const { rows } = await admin.query<{ bytes: Buffer }>(
			'select bytes from public.story_photos where id = $1',
			[id]
		);
		expect(rows[0]!.bytes.includes(Buffer.from('Acacia'))).toBe(false);

		const forViewer = await asUser(db, claims(viewer), (tx) => photoBytes(tx, storyId, id));
		expect(forViewer?.media_type).toBe('image/png');
		expect(Buffer.from(forViewer!.bytes).equals(rows[0]!.bytes)).toBe(true);
		expect(await asUser(db, claims(outsider), (tx) => photoBytes(tx, storyId, id))).toBeUndefined();
		// The list never carries the bytes.
		const listed = await asUser(db, claims(viewer), (tx) => photosOf(tx, storyId));
		expect(listed.map((p) => p.alt_text)).toEqual(['The front door']);
		expect(Object.keys(listed[0]!)).not.toContain('bytes');
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
});
