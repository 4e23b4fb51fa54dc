import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startApp } from '../../scripts/local-stack/app.ts';
import { freePort } from '../../scripts/support/free-port.ts';
import {
	DEMO,
	DEMO_PASSPHRASE,
	adminUrl,
	createPersonOfOwn,
	expect,
	signIn,
	test
} from './support';

/**
 * Sign-in throttling, counted in Postgres: a young person of this test's own (so no other test's
 * sign-ins are locked out), wrong passphrases until the lock, the right one refused too, the
 * same words for a name with no account, a second app process that sees the same lock, time
 * moved by rewriting the stored timestamps (never by waiting), and a practitioner who manages
 * the circle letting them in again while a family member in the circle sees nothing of it.
 */

const LOCKED = /Too many tries\. Please try again in \d+ minutes?\./;
const WRONG = 'That username or password is not right. Check them and try again.';
const ACCOUNT_FAILURES = 5;

let client: pg.Client;
const kit = { id: '', username: '', name: 'Kit' };

test.beforeAll(async () => {
	Object.assign(kit, await createPersonOfOwn(kit.name));
	client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	const jo = await client.query<{ id: string }>(`select id from auth.users where email = $1`, [
		DEMO.parent.signIn
	]);
	await client.query(
		`insert into public.circle_members (young_person_id, member_id, relationship, access)
		 values ($1, $2, 'Aunt', 'view')`,
		[kit.id, jo.rows[0]!.id]
	);
});

test.afterAll(async () => {
	// This test's wrong guesses also counted against the shared test address: take them back.
	await client.query(`delete from private.sign_in_failures where kind = 'address'`);
	await client.end();
});

async function tryToSignIn(page: import('@playwright/test').Page, who: string, passphrase: string) {
	await page.goto('/sign-in');
	await page.getByLabel('Username or email').fill(who);
	await page.getByLabel('Password').fill(passphrase);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

test('too many wrong passphrases lock the account everywhere until a worker lets them in', async ({
	page,
	browser
}) => {
	for (let i = 1; i < ACCOUNT_FAILURES; i++) {
		await tryToSignIn(page, kit.username, `wrong passphrase ${i}`);
		await expect(page.getByText(WRONG).first()).toBeVisible();
	}
	await tryToSignIn(page, kit.username, 'wrong passphrase 5');
	const locked = page.getByText(LOCKED).first();
	await expect(locked).toBeVisible();
	const words = (await locked.textContent())!.trim();

	// The right passphrase is refused too while the lock lasts.
	await tryToSignIn(page, kit.username, DEMO_PASSPHRASE);
	await expect(page.getByText(LOCKED).first()).toBeVisible();
	await expect(page.getByRole('heading', { level: 1, name: /^Hello, / })).toHaveCount(0);

	// A name with no account gets exactly the same answers.
	const nobody = `nobody${randomUUID().slice(0, 8)}`;
	for (let i = 1; i < ACCOUNT_FAILURES; i++) {
		await tryToSignIn(page, nobody, `wrong passphrase ${i}`);
		await expect(page.getByText(WRONG).first()).toBeVisible();
	}
	await tryToSignIn(page, nobody, 'wrong passphrase 5');
	await expect(page.getByText(LOCKED).first()).toHaveText(words);

	// A second app process on the same database sees the same lock.
	const port = await freePort();
	const second = await startApp({
		port,
		origin: `http://localhost:${port}`,
		env: JSON.parse(process.env.E2E_APP_ENV ?? '{}') as Record<string, string>
	});
	try {
		const other = await browser.newContext({ baseURL: second.url });
		const otherPage = await other.newPage();
		await tryToSignIn(otherPage, kit.username, DEMO_PASSPHRASE);
		await expect(otherPage.getByText(LOCKED).first()).toBeVisible();
		await other.close();
	} finally {
		await second.stop();
	}

	// A family member in the circle learns nothing of it; the social worker does, and unlocks.
	const family = await browser.newContext({ baseURL: test.info().project.use.baseURL });
	const familyPage = await family.newPage();
	await signIn(familyPage, DEMO.parent.signIn);
	await familyPage.goto(`/young-people/${kit.id}`);
	await expect(familyPage.getByRole('heading', { level: 1, name: kit.name })).toBeVisible();
	await expect(familyPage.getByText(/cannot sign in/)).toHaveCount(0);
	await family.close();

	const worker = await browser.newContext({ baseURL: test.info().project.use.baseURL });
	const workerPage = await worker.newPage();
	await signIn(workerPage, DEMO.socialWorker.signIn);
	await workerPage.goto(`/young-people/${kit.id}`);
	await expect(
		workerPage.getByRole('heading', { level: 2, name: `${kit.name} cannot sign in just now` })
	).toBeVisible();
	await workerPage.getByRole('button', { name: `Let ${kit.name} sign in now` }).click();
	await expect(workerPage.getByRole('status')).toHaveText('They can sign in again now.');
	await worker.close();

	await signIn(page, kit.username);
});

test('a lock runs out by itself once its time has passed', async ({ page }) => {
	const name = `kit${randomUUID().slice(0, 8)}`;
	for (let i = 1; i <= ACCOUNT_FAILURES; i++) {
		await tryToSignIn(page, name, `wrong passphrase ${i}`);
	}
	await expect(page.getByText(LOCKED).first()).toBeVisible();
	// Time moves on (by rewriting the stored timestamps): 16 minutes later the name may try again.
	await client.query(
		`update private.sign_in_failures set at = at - interval '16 minutes'
		 where kind = 'account' and key = private.sign_in_account_key($1)`,
		[`${name}@people.inmywords.invalid`]
	);
	await tryToSignIn(page, name, 'wrong passphrase 6');
	await expect(page.getByText(WRONG).first()).toBeVisible();
});
