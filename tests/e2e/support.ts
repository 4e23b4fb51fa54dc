import AxeBuilder from '@axe-core/playwright';
import {
	test as base,
	expect,
	type BrowserContext,
	type Locator,
	type Page
} from '@playwright/test';
import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import pg from 'pg';

/**
 * Playwright's `test`, failing any test during which a page threw an uncaught error (a broken
 * script can leave a page looking fine while it no longer saves or updates). Pages in contexts
 * a test opens itself are watched too.
 */
export const test = base.extend<{ pageErrors: void }>({
	pageErrors: [
		async ({ context, browser }, use) => {
			const errors: string[] = [];
			const watch = (ctx: BrowserContext) =>
				ctx.on('page', (page) =>
					page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`))
				);
			watch(context);
			const newContext = browser.newContext.bind(browser);
			browser.newContext = async (...args: Parameters<typeof newContext>) => {
				const created = await newContext(...args);
				watch(created);
				return created;
			};
			await use();
			browser.newContext = newContext;
			expect(errors, 'uncaught errors in the page').toEqual([]);
		},
		{ auto: true }
	]
});

export { expect };

/**
 * Taps `target` (an element inside the live editor, or a point on the page) and waits until the
 * editor has taken the tap: its own selection is inside `target`. Keys pressed at once otherwise
 * race the browser's selectionchange event; about one run in ten, a Delete pressed within a few
 * milliseconds of the tap acted where the caret had been before it. A person never presses a key
 * that fast after tapping (noted as a suspected editor race, not hidden here: the assertion
 * below fails if the tap never lands).
 */
export async function tapInEditor(target: Locator, at?: { x: number; y: number }) {
	if (at) await target.page().mouse.click(at.x, at.y);
	else await target.click();
	await expect
		.poll(
			() =>
				target.evaluate((el) => {
					type View = {
						state: { selection: { from: number } };
						domAtPos(pos: number): { node: Node };
						hasFocus(): boolean;
					};
					const host = el.closest('.ProseMirror') as (Element & { editor?: { view: View } }) | null;
					const view = host?.editor?.view;
					if (!view?.hasFocus()) return false;
					// At the edge of a text the editor names the block holding it, not the text.
					const { node } = view.domAtPos(view.state.selection.from);
					return el.contains(node) || (node !== host && node.contains(el));
				}),
			{ message: 'the editor’s caret is where it was tapped' }
		)
		.toBe(true);
}

export const DEMO_PASSPHRASE = 'in-my-words-demo';
export const DEMO = {
	youngPerson: { signIn: 'sam', name: 'Sam', id: '00000000-0000-4000-8000-000000000001' },
	careLeaver: { signIn: 'alex', name: 'Alex' },
	parent: { signIn: 'jo.parent@example.org', name: 'Jo' },
	socialWorker: { signIn: 'priya.socialworker@example.org', name: 'Priya' },
	adviser: { signIn: 'dan.adviser@example.org', name: 'Dan' },
	advocate: { signIn: 'amara.advocate@example.org', name: 'Amara' },
	advocacyManager: { signIn: 'ruth.manager@example.org', name: 'Ruth' },
	designer: { signIn: 'lee.designer@example.org', name: 'Lee' },
	admin: { signIn: 'morgan.admin@example.org', name: 'Morgan' }
} as const;

/** Signs in through the real form, as a person would. */
export async function signIn(page: Page, identifier: string, passphrase = DEMO_PASSPHRASE) {
	await page.goto('/sign-in');
	await page.getByLabel('Username or email').fill(identifier);
	await page.getByLabel('Password').fill(passphrase);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { level: 1, name: /^Hello, / })).toBeVisible();
}

/**
 * Signs in through the real form, after the page has finished loading: under load, typing before
 * hydration can be wiped (seen with signIn when several browsers start at once).
 */
export async function signInSettled(page: Page, identifier: string) {
	await page.goto('/sign-in');
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Username or email').fill(identifier);
	await page.getByLabel('Password').fill(DEMO_PASSPHRASE);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { level: 1, name: /^Hello, / })).toBeVisible();
}

/**
 * The signed-in practitioner starts a new care plan for Sam, through the page, and waits until
 * it is open and saved; returns its path. Each test gets its own plan.
 */
export async function startCarePlanForSam(page: Page): Promise<string> {
	await page.goto(`/young-people/${DEMO.youngPerson.id}`);
	await page.getByRole('button', { name: 'Start a care plan' }).click();
	await expect(page.getByRole('heading', { level: 1, name: "Sam's care plan" })).toBeVisible();
	await expect(page.getByRole('status')).toHaveText('Saved');
	return new URL(page.url()).pathname;
}

/** No WCAG 2.2 A/AA violations on the current page. */
export async function expectNoAxeViolations(page: Page) {
	// "Exit this page" stays pinned to the top by design, over whatever is scrolled under it; axe
	// would judge the links under it (the header's) as obscured targets. Judge the page from its top.
	await page.evaluate(() => window.scrollTo(0, 0));
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	const summary = results.violations.map(
		(v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`
	);
	expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/** Nothing wider than the viewport: a 360 px phone never scrolls sideways. */
export async function expectNoHorizontalScroll(page: Page) {
	const { scrollWidth, clientWidth } = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		clientWidth: document.documentElement.clientWidth
	}));
	expect(scrollWidth, `page ${page.url()} scrolls sideways`).toBeLessThanOrEqual(clientWidth);
}

/** The test run's database, as its owner: for fixtures and for checking what was stored. */
export function adminUrl(): string {
	const url = process.env.E2E_ADMIN_DATABASE_URL;
	if (!url) throw new Error('E2E_ADMIN_DATABASE_URL is not set: run through npm run test:e2e');
	return url;
}

/**
 * One query as the database's owner, on a connection of its own (opened and closed here): for
 * a fixture a test sets up, or to check what was stored.
 */
export async function adminQuery<T extends pg.QueryResultRow>(
	text: string,
	values: unknown[] = []
): Promise<T[]> {
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		return (await client.query<T>(text, values)).rows;
	} finally {
		await client.end();
	}
}

/**
 * The id of a young person's "my story", made straight in the database if they have none yet.
 * Tests running side by side may ask for the same person's story at once: an advisory lock
 * makes them all get the one story, where racing "Start my story" buttons could make two.
 */
export async function ensureStory(youngPersonId: string): Promise<string> {
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		await client.query('begin');
		await client.query("select pg_advisory_xact_lock(hashtext('e2e story ' || $1))", [
			youngPersonId
		]);
		await client.query(
			`insert into public.documents (young_person_id, kind, title, created_by)
			 select $1, 'my_story', 'My story', $1
			 where not exists (
			   select 1 from public.documents where young_person_id = $1 and kind = 'my_story')`,
			[youngPersonId]
		);
		const { rows } = await client.query<{ id: string }>(
			`select id from public.documents where young_person_id = $1 and kind = 'my_story'
			 order by created_at limit 1`,
			[youngPersonId]
		);
		await client.query('commit');
		const id = rows[0]?.id;
		if (!id) throw new Error(`no story for ${youngPersonId}`);
		return id;
	} finally {
		await client.end();
	}
}

export const NORTHBRIDGE = '00000000-0000-4000-8000-0000000000a1';
export const PRIYA_ID = '00000000-0000-4000-8000-000000000003';

/**
 * A person of one test's own, in Northbridge, with the demo passphrase: a young person with
 * Priya (social worker, edit access) in their circle, or, with `role`, a social worker. For tests
 * that lock, sign out or time out an account, which would break the tests running beside them if
 * it were a shared demo person.
 */
export async function createPersonOfOwn(
	name: string,
	role: 'young_person' | 'social_worker' = 'young_person'
): Promise<{ id: string; username: string; email: string }> {
	const id = randomUUID();
	const username = `${name.toLowerCase()}${id.slice(0, 8)}`;
	const email = `${username}@people.inmywords.invalid`;
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		await client.query(
			`insert into auth.users (instance_id, id, aud, role, email, encrypted_password,
				email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
			 values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated',
				$2, $3, now(), '{"provider":"email","providers":["email"]}', $4, now(), now())`,
			[id, email, await bcrypt.hash(DEMO_PASSPHRASE, 10), { preferred_name: name }]
		);
		await client.query(
			`insert into public.memberships (organisation_id, user_id, role) values ($1, $2, $3)`,
			[NORTHBRIDGE, id, role]
		);
		if (role === 'young_person') {
			await client.query(
				`insert into public.circle_members (young_person_id, member_id, relationship, access)
			 values ($1, $2, 'Social worker', 'edit')`,
				[id, PRIYA_ID]
			);
		}
	} finally {
		await client.end();
	}
	return { id, username, email };
}
