import { type Browser, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
	adminUrl,
	DEMO,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signInSettled,
	test
} from './support';

/** A name nobody else's test uses, so each test finds its own request in the shared queue. */
function uniqueName(prefix: string) {
	return `${prefix}${Date.now() % 1_000_000}${Math.floor(Math.random() * 100)}`;
}

/** Fills the form with the least the standards need, plus a name to find it by. */
async function fillRequest(page: Page, callMe: string, about: string) {
	await page.getByLabel('What should we call you?').fill(callMe);
	await page.getByLabel('What is it about?').fill(about);
	await page.getByRole('radio', { name: 'Today – it is urgent' }).check();
	await page.getByRole('radio', { name: 'I have left care (a care leaver)' }).check();
	await page.getByRole('radio', { name: 'No, please do not tell them' }).check();
}

/** Checks for replies the way someone who wrote their reference down does. */
async function openReplies(page: Page, reference: string) {
	await page.goto('/ask-for-an-advocate/reply');
	await page.getByLabel('Your private code').fill(reference);
	await page.getByRole('button', { name: 'Check for replies' }).click();
	await expect(page.getByRole('heading', { level: 1, name: /Your messages with/ })).toBeVisible();
}

async function phoneContext(browser: Browser) {
	return browser.newContext({
		viewport: { width: 360, height: 740 },
		hasTouch: true,
		isMobile: true
	});
}

/** The advocate finds the request in the queue, sees both clocks, allocates it and replies. */
async function advocateAnswers(page: Page, callMe: string, reply: string) {
	await page.goto('/advocacy/queue');
	await expect(page.getByRole('heading', { level: 1, name: 'Advocacy queue' })).toBeVisible();
	const item = page.getByRole('list', { name: 'Open requests' }).getByRole('listitem').filter({
		hasText: callMe
	});
	await expect(item).toContainText('Urgent: today');
	const clocks = item.getByRole('list', { name: 'Clocks' });
	// "Urgent: today" is answered within 4 working hours (issue 15): its clock ends at a time of
	// day, computed by the database's working calendar.
	await expect(clocks).toContainText(
		/Respond \(within 4 working hours\): \d+ (hour|minute|day)s? left · by \d\d:\d\d, /
	);
	await expect(clocks).toContainText(/Allocate: \d+ (hour|minute|day)s? left · by the end of/);
	await expectNoAxeViolations(page);

	await item.getByRole('link', { name: callMe }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: `Request from ${callMe}` })
	).toBeVisible();
	await page.getByRole('button', { name: 'Allocate to me' }).click();
	await expect(page.getByRole('status')).toHaveText('This request is now allocated to you.');
	await page.getByLabel(`Reply to ${callMe}`).fill(reply);
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByRole('status')).toHaveText('Your message has been sent.');
	await expect(page.getByRole('list', { name: 'Messages' })).toContainText(reply);
	const clocks2 = page.getByRole('list', { name: 'Clocks' });
	await expect(clocks2).toContainText('Respond (within 4 working hours): Done in time');
	await expect(clocks2).toContainText('Allocate: Done in time');
	await expectNoAxeViolations(page);
}

test('an anonymous care leaver asks on a phone, gets a reference and reads the advocate’s reply', async ({
	page,
	browser
}) => {
	const callMe = uniqueName('Kai');
	await page.goto('/ask-for-an-advocate');
	await expect(page.getByRole('heading', { level: 1, name: 'Ask for an advocate' })).toBeVisible();
	// The confidentiality notice, with its one exception, comes before anything is sent.
	await expect(page.getByRole('region', { name: 'What you tell us is private' })).toContainText(
		'risk of serious harm'
	);
	await expect(page.getByRole('link', { name: /Exit this page/ })).toBeVisible();
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);

	// Nothing filled in: clear messages, nothing sent.
	await page.getByRole('button', { name: 'Send to an advocate' }).click();
	await expect(page.getByRole('alert')).toContainText('Please enter what we should call you.');
	await expect(page.getByRole('alert')).toContainText('Please choose how soon you need help.');

	await fillRequest(
		page,
		callMe,
		'My landlord wants me out of my flat and I do not know my rights.'
	);
	await page.getByRole('button', { name: 'Send to an advocate' }).click();
	await expect(page.getByRole('heading', { name: 'Your message has been sent' })).toBeVisible();
	const reference = await page.getByLabel('Your private code').inputValue();
	// Grouped for reading aloud, with no look-alike characters (no I, L, O, 0 or 1).
	expect(reference).toMatch(/^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){4}$/);
	await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
	await page.getByRole('button', { name: 'Copy my private code' }).click();
	await expect(page.getByText('Copied. Keep it somewhere safe and private.')).toBeVisible();
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(reference);
	// A button, not a link: the reference never goes into an address (or the browser's history).
	await expect(
		page.getByRole('button', { name: 'Read replies with your private code' })
	).toBeVisible();
	await expect(page.locator(`a[href*="${reference}"]`)).toHaveCount(0);
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);

	await page.goto('/ask-for-an-advocate/reply');
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);

	// The advocate, on a laptop, answers it.
	const office = await browser.newContext();
	const advocate = await office.newPage();
	await signInSettled(advocate, DEMO.advocate.signIn);
	await advocateAnswers(advocate, callMe, 'Hello, I am Amara. I can help with your flat.');

	// Back on the phone, the reference shows the reply, and the care leaver answers.
	// Typed the way people type what they wrote down: small letters, spaces for the dashes.
	await openReplies(page, reference.toLowerCase().replaceAll('-', ' '));
	expect(page.url()).not.toContain(reference);
	const messages = page.getByRole('list', { name: 'Messages' });
	await expect(messages).toContainText('Hello, I am Amara. I can help with your flat.');
	await page.getByLabel('Write a reply').fill('Thank you. Can you call me after 4?');
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByRole('status')).toHaveText('Your message has been sent.');
	await expect(messages.getByRole('listitem')).toHaveCount(2);
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);

	// The advocate sees it; a wrong reference shows nothing.
	await advocate.reload();
	await expect(advocate.getByRole('list', { name: 'Messages' })).toContainText('call me after 4');
	await page.goto('/ask-for-an-advocate/reply');
	await page.getByLabel('Your private code').fill('2222-3333-4444-5555-6666');
	await page.getByRole('button', { name: 'Check for replies' }).click();
	await expect(page.getByRole('alert')).toContainText('We could not find anything with that code.');
	await expect(page.getByRole('link', { name: /Exit this page/ })).toBeVisible();
	await office.close();
});

test('a signed-in young person asks, the advocate replies, and joins their circle with consent', async ({
	page,
	browser
}) => {
	// A brand-new young person, invited by Priya, so this test owns their circle.
	const name = uniqueName('Robin');
	await signInSettled(page, DEMO.socialWorker.signIn);
	await page.getByRole('link', { name: 'Invite a young person' }).click();
	await page.getByLabel('Name they like to be called').fill(name);
	await page.getByRole('button', { name: 'Make an invite' }).click();
	const ready = page.getByRole('region', { name: `Invite ready for ${name}` });
	const inviteUrl = await ready.getByRole('link', { name: /\/invite\// }).getAttribute('href');

	const phone = await phoneContext(browser);
	const yp = await phone.newPage();
	await yp.goto(inviteUrl!);
	await yp.getByLabel('Choose a password').fill('purple river biscuit');
	await yp.getByLabel('Type it again').fill('purple river biscuit');
	await yp.getByRole('button', { name: 'Set up my account' }).click();
	// The first-time reading settings screen: keeping the defaults is fine.
	await yp.getByRole('button', { name: 'Save and carry on' }).click();
	await expect(yp.getByRole('heading', { name: `Hello, ${name}` })).toBeVisible();

	await yp
		.getByRole('region', { name: 'Get an advocate' })
		.getByRole('link', { name: 'Ask for an advocate' })
		.click();
	await expect(yp.getByText('You are signed in, so you can read replies here')).toBeVisible();
	await fillRequest(yp, name, 'I want to see my little brother more often.');
	await yp.getByRole('button', { name: 'Send to an advocate' }).click();
	await expect(yp.getByRole('heading', { level: 1, name: /Your request to/ })).toBeVisible();
	await expect(yp.getByRole('status')).toContainText('Your message has been sent.');
	const requestUrl = yp.url();
	await expectNoAxeViolations(yp);
	await expectNoHorizontalScroll(yp);

	// Their social worker, in their circle and in the same council, cannot open it.
	const seen = await page.goto(requestUrl);
	expect(seen?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('We could not find that page');

	// The advocate answers and asks to join the circle.
	const office = await browser.newContext();
	const advocate = await office.newPage();
	await signInSettled(advocate, DEMO.advocate.signIn);
	await advocateAnswers(advocate, name, 'Hi, I am Amara. Let us talk about contact.');
	await advocate.getByRole('button', { name: 'Ask to join their circle' }).click();
	await expect(advocate.getByRole('status')).toContainText(
		'You join their circle only if they say yes'
	);
	await expect(advocate.getByText('They have not said yes yet')).toBeVisible();

	// The young person reads the reply and says yes.
	await yp.reload();
	await expect(yp.getByRole('list', { name: 'Messages' })).toContainText(
		'Let us talk about contact'
	);
	const invite = yp.getByRole('region', { name: 'Amara would like to join your circle' });
	await expect(invite).toContainText('They cannot change them');
	await expectNoAxeViolations(yp);
	await invite.getByRole('button', { name: 'Yes, add Amara to my circle' }).click();
	await expect(yp.getByRole('status')).toContainText('Amara is now in your circle');
	await yp.goto('/circle');
	await expect(yp.getByRole('list', { name: 'People in my circle' })).toContainText('Amara');

	await advocate.reload();
	await expect(advocate.getByText('You are in their circle.')).toBeVisible();
	await phone.close();
	await office.close();
});

test('an oversize message and a flood are refused clearly, and nothing already sent is lost', async ({
	page
}) => {
	await page.goto('/ask-for-an-advocate');
	await fillRequest(page, uniqueName('Flo'), 'Testing the limits.');
	await page.getByRole('button', { name: 'Send to an advocate' }).click();
	const reference = await page.getByLabel('Your private code').inputValue();
	await page.getByRole('button', { name: 'Read replies with your private code' }).click();
	await expect(page.getByRole('heading', { level: 1, name: /Your messages with/ })).toBeVisible();
	expect(page.url()).not.toContain(reference);
	const box = page.getByLabel('Write a reply');
	const messages = page.getByRole('list', { name: 'Messages' });

	// Oversize: a clear message, and what was typed is still there to shorten.
	const long = 'a'.repeat(4001);
	await box.fill(long);
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByRole('alert')).toContainText(
		'Please keep your message to 4000 characters or fewer.'
	);
	await expect(box).toHaveValue(long);
	await expect(page.getByText('No messages yet.')).toBeVisible();

	// A flood: twenty messages an hour in one thread are fine, the next is paused.
	const origin = new URL(page.url()).origin;
	for (let i = 1; i <= 20; i++) {
		const response = await page.request.post('/ask-for-an-advocate/reply?/reply', {
			form: { body: `Message ${i}`, reference },
			headers: { origin }
		});
		expect(response.status(), `message ${i}`).toBe(200);
	}
	await openReplies(page, reference);
	await expect(messages.getByRole('listitem')).toHaveCount(20);
	await box.fill('One more thing');
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByRole('alert')).toContainText('Please wait an hour and try again');
	await expect(page.getByRole('alert')).toContainText('Everything you sent before is safe');
	await expect(box).toHaveValue('One more thing');
	await openReplies(page, reference);
	await expect(messages.getByRole('listitem')).toHaveCount(20);
	await expect(messages).toContainText('Message 20');
});

test('quick exit leaves for a neutral site and replaces the advocacy page in the history', async ({
	page
}) => {
	await page.route('https://www.bbc.co.uk/**', (route) =>
		route.fulfill({ contentType: 'text/html', body: '<title>Weather</title><h1>Weather</h1>' })
	);
	await page.goto('/');
	await page.goto('/ask-for-an-advocate');
	const quickExit = page.getByRole('link', { name: /Exit this page/ });
	// Replacing the history entry needs the page's script; before it loads the link still leaves.
	await expect(quickExit).toHaveAttribute('data-enhanced', 'true');
	await quickExit.click();
	await expect(page).toHaveURL('https://www.bbc.co.uk/weather');
	await page.goBack();
	await expect(page).not.toHaveURL(/ask-for-an-advocate/);
});

test('people outside advocacy cannot open the queue or the break-glass page', async ({ page }) => {
	await signInSettled(page, DEMO.socialWorker.signIn);
	expect((await page.goto('/advocacy/queue'))?.status()).toBe(403);
	expect((await page.goto('/advocacy/manager'))?.status()).toBe(403);
	await page.goto('/advocacy');
	await expect(
		page.getByText('Advocacy is private between a young person and their advocate')
	).toBeVisible();
});

test('the service manager reads a request only through a recorded, time-boxed break-glass', async ({
	page,
	browser
}) => {
	// A request for Brightside, from someone not signed in.
	const asker = await (await browser.newContext()).newPage();
	await asker.goto('/ask-for-an-advocate');
	await fillRequest(asker, uniqueName('Jay'), 'Someone at home is hurting me.');
	await asker.getByRole('button', { name: 'Send to an advocate' }).click();
	await expect(asker.getByRole('heading', { name: 'Your message has been sent' })).toBeVisible();

	await signInSettled(page, 'ruth.manager@example.org');
	await page.goto('/advocacy/manager');
	await expect(
		page.getByRole('heading', { level: 1, name: 'Safeguarding break-glass' })
	).toBeVisible();
	await expectNoAxeViolations(page);
	const request = page.getByLabel('Request');
	// Each request in words (received, how urgent, state, first words, service), never a code.
	const options = await request.locator('option').allTextContents();
	expect(
		options.some(
			(o) =>
				o.includes('Urgent: today') &&
				o.includes('“Someone at home is hurting me.”') &&
				o.includes('Brightside Advocacy')
		),
		options.join('\n')
	).toBe(true);
	for (const option of options) {
		expect(option).not.toMatch(/this_week|not_urgent|· today ·|· new ·|· allocated ·|[0-9a-f]{8}/);
	}
	const chosen = await request.locator('option').nth(1).getAttribute('value');
	// Without break-glass, the request does not exist for the manager.
	expect((await page.goto(`/advocacy/${chosen}`))?.status()).toBe(404);

	await page.goto('/advocacy/manager');
	await page.getByLabel('Request').selectOption(chosen!);
	await page.getByLabel('Safeguarding reason').fill('Too short');
	await page.getByRole('button', { name: 'Open break-glass' }).click();
	await expect(page.getByRole('alert')).toContainText('at least 20 characters');

	await page
		.getByLabel('Safeguarding reason')
		.fill('The advocate reports a risk of serious harm at home.');
	// The longest choice: its expiry is worked out by the database, so "24 hours" is exactly the
	// most the policy allows (computed from the app's clock, it was always just over and refused).
	await page.getByLabel('For how long').selectOption('24');
	await page.getByRole('button', { name: 'Open break-glass' }).click();
	await expect(page.getByRole('status')).toContainText('Break-glass opened.');
	await expect(page.getByRole('table')).toContainText(
		'The advocate reports a risk of serious harm at home.'
	);
	await page.getByRole('link', { name: 'Read the request' }).click();
	await expect(
		page.getByText('You are reading this under a safeguarding break-glass.')
	).toBeVisible();
	// Reading only: no reply box.
	await expect(page.getByRole('button', { name: 'Send reply' })).toHaveCount(0);
	await expectNoAxeViolations(page);
});

test('asking for an advocate in Welsh, signed out: Welsh words and messages, accessible on a phone', async ({
	page
}) => {
	await page.goto('/ask-for-an-advocate');
	await page.getByRole('button', { name: 'Cymraeg' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
	await expect(page.getByRole('heading', { level: 1, name: 'Gofyn am eiriolwr' })).toBeVisible();
	await expect(page).toHaveTitle('Gofyn am eiriolwr – In My Words');
	await expect(
		page.getByRole('region', { name: "Mae beth rydych chi'n ei ddweud wrthon ni yn breifat" })
	).toContainText('Mae un eithriad.');
	// The choices come from the server in the request's language too.
	await expect(page.getByRole('radio', { name: "Heddiw – mae'n frys" })).toBeVisible();
	await expect(page.getByRole('radio', { name: 'Gofynnwch i mi yn gyntaf' })).toBeVisible();
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);

	// Nothing filled in: the form's messages are Welsh (refused before anything is sent).
	await page.getByRole('button', { name: 'Anfon at eiriolwr' }).click();
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('Rhowch yr enw rydych chi eisiau i ni ei ddefnyddio.');
	await expect(alert).toContainText('Dewiswch pa mor fuan mae angen help arnoch chi.');
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);

	await page.getByRole('link', { name: 'Gwirio am atebion' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Gwirio am atebion' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
	await page.getByRole('button', { name: 'Gwirio am atebion' }).click();
	await expect(page.getByRole('alert')).toContainText('Rhowch eich cod preifat');
	await expectNoAxeViolations(page);
	await expectNoHorizontalScroll(page);
});

test('a reference given before the new shape still opens its messages', async ({ page }) => {
	const old = `Old_ref-${randomUUID().replaceAll('-', '').slice(0, 16)}`;
	const about = `Asked before the new references ${Date.now()}`;
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		await client.query(
			`insert into public.advocacy_requests (service_id, reference_hash, call_me, care_status,
			   about, urgency, social_worker_may_know)
			 values ('00000000-0000-4000-8000-0000000000a2', extensions.digest($1, 'sha256'), 'Ash',
			   'care_leaver', $2, 'this_week', 'ask_me')`,
			[old, about]
		);
	} finally {
		await client.end();
	}
	expect(old).toHaveLength(24);
	await openReplies(page, old);
	await expect(page.getByText(about)).toBeVisible();
});
