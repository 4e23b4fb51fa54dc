import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { optionLabels, wordingFor } from '$lib/components/feedback/labels';
import type { Locale } from '$lib/i18n';
import { asUser, createDb, type VerifiedClaims } from '$lib/server/db';
import { questionsForBand, surveyQuestions, addQuestion } from '$lib/server/db/survey-questions';
import { surveyResults } from '$lib/server/db/survey-results';
import { saveDraft, submitResponse } from '$lib/server/db/survey-responses';
import { closeSurvey, createSurvey, getSurvey, publishSurvey } from '$lib/server/db/surveys';
import { readAnswer } from '$lib/server/feedback/answers';
import { buildResults } from '$lib/server/feedback/results';
import type { DraftAnswers } from '$lib/server/db/schema-feedback';
import { createPerson } from '../collab/support.ts';

// Issue 14, item 5: a survey answered partly in Welsh and partly in English counts together.
// Everything runs through the app's own modules, as the pages run them (the app's login role, as
// `authenticated` with each person's claims, under RLS): each young person reads the questions
// in their own language, picks an answer by its words in that language, and the answer is read
// from the posted form exactly as the question page reads it.
const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });
const db = createDb(inject('appDatabaseUrl'), 4);
const claims = (sub: string): VerifiedClaims => ({ sub, role: 'authenticated' });

let designer: string;
let surveyId: string;
/** Three answer in Welsh and three in English: six, so no figure is hidden. */
const people: { id: string; locale: Locale }[] = [];

beforeAll(async () => {
	const org = await admin.query<{ id: string }>(
		`insert into public.organisations (name, kind) values ('Welsh survey LA', 'local_authority')
		 returning id`
	);
	const orgId = org.rows[0]!.id;
	designer = await createPerson(admin, 'Lee');
	await admin.query(
		`insert into public.memberships (organisation_id, user_id, role)
		 values ($1, $2, 'service_designer')`,
		[orgId, designer]
	);
	for (const [i, locale] of (['cy', 'en', 'cy', 'en', 'cy', 'en'] as const).entries()) {
		const id = await createPerson(admin, `Person${i}`);
		await admin.query(
			`insert into public.memberships (organisation_id, user_id, role)
			 values ($1, $2, 'young_person')`,
			[orgId, id]
		);
		people.push({ id, locale });
	}

	surveyId = await asUser(db, claims(designer), async (tx) => {
		const id = await createSurvey(tx, {
			organisationId: orgId,
			title: 'How are things?',
			intro: null,
			audience: ['young_person'],
			bands: ['age_11_17'],
			createdBy: designer
		});
		await addQuestion(tx, id, {
			kind: 'scale',
			prompt: 'How do you feel about where you live?',
			simplePrompt: null,
			options: [],
			onlyBand: null,
			promptCy: "Sut rydych chi'n teimlo am ble rydych chi'n byw?",
			simplePromptCy: null,
			optionsCy: []
		});
		await addQuestion(tx, id, {
			kind: 'single',
			prompt: 'Do you know how to get an advocate?',
			simplePrompt: null,
			options: ['Yes', 'No', 'Not sure'],
			onlyBand: null,
			promptCy: "Ydych chi'n gwybod sut i gael eiriolwr?",
			simplePromptCy: null,
			optionsCy: ['Ydw', 'Nac ydw', 'Dim yn siŵr']
		});
		await addQuestion(tx, id, {
			kind: 'anything_else',
			prompt: 'Anything else?',
			simplePrompt: null,
			options: [],
			onlyBand: null,
			promptCy: 'Unrhyw beth arall?',
			simplePromptCy: null,
			optionsCy: []
		});
		await publishSurvey(tx, id);
		return id;
	});
});

afterAll(async () => {
	await db.destroy();
	await admin.end();
});

/** What a person picks, by the words they see: "No" in English, "Nac ydw" in Welsh. */
const NO: Record<Locale, string> = { en: 'No', cy: 'Nac ydw' };
const WORDS: Record<Locale, string> = { en: 'More trips', cy: 'Mwy o dripiau' };

describe('a survey answered in Welsh and in English', () => {
	it('counts every answer together, whatever language it was given in', async () => {
		for (const person of people) {
			await asUser(db, claims(person.id), async (tx) => {
				const questions = questionsForBand(await surveyQuestions(tx, surveyId), 'age_11_17');
				const answers: DraftAnswers = {};
				for (const q of questions) {
					const wording = wordingFor(q, 'age_11_17', person.locale);
					// They read the question in their own language.
					expect(wording.lang).toBe(person.locale);
					const form = new FormData();
					if (q.kind === 'scale') form.append('answer', '4');
					else if (q.kind === 'single') {
						const labels = optionLabels(q, person.locale);
						expect(labels).toContain(NO[person.locale]);
						form.append('answer', String(labels.indexOf(NO[person.locale]) + 1));
					} else form.append('answer', WORDS[person.locale]);
					const answer = readAnswer(q, form);
					expect(answer.ok).toBe(true);
					if (answer.ok && answer.value !== null) answers[q.id] = answer.value;
				}
				await saveDraft(tx, surveyId, person.id, 'age_11_17', answers);
				await submitResponse(tx, surveyId, 'age_11_17', answers);
			});
		}

		const { view, rows } = await asUser(db, claims(designer), async (tx) => {
			const survey = (await getSurvey(tx, surveyId))!;
			// Closing writes the answers still held back (they are released in fives).
			await closeSurvey(tx, surveyId);
			const questions = await surveyQuestions(tx, surveyId);
			const rows = await surveyResults(tx, surveyId);
			return { view: buildResults(survey.bands, questions, rows), rows };
		});

		const everyone = view.responses.find((r) => r.band === null);
		expect(everyone?.n).toBe(6);
		const [scale, advocate, anythingElse] = view.questions;
		const all = (q: typeof scale) => q!.groups.find((g) => g.band === null)!;
		expect(all(scale).base).toBe(6);
		expect(all(scale).mean).toBe(4);
		// One answer, "No" / "Nac ydw": option 2, chosen by all six.
		expect(all(advocate).base).toBe(6);
		expect(all(advocate).options.map((o) => o.n)).toEqual([0, 6, 0]);
		expect(all(anythingElse).base).toBe(6);
		// The database knows answers only by question and option number: one set of rows per
		// question, none per language.
		const questionIds = new Set(rows.map((r) => r.question_id).filter((id) => id !== null));
		expect(questionIds.size).toBe(3);
	});
});

describe('the Welsh wording of a question', () => {
	it('has one Welsh answer for each English answer, and the Welsh question first', async () => {
		const { rows } = await admin.query<{ id: string }>(
			`insert into public.surveys (organisation_id, title, audience, bands, created_by)
			 select organisation_id, 'Welsh wording check (draft)', '{young_person}', '{age_11_17}', $1
			 from public.surveys where id = $2 returning id`,
			[designer, surveyId]
		);
		const draft = rows[0]!.id;
		const insert = (promptCy: string | null, optionsCy: string[]) =>
			admin.query(
				`insert into public.survey_questions
				   (survey_id, position, kind, prompt, options, prompt_cy, options_cy)
				 values ($1, 1, 'single', 'Q?', '{Yes,No}', $2, $3)`,
				[draft, promptCy, optionsCy]
			);
		await expect(insert('C?', ['Ydw'])).rejects.toThrow(/check constraint/);
		await expect(insert(null, ['Ydw', 'Nac ydw'])).rejects.toThrow(/check constraint/);
		// A Welsh question needs its answers in Welsh too.
		await expect(insert('C?', [])).rejects.toThrow(/survey_questions_welsh_prompt_needs_options/);
		await expect(insert('C?', ['Ydw', 'Nac ydw'])).resolves.toBeDefined();
	});
});
