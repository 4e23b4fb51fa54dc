import { type Browser, type Page } from '@playwright/test';
import pg from 'pg';
import {
	DEMO,
	adminUrl,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signInSettled,
	test
} from './support';

// Issue 15, "I need help now": the numbers one tap away for anyone, and "tell my worker I need to
// talk" from Sam to Priya, never seen by Jo (his mum, in his circle), acknowledged by Priya, and
// escalated to the team manager (Grace, in the demo data) when nobody acknowledges it in time.
// Each part runs with and without JavaScript, on a 360 px phone (axe runs with JavaScript: it is
// a script in the page; the pages are the same server-rendered HTML either way).

const GRACE = 'grace.manager@example.org';

async function phone(browser: Browser, javaScriptEnabled: boolean) {
	return browser.newContext({
		viewport: { width: 360, height: 740 },
		hasTouch: true,
		isMobile: true,
		javaScriptEnabled
	});
}

/** A message no other test writes, to find this test's own request. */
function unique(prefix: string) {
	return `${prefix} ${Date.now() % 1_000_000}-${Math.floor(Math.random() * 1000)}`;
}

/** Moves a request's start back to Monday 2 November 2026, 09:00 (UK): its clock has run out. */
async function moveBack(message: string) {
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		const { rowCount } = await client.query(
			`update public.help_requests
			 set created_at = '2026-11-02 09:00'::timestamp at time zone 'Europe/London'
			 where message = $1`,
			[message]
		);
		expect(rowCount).toBe(1);
	} finally {
		await client.end();
	}
}

/** Jo's (Sam's mum's) Northbridge membership and its help flags, read as the database holds them. */
async function joMembership(): Promise<{ id: string; on_duty: boolean; team_manager: boolean }> {
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		const { rows } = await client.query(
			`select m.id, m.on_duty, m.team_manager from public.memberships m
			 join auth.users u on u.id = m.user_id
			 where u.email = $1 and m.role = 'family_member'`,
			[DEMO.parent.signIn]
		);
		expect(rows).toHaveLength(1);
		return rows[0];
	} finally {
		await client.end();
	}
}

/** Sam tells Priya through the help-now page; returns nothing, the message is the handle. */
async function samTellsPriya(page: Page, message: string) {
	await page.goto('/home');
	await page.getByRole('link', { name: 'Help now' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Help now' })).toBeVisible();
	await page.getByRole('checkbox', { name: 'Priya, your social worker' }).check();
	// Never a parent or carer: Jo is in Sam's circle but is not offered.
	await expect(page.getByRole('checkbox', { name: /Jo/ })).toHaveCount(0);
	await page.getByLabel('Anything you want to say (you do not have to)').fill(message);
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(page.getByRole('status')).toContainText('We have sent it.');
	const mine = page.getByRole('listitem').filter({ hasText: message });
	await expect(mine).toContainText('Sent to Priya.');
	await expect(mine).toContainText('Nobody has seen it yet.');
}

for (const javaScriptEnabled of [true, false]) {
	const how = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

	test(`a signed-out visitor reaches the numbers in one tap (${how})`, async ({ browser }) => {
		const context = await phone(browser, javaScriptEnabled);
		const page = await context.newPage();
		for (const start of ['/', '/sign-in']) {
			await page.goto(start);
			await page.getByRole('link', { name: 'Help now' }).click();
			await expect(page).toHaveURL(/\/help$/);
			await expect(page.getByRole('link', { name: 'Call 999' })).toHaveAttribute('href', 'tel:999');
			await expect(page.getByRole('link', { name: 'Call Childline on 0800 1111' })).toHaveAttribute(
				'href',
				'tel:08001111'
			);
			// The out-of-hours duty number Northbridge's admin set (demo data).
			await expect(
				page.getByRole('link', {
					name: "Call Northbridge Council Children's Services on 0808 157 0123"
				})
			).toHaveAttribute('href', 'tel:08081570123');
			await expect(
				page.getByRole('link', { name: 'Sign in to tell your worker you need to talk.' })
			).toBeVisible();
		}
		await expectNoHorizontalScroll(page);
		if (javaScriptEnabled) await expectNoAxeViolations(page);
		await context.close();
	});

	test(`Sam tells Priya, Jo never sees it, Priya acknowledges, a late one escalates (${how})`, async ({
		browser
	}) => {
		const first = unique('I need to talk about home');
		const second = unique('Please ring me after school');

		const sam = await (await phone(browser, javaScriptEnabled)).newPage();
		await signInSettled(sam, DEMO.youngPerson.signIn);
		await samTellsPriya(sam, first);
		await expectNoHorizontalScroll(sam);
		if (javaScriptEnabled) await expectNoAxeViolations(sam);

		// A message that is too long is refused with a clear message, and what was typed is kept.
		await sam.getByRole('checkbox', { name: 'Priya, your social worker' }).check();
		await sam.getByLabel('Anything you want to say (you do not have to)').fill('x'.repeat(501));
		await sam.getByRole('button', { name: 'Send', exact: true }).click();
		await expect(sam.getByRole('alert').first()).toContainText(
			'Please keep your message to 500 letters or fewer.'
		);
		await expect(sam.getByLabel('Anything you want to say (you do not have to)')).toHaveValue(
			'x'.repeat(501)
		);

		// Jo (his mum, in his circle): not on her home, not on the help page, and she cannot send.
		const jo = await (await phone(browser, javaScriptEnabled)).newPage();
		await signInSettled(jo, DEMO.parent.signIn);
		await expect(jo.locator('main')).not.toContainText(first);
		await expect(jo.getByRole('heading', { name: 'Young people who need to talk' })).toHaveCount(0);
		await jo.goto('/help');
		await expect(jo.getByRole('link', { name: 'Call 999' })).toBeVisible();
		await expect(jo.locator('main')).not.toContainText(first);
		await expect(jo.getByRole('button', { name: 'Send' })).toHaveCount(0);
		const forged = await jo.request.post('/help?/tell', {
			form: { message: 'Hello' },
			headers: { origin: new URL(jo.url()).origin, accept: 'application/json' }
		});
		expect(await forged.text()).toContain(
			'Only young people can send this. Please call one of the numbers above.'
		);

		// Priya sees it at the top of her home, with its clock, and says she will call.
		const priya = await (await phone(browser, javaScriptEnabled)).newPage();
		await signInSettled(priya, DEMO.socialWorker.signIn);
		const inbox = priya.getByRole('region', { name: 'Young people who need to talk' });
		const card = inbox.getByRole('listitem').filter({ hasText: first });
		await expect(card).toContainText('Sam needs to talk');
		await expect(card).toContainText('They chose you.');
		await expect(card).toContainText(
			/Acknowledge within 4 working hours: (\d+ (hour|minute|day)s? left|overdue by .+) · by \d\d:\d\d, /
		);
		await expectNoHorizontalScroll(priya);
		if (javaScriptEnabled) await expectNoAxeViolations(priya);
		await card.getByRole('button', { name: 'I will call them today' }).click();
		await expect(priya.getByRole('status')).toContainText('Acknowledged.');
		await expect(inbox.getByRole('listitem').filter({ hasText: first })).toContainText(
			'Acknowledged by Priya'
		);

		// Sam sees, in plain words, that she has.
		await sam.goto('/help');
		await expect(sam.getByRole('listitem').filter({ hasText: first })).toContainText(
			'Priya will call you today.'
		);

		// A second one nobody acknowledges. Grace (team manager) does not see it while its clock
		// runs; once its start is in the past (the database works out the clock from it), it is late
		// and escalated to her.
		await samTellsPriya(sam, second);
		const grace = await (await phone(browser, javaScriptEnabled)).newPage();
		await signInSettled(grace, GRACE);
		await expect(grace.locator('main')).not.toContainText(second);
		await moveBack(second);
		await grace.goto('/home');
		const late = grace
			.getByRole('region', { name: 'Young people who need to talk' })
			.getByRole('listitem')
			.filter({ hasText: second });
		await expect(late).toContainText('Sam needs to talk');
		await expect(late).toContainText('Escalated: nobody acknowledged it in time.');
		await expect(late).toContainText(/Acknowledge within 4 working hours: overdue by \d+ days?/);
		if (javaScriptEnabled) await expectNoAxeViolations(grace);
		// Jo still sees none of it.
		await jo.goto('/home');
		await expect(jo.locator('main')).not.toContainText(second);

		await late.getByRole('button', { name: 'I have seen this' }).click();
		await expect(grace.getByRole('status')).toContainText('Acknowledged.');
		await sam.goto('/help');
		await expect(sam.getByRole('listitem').filter({ hasText: second })).toContainText(
			'Grace has seen this.'
		);

		for (const p of [sam, jo, priya, grace]) await p.context().close();
	});
}

test('an admin sets the duty number and working hours, and flags the duty team', async ({
	browser
}) => {
	const page = await (await phone(browser, true)).newPage();
	await signInSettled(page, DEMO.admin.signIn);
	await page.goto('/admin');
	await page.getByRole('link', { name: /Help now: working hours/ }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Help now settings' })).toBeVisible();
	await expect(page.getByLabel('Out-of-hours duty number')).toHaveValue('0808 157 0123');
	await expect(page.getByRole('checkbox', { name: 'Monday' })).toBeChecked();
	await expect(page.getByRole('checkbox', { name: 'Saturday' })).not.toBeChecked();
	await expectNoHorizontalScroll(page);
	await expectNoAxeViolations(page);

	// Bad input: a clear message, and what was typed is kept.
	await page.getByLabel('Working day ends (UK time)').fill('08:00');
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.getByRole('alert')).toContainText('The working day must end after it starts.');
	await expect(page.getByLabel('Working day ends (UK time)')).toHaveValue('08:00');
	await page.getByLabel('Working day ends (UK time)').fill('17:00');
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.getByRole('status')).toHaveText('Saved.');

	// Grace is the demo's team manager; the flag is shown as set.
	const grace = page.getByRole('group', { name: /^Grace/ });
	await expect(grace.getByRole('checkbox', { name: 'Team manager' })).toBeChecked();

	// Only practitioners hold the flags: a post naming Jo's (a parent's) membership is refused in
	// words, never with a 500, and changes nothing.
	const jo = await joMembership();
	const forged = await page.request.post('/admin/help?/flags', {
		headers: { origin: new URL(page.url()).origin, accept: 'application/json' },
		form: { membership: jo.id, on_duty: 'on', team_manager: 'on' }
	});
	expect(forged.status()).toBeLessThan(500);
	expect(await joMembership()).toEqual({ id: jo.id, on_duty: false, team_manager: false });
	await page.context().close();
});
