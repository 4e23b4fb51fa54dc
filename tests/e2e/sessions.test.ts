import type { BrowserContext } from '@playwright/test';
import pg from 'pg';
import {
	adminUrl,
	createPersonOfOwn,
	ensureStory,
	expect,
	expectNoAxeViolations,
	signIn,
	test
} from './support';

/**
 * A session ends when its person signs out or leaves the phone idle, even for someone holding a
 * copy of its cookies: the next request is signed out and no document ticket is issued. Each
 * test has a young person of its own, since ending a session ends it everywhere.
 */

/** A second browser holding a copy of `from`'s cookies, as someone who copied them would. */
async function withCopiedCookies(
	from: BrowserContext,
	browser: import('@playwright/test').Browser
): Promise<BrowserContext> {
	const copy = await browser.newContext({ baseURL: test.info().project.use.baseURL });
	await copy.addCookies(await from.cookies());
	return copy;
}

async function ticketStatus(context: BrowserContext, documentId: string): Promise<number> {
	const origin = new URL(test.info().project.use.baseURL!).origin;
	const response = await context.request.post(`/documents/${documentId}/ticket`, {
		headers: { origin, accept: 'application/json' },
		maxRedirects: 0
	});
	return response.status();
}

test('after signing out, a copy of the old cookies is signed out too, and gets no ticket', async ({
	page,
	context,
	browser
}) => {
	const robin = await createPersonOfOwn('Robin');
	const story = await ensureStory(robin.id);
	await signIn(page, robin.username);
	const copy = await withCopiedCookies(context, browser);
	// While the session lives, the copy works as well as the original.
	expect(await ticketStatus(copy, story)).toBe(200);

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();

	const stale = await copy.newPage();
	await stale.goto('/home');
	await expect(stale.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
	expect(await ticketStatus(copy, story)).toBe(401);
	await copy.close();
});

test('a session left idle past the limit is over, and its cookies live no longer than that', async ({
	page,
	context
}) => {
	const sky = await createPersonOfOwn('Sky');
	await signIn(page, sky.username);
	const limitSeconds = 12 * 3600;
	const now = Date.now() / 1000;
	for (const cookie of (await context.cookies()).filter((c) => c.name.startsWith('sb-'))) {
		expect(cookie.expires, cookie.name).toBeGreaterThan(now);
		expect(cookie.expires, cookie.name).toBeLessThanOrEqual(now + limitSeconds + 60);
	}

	// Time moves on (by rewriting when the session was last used): 13 hours without a request.
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		const moved = await client.query(
			`update private.session_activity set last_seen = now() - interval '13 hours'
			 where user_id = $1`,
			[sky.id]
		);
		expect(moved.rowCount).toBe(1);
	} finally {
		await client.end();
	}
	await page.goto('/home');
	await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
	await expectNoAxeViolations(page);
	// Signing in again starts a new session, which works.
	await signIn(page, sky.username);
});

test('an open editor fetching collab tickets does not keep an idle session alive', async ({
	page,
	context
}) => {
	const kit = await createPersonOfOwn('Kit');
	const story = await ensureStory(kit.id);
	await signIn(page, kit.username);
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		const lastSeen = async () =>
			(
				await client.query<{ hours: number }>(
					`select extract(epoch from now() - last_seen) / 3600 as hours
					 from private.session_activity where user_id = $1`,
					[kit.id]
				)
			).rows.map((r) => Math.round(Number(r.hours)));
		const setIdle = async (hours: number) => {
			const moved = await client.query(
				`update private.session_activity set last_seen = now() - make_interval(hours => $2)
				 where user_id = $1`,
				[kit.id, hours]
			);
			expect(moved.rowCount).toBe(1);
		};

		// Two hours since Kit last did anything; the editor, left open, fetches a fresh ticket.
		await setIdle(2);
		expect(await ticketStatus(context, story)).toBe(200);
		expect(await lastSeen()).toEqual([2]);
		// Kit opens a page: that is use.
		await page.goto('/home');
		expect(await lastSeen()).toEqual([0]);

		// Left open past the limit, the editor gets no ticket, and the next page is signed out.
		await setIdle(13);
		expect(await ticketStatus(context, story)).toBe(401);
		await page.goto('/home');
		await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
	} finally {
		await client.end();
	}
});

test('a session cookie carrying a token made up by hand (alg: none) is simply signed out', async ({
	page,
	context
}) => {
	const jules = await createPersonOfOwn('Jules');
	await signIn(page, jules.username);
	const cookies = await context.cookies();
	const auth = cookies.find((c) => /^sb-.*-auth-token$/.test(c.name));
	expect(auth, 'the session cookie').toBeDefined();
	const session = JSON.parse(
		Buffer.from(auth!.value.replace(/^base64-/, ''), 'base64url').toString('utf8')
	) as { access_token: string };
	const [, payload] = session.access_token.split('.');
	const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
	session.access_token = `${header}.${payload}.`;
	await context.addCookies([
		{
			...auth!,
			value: `base64-${Buffer.from(JSON.stringify(session)).toString('base64url')}`
		}
	]);
	const response = await page.goto('/home');
	expect(response!.status()).toBeLessThan(500);
	await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
});
