import pg from 'pg';
import { DEMO, ensureStory } from './support';

/**
 * Real ids from the demo data, so a request that got through would have something to change.
 * Each is the oldest of its kind (a fixed choice: updates by earlier tests do not move it).
 */
export async function realParams(client: pg.Client): Promise<Record<string, string>> {
	const one = async (sql: string) => (await client.query<{ id: string }>(sql)).rows[0]?.id;
	const sample = '00000000-0000-4000-8000-00000000ffff';
	const documentId = await one(
		`select id::text from public.documents
		 where young_person_id = '${DEMO.youngPerson.id}' and kind <> 'my_story'
		 order by created_at, id limit 1`
	);
	// Timelines, photos and sharing belong to stories: Sam's (made if no earlier test made it).
	const storyId = await ensureStory(DEMO.youngPerson.id);
	const oldest = async (table: string) =>
		(await one(`select id::text from public.${table} order by created_at, id limit 1`)) ?? sample;
	return {
		id: documentId ?? sample,
		'/documents/[id]/timeline:id': storyId,
		'/documents/[id]/photos:id': storyId,
		'/documents/[id]/photos/[photoId]:id': storyId,
		'/documents/[id]/sharing:id': storyId,
		'young-people:id': DEMO.youngPerson.id,
		'advocacy:id': await oldest('advocacy_requests'),
		'surveys:id': await oldest('surveys'),
		'feedback:id': await oldest('surveys'),
		step: '1',
		versionId:
			(await one(`select id::text from public.document_versions
			            where document_id = '${documentId ?? sample}' order by created_at, id limit 1`)) ??
			sample,
		photoId:
			(await one(`select id::text from public.story_photos
			            where document_id = '${storyId}' order by created_at, id limit 1`)) ?? sample,
		token: sample
	};
}

/** A route-parameter filler for findFormActions: the real ids above, by route, section or name. */
export function fillFrom(params: Record<string, string>) {
	return (route: string, param: string) => {
		const section = route.split('/')[1];
		return params[`${route}:${param}`] ?? params[`${section}:${param}`] ?? params[param] ?? param;
	};
}
