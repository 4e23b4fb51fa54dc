import pg from 'pg';
import { adminUrl, PRIYA_ID } from './support';

/** A care plan of the person's own, made straight in the database. */
export async function carePlanFor(youngPersonId: string, title: string): Promise<string> {
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		const { rows } = await client.query<{ id: string }>(
			`insert into public.documents (young_person_id, kind, title, created_by)
			 values ($1, 'care_plan', $2, $3) returning id`,
			[youngPersonId, title, PRIYA_ID]
		);
		return rows[0]!.id;
	} finally {
		await client.end();
	}
}
