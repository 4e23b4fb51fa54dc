import { type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
	DEMO,
	DEMO_PASSPHRASE,
	createPersonOfOwn,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signIn,
	test
} from './support';
import { spokenOn, stubSpeech } from './speech-stub';

const NORTHBRIDGE = '00000000-0000-4000-8000-0000000000a1';
const RILEY = { signIn: 'riley', name: 'Riley' };

/** A phone-sized context, with or without JavaScript, for one more person. */
async function phone(browser: Browser, javaScriptEnabled = true): Promise<BrowserContext> {
	return browser.newContext({
		baseURL: test.info().project.use.baseURL,
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true,
		javaScriptEnabled
	});
}

/** Answers the survey as one young person, from their home page to "Thank you". */
async function answer(
	page: Page,
	title: string,
	who: { signIn: string; band: RegExp; face: string; helper: string; words: string },
	options: { saveHalfway?: boolean; readAloud?: string; checkPages?: boolean } = {}
) {
	await signIn(page, who.signIn);
	await page.getByRole('link', { name: title }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	if (options.checkPages) await expectNoAxeViolations(page);
	await page.getByLabel(who.band).check();
	await page.getByRole('button', { name: 'Start' }).click();

	await expect(page.getByRole('heading', { name: 'Question 1 of 3' })).toBeVisible();
	if (options.checkPages) {
		await expectNoAxeViolations(page);
		await expectNoHorizontalScroll(page);
		// The faces are the app's own drawings (inline SVG), each with its words, never emoji.
		const choices = page.locator('label.choice');
		await expect(choices.locator('svg.face')).toHaveCount(5);
		await expect(choices).toHaveText(['Very sad', 'Sad', 'OK', 'Happy', 'Very happy']);
		const text = await page.locator('main').innerText();
		expect(text).not.toMatch(/\p{Extended_Pictographic}/u);
	}
	if (options.readAloud) {
		await page.getByRole('button', { name: 'Read the question aloud' }).click();
		// The question, then each answer, each on its own (with a pause between), in order.
		await expect
			.poll(async () => (await spokenOn(page)).map((s) => s.text))
			.toEqual([
				expect.stringContaining(options.readAloud),
				'Very sad',
				'Sad',
				'OK',
				'Happy',
				'Very happy'
			]);
	}
	await page.getByRole('radio', { name: who.face, exact: true }).check();
	await page.getByRole('button', { name: 'Next' }).click();

	await expect(page.getByRole('heading', { name: 'Question 2 of 3' })).toBeVisible();
	await page.getByRole('radio', { name: who.helper, exact: true }).check();
	if (options.saveHalfway) {
		// Save and continue later: the answers wait on the server, never in the browser.
		await page.getByRole('button', { name: 'Save and finish later' }).click();
		await expect(page.getByRole('status')).toContainText('Your answers are saved');
		// Only SvelteKit's own scroll bookkeeping is in session storage; nothing else at all.
		const stored = await page.evaluate(() => ({
			local: localStorage.length,
			session: Object.keys(sessionStorage).filter((k) => !k.startsWith('sveltekit:'))
		}));
		expect(stored).toEqual({ local: 0, session: [] });
		await page.goto('/home');
		await expect(page.getByText('You started this. Carry on any time.')).toBeVisible();
		await page.getByRole('link', { name: title }).click();
		await page.getByRole('button', { name: 'Carry on where I stopped' }).click();
		await expect(page.getByRole('heading', { name: 'Question 1 of 3' })).toBeVisible();
		await expect(page.getByRole('radio', { name: who.face, exact: true })).toBeChecked();
		await page.getByRole('button', { name: 'Next' }).click();
		await expect(page.getByRole('radio', { name: who.helper, exact: true })).toBeChecked();
	}
	await page.getByRole('button', { name: 'Next' }).click();

	await expect(page.getByRole('heading', { name: 'Question 3 of 3' })).toBeVisible();
	await page.getByLabel('Anything else?').fill(who.words);
	await page.getByRole('button', { name: 'Check my answers' }).click();
	await expect(page.getByRole('heading', { name: 'Check your answers' })).toBeVisible();
	await expect(page.getByText(who.words)).toBeVisible();
	if (options.checkPages) await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Send my answers' }).click();
	await expect(page.getByText('Thank you! Your answers are sent.')).toBeVisible();
}

test('a designer runs a survey with two age bands, results are suppressed, and "we did" reaches young people', async ({
	page,
	browser
}) => {
	const title = `How is school? ${Date.now() % 1_000_000}`;
	const weDid = `We started homework clubs ${Date.now() % 1_000_000}`;

	// The designer builds the survey: two age-banded versions of the same core questions.
	await signIn(page, DEMO.designer.signIn);
	await page.goto('/surveys');
	await expectNoAxeViolations(page);
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('8 to 11').check();
	await page.getByLabel('11 to 17').check();
	await page.getByRole('button', { name: 'Make the survey' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	const surveyId = /\/surveys\/([0-9a-f-]{36})/.exec(page.url())?.[1];
	expect(surveyId).toBeTruthy();

	await page.getByLabel('Kind of question').selectOption('scale');
	await page.getByLabel('Question', { exact: true }).fill('How do you feel about school?');
	await page
		.getByLabel('Simpler words for 4 to 11 year olds (optional)')
		.fill('How do you feel at school?');
	await page.getByRole('button', { name: 'Add the question' }).click();
	await expect(page.getByRole('status')).toHaveText('Question added.');
	await page.getByLabel('Kind of question').selectOption('single');
	await page.getByLabel('Question', { exact: true }).fill('Who helps you most?');
	await page
		.getByLabel('Answers to choose from (one on each line)')
		.fill('My carer\nMy teacher\nMy social worker');
	await page.getByRole('button', { name: 'Add the question' }).click();
	await expect(page.getByText('Answers: My carer · My teacher · My social worker')).toBeVisible();
	await page.getByLabel('Kind of question').selectOption('anything_else');
	await page.getByLabel('Question', { exact: true }).fill('Anything else?');
	await page.getByRole('button', { name: 'Add the question' }).click();
	await expect(page.getByRole('listitem').filter({ hasText: 'Anything else?' })).toBeVisible();
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);

	// Preview the 8–11 version: the simpler wording of the same core question.
	await page.getByRole('link', { name: 'Preview 8 to 11' }).click();
	await expect(page.getByRole('group', { name: 'How do you feel at school?' })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByRole('link', { name: 'Back to the survey' }).click();
	await page.getByRole('button', { name: 'Publish the survey' }).click();
	await expect(page.getByRole('status')).toContainText('Published.');

	// Three young people answer on phones: Sam (saves halfway), Alex (no JavaScript), and Riley
	// (8–11, with read-aloud).
	const sam = await phone(browser);
	const alex = await phone(browser, false);
	const riley = await phone(browser);
	// Riley's phone has a voice of its own (Chromium here has none: speech-stub.ts).
	await stubSpeech(riley, [{ name: 'Phone English', lang: 'en-GB', localService: true }]);
	const samPage = await sam.newPage();
	const alexPage = await alex.newPage();
	const rileyPage = await riley.newPage();
	try {
		await answer(
			samPage,
			title,
			{
				signIn: DEMO.youngPerson.signIn,
				band: /I am 11 to 17/,
				face: 'Happy',
				helper: 'My carer',
				words: 'More trips please'
			},
			{ saveHalfway: true, checkPages: true }
		);
		await answer(alexPage, title, {
			signIn: DEMO.careLeaver.signIn,
			band: /I am 11 to 17/,
			face: 'OK',
			helper: 'My teacher',
			words: 'Quieter places to study'
		});
		await answer(
			rileyPage,
			title,
			{
				signIn: RILEY.signIn,
				band: /I am 8 to 11/,
				face: 'Very happy',
				helper: 'My carer',
				words: 'I like art'
			},
			{ readAloud: 'How do you feel at school?' }
		);

		// A second response is refused: the survey says so, and it is gone from the home page.
		await samPage.goto(`/feedback/${surveyId}`);
		await expect(
			samPage.getByText('You have already answered this survey. Thank you!')
		).toBeVisible();
		await expect(samPage.getByRole('button', { name: 'Start' })).toHaveCount(0);
		await samPage.goto(`/feedback/${surveyId}/check`);
		await expect(samPage.getByText('You have already answered this survey.')).toBeVisible();
		await samPage.goto('/home');
		await expect(samPage.getByRole('link', { name: title })).toHaveCount(0);

		// Results: 3 people, so every cohort and even the total is under 5 and hidden, in the page,
		// the SVG charts and the CSV.
		await page.goto(`/surveys/${surveyId}/results`);
		await expect(page.getByRole('heading', { level: 1, name: `Results: ${title}` })).toBeVisible();
		const responses = page.getByRole('table', { name: 'Responses by age group' });
		for (const group of ['Everyone', '8 to 11', '11 to 17']) {
			await expect(responses.getByRole('row', { name: new RegExp(`^${group}`) })).toContainText(
				'Fewer than 5 (hidden)'
			);
		}
		await expect(responses).not.toContainText('3');
		const charts = page.getByRole('img', { name: /How do you feel about school\?/ });
		await expect(charts).toHaveCount(3);
		await expect(charts.first()).toContainText('Hidden: fewer than 5 answers');
		await expect(page.locator('svg.chart rect')).toHaveCount(0);
		await expect(page.getByText('More trips please')).toHaveCount(0);
		await expectNoAxeViolations(page);
		await expectNoHorizontalScroll(page);

		const csv = await page.request.get(`/surveys/${surveyId}/results.csv`);
		expect(csv.status()).toBe(200);
		expect(csv.headers()['content-type']).toContain('text/csv');
		const lines = (await csv.text()).trim().split('\r\n');
		expect(lines).toContain(`${title},Responses,Everyone,All,hidden (fewer than 5)`);
		for (const line of lines.slice(1)) expect(line).toMatch(/,(hidden \(fewer than 5\)|0)$/);

		// "You said, we did": an action linked to the question it came from, published.
		await page.getByRole('link', { name: 'You said, we did' }).first().click();
		await expect(page.getByRole('heading', { level: 1, name: 'You said, we did' })).toBeVisible();
		await page.getByLabel('You said (in plain words)').fill('Homework is hard to do at home.');
		await page.getByLabel('We did (or will do)').fill(weDid);
		await page.getByLabel('Who owns it').fill('Virtual school team');
		await page
			.getByLabel('The question it came from')
			.selectOption({ label: 'Who helps you most?' });
		await page.getByLabel('Status', { exact: true }).selectOption('in_progress');
		await page.getByLabel('Progress (0 to 100%)', { exact: true }).fill('30');
		await page.getByLabel('Publish it to young people, families and the public page').check();
		await page.getByRole('button', { name: 'Add the action' }).click();
		await expect(page.getByRole('status')).toHaveText('Action added.');
		await expect(page.getByText(`We did: ${weDid}`)).toBeVisible();
		await expectNoAxeViolations(page);

		// The young people see it on their home page, in plain words.
		for (const p of [samPage, alexPage, rileyPage]) {
			await p.goto('/home');
			const section = p.getByRole('region', { name: 'You said, we did' });
			await expect(section).toContainText('You said: Homework is hard to do at home.');
			await expect(section).toContainText(weDid);
			await expect(section).toContainText('We are doing it');
		}
		await expectNoAxeViolations(rileyPage);

		// And anyone can read it on the organisation's public page.
		const visitor = await phone(browser);
		const visitorPage = await visitor.newPage();
		await visitorPage.goto(`/you-said-we-did/${NORTHBRIDGE}`);
		await expect(
			visitorPage.getByRole('heading', { level: 1, name: 'You said, we did' })
		).toBeVisible();
		await expect(visitorPage.getByText(weDid)).toBeVisible();
		await expectNoAxeViolations(visitorPage);
		await expectNoHorizontalScroll(visitorPage);
		await visitor.close();
	} finally {
		await sam.close();
		await alex.close();
		await riley.close();
	}
});

test('bad input in the builder is explained and nothing is lost', async ({ page }) => {
	await signIn(page, DEMO.designer.signIn);
	await page.goto('/surveys');
	await page.getByLabel('Title').fill('x'.repeat(121));
	await page.getByRole('button', { name: 'Make the survey' }).click();
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('120 characters or fewer');
	await expect(alert).toContainText('Please choose at least one age group.');
	await expect(page.getByLabel('Title')).toHaveValue('x'.repeat(121));
});

test('young people cannot open the designer pages, and nobody signed out sees results', async ({
	page,
	browser
}) => {
	await signIn(page, DEMO.youngPerson.signIn);
	const response = await page.goto('/surveys');
	expect(response?.status()).toBe(403);
	const anon = await browser.newContext({ baseURL: test.info().project.use.baseURL });
	const anonPage = await anon.newPage();
	await anonPage.goto('/surveys/00000000-0000-4000-8000-000000000f10/results');
	await expect(anonPage).toHaveURL(/\/sign-in/);
	await anon.close();
});

test('a survey written in both languages is answered in Welsh on a phone, accessible throughout', async ({
	page,
	browser
}) => {
	const title = `Ysgol / School ${Date.now() % 1_000_000}`;

	// The designer writes each question in English and in Welsh (the page is in English).
	await signIn(page, DEMO.designer.signIn);
	await page.goto('/surveys');
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('11 to 17').check();
	await page.getByRole('button', { name: 'Make the survey' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();

	await page.getByLabel('Kind of question').selectOption('scale');
	await page.getByLabel('Question', { exact: true }).fill('How do you feel about school?');
	await page.getByLabel('Question in Welsh').fill("Sut rydych chi'n teimlo am yr ysgol?");
	await page.getByRole('button', { name: 'Add the question' }).click();
	await expect(page.getByRole('status')).toHaveText('Question added.');
	await page.getByLabel('Kind of question').selectOption('single');
	await page.getByLabel('Question', { exact: true }).fill('Do you have a quiet place to study?');
	await page.getByLabel('Answers to choose from (one on each line)').fill('Yes\nNo');
	await page.getByLabel('Question in Welsh').fill('Oes gennych chi le tawel i astudio?');
	// Welsh answers must match the English ones one for one: the form says so and keeps the words.
	await page.getByLabel('Answers in Welsh, in the same order (one on each line)').fill('Oes');
	await page.getByRole('button', { name: 'Add the question' }).click();
	await expect(page.getByRole('alert')).toContainText(
		'Please write as many answers in Welsh as in English, in the same order.'
	);
	await expect(page.getByLabel('Question in Welsh')).toHaveValue(
		'Oes gennych chi le tawel i astudio?'
	);
	await page
		.getByLabel('Answers in Welsh, in the same order (one on each line)')
		.fill('Oes\nNac oes');
	await page.getByRole('button', { name: 'Add the question' }).click();
	await expect(page.getByRole('status')).toHaveText('Question added.');
	await expect(page.getByText('Answers in Welsh: Oes · Nac oes')).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Publish the survey' }).click();
	await expect(page.getByRole('status')).toContainText('Published.');

	// A young person who reads Welsh answers it on a 360 px phone.
	const person = await createPersonOfOwn('Cerys');
	const context = await phone(browser);
	try {
		const welsh = await context.newPage();
		await welsh.goto('/sign-in');
		await welsh.getByRole('button', { name: 'Cymraeg' }).click();
		await welsh.getByLabel('Enw defnyddiwr neu e-bost').fill(person.username);
		await welsh.getByLabel('Cyfrinair').fill(DEMO_PASSPHRASE);
		await welsh.getByRole('button', { name: 'Mewngofnodi' }).click();
		await expect(welsh.getByRole('heading', { level: 1, name: 'Helo, Cerys' })).toBeVisible();
		await welsh.getByRole('link', { name: title }).click();

		await expect(welsh.locator('html')).toHaveAttribute('lang', 'cy');
		await expect(welsh.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expect(welsh.getByText('Gallwch chi adael unrhyw gwestiwn.')).toBeVisible();
		await expectNoAxeViolations(welsh);
		await expectNoHorizontalScroll(welsh);
		await welsh.getByRole('button', { name: 'Dechrau' }).click();

		await expect(welsh.getByRole('heading', { level: 1, name: 'Cwestiwn 1 o 2' })).toBeVisible();
		await expect(welsh).toHaveTitle(`Cwestiwn 1 o 2: ${title} – In My Words`);
		const feeling = welsh.getByRole('group', { name: "Sut rydych chi'n teimlo am yr ysgol?" });
		await expect(feeling).toHaveAttribute('id', /^q-/);
		await feeling.getByRole('radio', { name: 'Hapus', exact: true }).check();
		await expectNoAxeViolations(welsh);
		await expectNoHorizontalScroll(welsh);
		await welsh.getByRole('button', { name: 'Nesaf' }).click();

		await expect(welsh.getByRole('heading', { level: 1, name: 'Cwestiwn 2 o 2' })).toBeVisible();
		await welsh
			.getByRole('group', { name: 'Oes gennych chi le tawel i astudio?' })
			.getByRole('radio', { name: 'Nac oes' })
			.check();
		await expectNoAxeViolations(welsh);
		await expectNoHorizontalScroll(welsh);
		await welsh.getByRole('button', { name: 'Gwirio fy atebion' }).click();

		await expect(
			welsh.getByRole('heading', { level: 1, name: 'Gwiriwch eich atebion' })
		).toBeVisible();
		await expect(welsh.getByText('Nac oes')).toBeVisible();
		await expect(
			welsh.getByRole('link', { name: 'Newid eich ateb i "Oes gennych chi le tawel i astudio?"' })
		).toBeVisible();
		await expectNoAxeViolations(welsh);
		await expectNoHorizontalScroll(welsh);
		await welsh.getByRole('button', { name: 'Anfon fy atebion' }).click();
		await expect(welsh.getByText("Diolch! Mae eich atebion wedi'u hanfon.")).toBeVisible();
		await expect(welsh.locator('html')).toHaveAttribute('lang', 'cy');
		await expectNoAxeViolations(welsh);
	} finally {
		await context.close();
	}

	// The designer's results count the Welsh answer with any English ones: one question, one set
	// of figures (hidden here, as fewer than 5 answered).
	await page.goto('/surveys');
	await page.getByRole('link', { name: title }).click();
	await page.getByRole('link', { name: 'See results' }).click();
	await expect(page.getByRole('heading', { level: 3 })).toHaveCount(2);
});
