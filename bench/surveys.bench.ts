/**
 * Survey results at scale (issue 6): 100,000 anonymous responses to a 40-question survey in four
 * age-banded versions, in a throwaway embedded Postgres. Reports how long the results page's data
 * takes to compute and render (suppressed figures from private.survey_results, an SVG chart per
 * question and group, the free-text samples, and the CSV), as the designer under RLS through the
 * app's login role, exactly as the page does. Target: under 1 s.
 *
 * The figures come from survey_answer_counts, the running totals private.submit_survey_response
 * keeps, so the page reads a few hundred rows instead of ~4 million answers. The one-off rebuild of
 * those totals from the raw answers is timed too, for comparison.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { startPostgres, makeTempDataDir } from '../scripts/local-stack/postgres.ts';
import {
	appDatabaseUrl,
	applyMigrations,
	bootstrapPlatform
} from '../scripts/local-stack/database.ts';
import { freePort } from '../scripts/support/free-port.ts';
import type { Database } from '../src/lib/server/db/schema.ts';
import { getSurvey } from '../src/lib/server/db/surveys.ts';
import { textAnswers } from '../src/lib/server/db/survey-results.ts';
import { resultsCsv } from '../src/lib/server/feedback/csv.ts';
import { resultsPage } from '../src/lib/server/feedback/report.ts';

const RESPONSES = 100_000;
const QUESTIONS = 40;
const RUNS = 7;

const ORG = '00000000-0000-4000-8000-00000000b0a1';
const DESIGNER = '00000000-0000-4000-8000-00000000b0d1';
const SURVEY = '00000000-0000-4000-8000-00000000b051';

function ms(since: bigint): number {
	return Math.round(Number(process.hrtime.bigint() - since) / 1e4) / 100;
}

/** Seeds the survey and its responses as the superuser, straight into the tables. */
async function seed(admin: pg.Client) {
	await admin.query(`
		insert into public.organisations (id, name, kind) values ('${ORG}', 'Bench Council', 'local_authority');
		insert into auth.users (instance_id, id, aud, role, email, encrypted_password, raw_app_meta_data,
			raw_user_meta_data, created_at, updated_at)
		values ('00000000-0000-0000-0000-000000000000', '${DESIGNER}', 'authenticated', 'authenticated',
			'designer@bench.invalid', '', '{}', '{"preferred_name":"Designer"}', now(), now());
		insert into public.memberships (organisation_id, user_id, role)
		values ('${ORG}', '${DESIGNER}', 'service_designer');
		insert into public.surveys (id, organisation_id, title, audience, bands, status, created_by)
		values ('${SURVEY}', '${ORG}', 'Bench survey', '{young_person}',
			'{age_4_7,age_8_11,age_11_17,care_leavers}', 'published', '${DESIGNER}');
		-- 40 questions: 30 scales, 5 choose-one (4 answers), 3 choose-any (5 answers), 2 written.
		insert into public.survey_questions (survey_id, position, kind, prompt, options)
		select '${SURVEY}', i,
			(case when i <= 30 then 'scale' when i <= 35 then 'single' when i <= 38 then 'multiple'
				else 'text' end)::public.survey_question_kind,
			'Question ' || i,
			case when i between 31 and 35 then array['A', 'B', 'C', 'D']
				when i between 36 and 38 then array['A', 'B', 'C', 'D', 'E'] else '{}' end
		from generate_series(1, ${QUESTIONS}) i;
		-- Bands: 4–7 has only 4 responses, so its figures (and one more group's) are suppressed.
		insert into public.survey_responses (survey_id, age_band, submitted_on)
		select '${SURVEY}',
			(case when i <= 4 then 'age_4_7' when i % 10 < 3 then 'age_8_11'
				when i % 10 < 8 then 'age_11_17' else 'care_leavers' end)::public.survey_age_band,
			current_date - (i % 60)
		from generate_series(1, ${RESPONSES}) i;
	`);
	await admin.query(`
		insert into public.survey_answers (response_id, question_id, choices)
		select r.id, q.id,
			case q.kind
				when 'scale' then array[1 + (hashtext(r.id::text || q.position) & 1023) % 5]::smallint[]
				when 'single' then array[1 + (hashtext(r.id::text || q.position) & 1023) % 4]::smallint[]
				else array[1 + (hashtext(r.id::text || q.position) & 1023) % 5,
					1 + (hashtext(q.position || r.id::text) & 1023) % 5]::smallint[]
			end
		from public.survey_responses r
		cross join public.survey_questions q
		where r.survey_id = '${SURVEY}' and q.survey_id = '${SURVEY}' and q.kind <> 'text'
			-- About 1 in 20 answers is skipped.
			and (hashtext(q.id::text || r.id::text) & 1023) % 20 <> 0
		on conflict do nothing;
	`);
	await admin.query(`
		insert into public.survey_text_answers (survey_id, question_id, age_band, body)
		select '${SURVEY}', q.id, r.age_band, 'Something I want to say, number ' || q.position
		from public.survey_responses r
		cross join public.survey_questions q
		where r.survey_id = '${SURVEY}' and q.survey_id = '${SURVEY}' and q.kind = 'text'
			and (hashtext(q.id::text || r.id::text) & 1023) % 4 = 0;
	`);
}

export default async function surveysBench() {
	const dataDir = makeTempDataDir('in-my-words-bench-surveys-');
	const port = await freePort();
	const server = await startPostgres({ dataDir, port });
	const admin = new pg.Client({ connectionString: server.adminUrl });
	const pool = new pg.Pool({ connectionString: appDatabaseUrl(port), max: 2 });
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
	try {
		await bootstrapPlatform(server.adminUrl);
		await applyMigrations(server.adminUrl);
		await admin.connect();

		let t = process.hrtime.bigint();
		await seed(admin);
		const seedMs = ms(t);
		t = process.hrtime.bigint();
		await admin.query(`select private.rebuild_survey_counts('${SURVEY}')`);
		const rebuildMs = ms(t);
		await admin.query('vacuum analyze');
		const { rows: sizes } = await admin.query<{ answers: string; counts: string }>(
			`select (select count(*) from public.survey_answers) as answers,
				(select count(*) from public.survey_answer_counts) as counts`
		);

		const claims = JSON.stringify({ sub: DESIGNER, role: 'authenticated' });
		const timings: number[] = [];
		let charts = 0;
		let csvBytes = 0;
		let hiddenFigures = 0;
		for (let run = 0; run < RUNS; run++) {
			t = process.hrtime.bigint();
			await db.transaction().execute(async (tx) => {
				await sql`select set_config('role', 'authenticated', true),
					set_config('request.jwt.claims', ${claims}, true)`.execute(tx);
				const survey = await getSurvey(tx, SURVEY);
				if (!survey) throw new Error('bench survey not visible to its designer');
				const page = await resultsPage(tx, survey);
				for (const q of page.view.questions.filter((x) => x.kind === 'text')) {
					await textAnswers(tx, q.id, 50);
				}
				const csv = resultsCsv(survey.title, page.view);
				charts = Object.values(page.charts).reduce((n, c) => n + Object.keys(c).length, 0);
				csvBytes = csv.length;
				hiddenFigures = page.view.questions
					.flatMap((q) => q.groups)
					.filter((g) => g.base === null).length;
			});
			timings.push(ms(t));
		}
		const sorted = [...timings].sort((a, b) => a - b);
		return {
			responses: RESPONSES,
			questions: QUESTIONS,
			answerRows: Number(sizes[0]?.answers),
			summaryRows: Number(sizes[0]?.counts),
			seedMs,
			rebuildSummaryFromRawMs: rebuildMs,
			resultsPageMs: {
				median: sorted[Math.floor(sorted.length / 2)],
				max: sorted.at(-1),
				runs: timings
			},
			targetMs: 1000,
			charts,
			csvBytes,
			hiddenGroups: hiddenFigures
		};
	} finally {
		await db.destroy();
		await admin.end().catch(() => {});
		await server.stop();
		rmSync(path.dirname(dataDir), { recursive: true, force: true });
	}
}
