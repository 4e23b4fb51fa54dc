import pg from 'pg';
import { DEMO } from './support';

/** Real ids from the demo data, so a request that got through would have something to change. */
export async function realParams(client: pg.Client): Promise<Record<string, string>> {
	const one = async (sql: string) => (await client.query<{ id: string }>(sql)).rows[0]?.id;
	const sample = '00000000-0000-4000-8000-00000000ffff';
	const documentId = await one(
		`select id::text from public.documents where young_person_id = '${DEMO.youngPerson.id}'
		 order by created_at limit 1`
	);
	return {
		id: documentId ?? sample,
		'young-people:id': DEMO.youngPerson.id,
		'advocacy:id': (await one('select id::text from public.advocacy_requests limit 1')) ?? sample,
		'surveys:id': (await one('select id::text from public.surveys limit 1')) ?? sample,
		'feedback:id': (await one('select id::text from public.surveys limit 1')) ?? sample,
		step: '1',
		versionId:
			(await one(`select id::text from public.document_versions
			            where document_id = '${documentId ?? sample}' limit 1`)) ?? sample,
		photoId: sample,
		token: sample
	};
}

/** Every form action, its route parameters filled with real ids (see realParams). */
export function fillFrom(params: Record<string, string>) {
	return (route: string, param: string) => {
		const section = route.split('/')[1];
		return params[`${section}:${param}`] ?? params[param] ?? param;
	};
}
