import pg from 'pg';
import { type Browser, type Locator, type Page, type Route } from '@playwright/test';
import { findFormActions } from '../support/form-actions';
import {
	adminUrl,
	createPersonOfOwn,
	DEMO,
	DEMO_PASSPHRASE,
	ensureStory,
	expect,
	signIn,
	test
} from './support';

/**
 * Nothing lost before the page's script loads (issue 16, item 3). On a slow phone a person taps
 * and types before the page's JavaScript has arrived; when it arrives and the page hydrates,
 * every field must keep what they did, and the form must send it. For every form action on a
 * young person's page (found from src/routes, so a new one fails here until it has a case), the
 * test holds the page's scripts back, fills every field of the form as a person would (text,
 * radio, checkbox, choice, file), lets the scripts load, waits for hydration, checks each field
 * kept its state, submits, and checks the request carries every value. The submission is caught
 * at the browser's edge and answered there: this test is about what the browser keeps and
 * sends, and answering for real would change the shared demo data (sign out, remove…).
 */

/** Form actions on pages young people never see, with who uses them. */
const NOT_YOUNG_PEOPLES: Record<string, string> = {
	'/advocacy/[id] reply': 'advocates',
	'/advocacy/[id] allocate': 'advocates',
	'/advocacy/[id] close': 'advocates',
	'/advocacy/[id] plan': 'advocates',
	'/advocacy/[id] askCircle': 'advocates',
	'/advocacy/[id] joinCircle': 'advocates',
	'/advocacy/manager default': 'advocacy managers',
	'/surveys default': 'survey designers',
	'/surveys/[id] addQuestion': 'survey designers',
	'/surveys/[id] removeQuestion': 'survey designers',
	'/surveys/[id] publish': 'survey designers',
	'/surveys/[id] close': 'survey designers',
	'/surveys/[id] nextRound': 'survey designers',
	'/surveys/[id] delete': 'survey designers',
	'/surveys/[id]/actions add': 'survey designers',
	'/surveys/[id]/actions progress': 'survey designers',
	'/surveys/[id]/results addTheme': 'survey designers',
	'/surveys/[id]/results tag': 'survey designers',
	'/young-people/[id] startPlan': 'practitioners',
	'/young-people/[id] inviteFamily': 'practitioners',
	'/young-people/[id] unlockSignIn': 'practitioners',
	'/young-people/[id] remove': 'practitioners',
	'/young-people/new default': 'practitioners',
	'/admin/help settings': 'admins',
	'/admin/help flags': 'admins',
	'/home acknowledge': 'workers answering a young person who needs to talk'
};

/** Form actions whose form exists only once the script has run: nothing to lose before it. */
const SCRIPT_ONLY: Record<string, string> = {
	'/documents/[id] suggest':
		'the suggestion form opens from words chosen in the live editor, which needs the script'
};

const SURVEY = '00000000-0000-4000-8000-000000000f10';
const BRIGHTSIDE = '00000000-0000-4000-8000-0000000000a2';
/** The private reference of the advocacy request the reply case sends. */
let reference = '';

interface Kid {
	id: string;
	username: string;
	storyId: string;
}

/** One young person of this file's own (its tests change their circle, story and answers). */
let kidPromise: Promise<Kid> | null = null;
function kid(): Promise<Kid> {
	kidPromise ??= (async () => {
		const person = await createPersonOfOwn('Kit');
		return { ...person, storyId: await ensureStory(person.id) };
	})();
	return kidPromise;
}

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<T[]> {
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		return (await client.query<T>(text, values)).rows;
	} finally {
		await client.end();
	}
}

/** A real form post, as the browser's own (not enhanced) submission makes it. */
async function post(page: Page, path: string, form: Record<string, string>) {
	const response = await page.request.post(path, {
		form,
		headers: { origin: new URL(page.url()).origin, accept: 'text/html' }
	});
	expect(response.status(), `${path} answered`).toBeLessThan(400);
	return response;
}

/** A 1×1 PNG. */
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
	'base64'
);

/** Holds every script of the app until `release`; after that, lets them through. */
async function holdScripts(page: Page) {
	const held: Route[] = [];
	let released = false;
	await page.route('**/_app/immutable/**/*.js', (route) => {
		if (released) return route.continue();
		held.push(route);
	});
	return {
		async release() {
			released = true;
			for (const route of held.splice(0)) await route.continue();
		}
	};
}

/** SvelteKit starts its router once the page has hydrated; it sets this then. */
const hydrated = () => history.scrollRestoration === 'manual';

async function waitForHydration(page: Page) {
	await page.waitForFunction(hydrated);
	// Effects scheduled by hydration (onMount, $effect) have run by the next frames.
	await page.evaluate(
		() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
	);
}

type Expected =
	| { kind: 'text'; field: Locator; name: string; value: string }
	| { kind: 'check'; field: Locator; name: string; value: string; checked: boolean }
	| { kind: 'select'; field: Locator; name: string; value: string }
	| { kind: 'file'; field: Locator; name: string; file: string };

const TEXT_VALUES: Record<string, (i: number) => string> = {
	email: (i) => `kept${i}@example.org`,
	number: (i) => String(3 + i),
	date: () => '2021-03-04',
	month: () => '2021-03',
	url: (i) => `https://example.org/kept${i}`,
	tel: () => '01234 567890',
	password: (i) => `kept passphrase ${i}`
};

/** Does to every field of `form` what a person might: types, taps, chooses, picks a file. */
async function fillLikeAPerson(form: Locator): Promise<Expected[]> {
	const expected: Expected[] = [];
	const fields = form.locator('input, textarea, select');
	const radioGroups = new Set<string>();
	const count = await fields.count();
	for (let i = 0; i < count; i++) {
		const field = fields.nth(i);
		const info = await field.evaluate((el) => {
			const input = el as HTMLInputElement;
			return {
				tag: el.tagName.toLowerCase(),
				type: (input.type ?? '').toLowerCase(),
				name: input.name,
				value: input.value,
				checked: Boolean(input.checked),
				usable:
					!input.disabled &&
					!input.readOnly &&
					(el as HTMLElement).getClientRects().length > 0 &&
					getComputedStyle(el).visibility !== 'hidden'
			};
		});
		if (!info.name || !info.usable) continue;
		if (info.tag === 'select') {
			const options = await field
				.locator('option')
				.evaluateAll((os) =>
					(os as HTMLOptionElement[]).filter((o) => o.value && !o.selected).map((o) => o.value)
				);
			const value = options.at(-1);
			if (!value) continue;
			await field.selectOption(value);
			expected.push({ kind: 'select', field, name: info.name, value });
		} else if (info.type === 'radio') {
			if (radioGroups.has(info.name)) continue;
			radioGroups.add(info.name);
			const group = form.locator(`input[type="radio"][name="${info.name}"]`);
			const values = await group.evaluateAll((rs) =>
				(rs as HTMLInputElement[]).map((r) => ({ value: r.value, checked: r.checked }))
			);
			// Away from whatever the page chose: the last one not already chosen.
			const chosen = values.map((v) => v.value).findLast((_, k) => !values[k]!.checked);
			if (chosen === undefined) continue;
			const target = group.nth(values.findIndex((v) => v.value === chosen));
			await target.check();
			for (let k = 0; k < values.length; k++) {
				expected.push({
					kind: 'check',
					field: group.nth(k),
					name: info.name,
					value: values[k]!.value,
					checked: values[k]!.value === chosen
				});
			}
		} else if (info.type === 'checkbox') {
			await field.click();
			expected.push({
				kind: 'check',
				field,
				name: info.name,
				value: info.value,
				checked: !info.checked
			});
		} else if (info.type === 'file') {
			await field.setInputFiles({ name: `kept-${i}.png`, mimeType: 'image/png', buffer: PNG });
			expected.push({ kind: 'file', field, name: info.name, file: `kept-${i}.png` });
		} else if (['hidden', 'submit', 'button', 'image', 'reset'].includes(info.type)) {
			continue;
		} else {
			const value = (TEXT_VALUES[info.type] ?? ((k: number) => `kept words ${k}`))(i);
			await field.fill(value);
			expected.push({ kind: 'text', field, name: info.name, value });
		}
	}
	return expected;
}

async function expectKept(expected: Expected[]) {
	for (const e of expected) {
		const what = `${e.kind} field ${e.name}`;
		if (e.kind === 'text') await expect(e.field, what).toHaveValue(e.value);
		else if (e.kind === 'select') await expect(e.field, what).toHaveValue(e.value);
		else if (e.kind === 'check') {
			if (e.checked) await expect(e.field, `${what}=${e.value}`).toBeChecked();
			else await expect(e.field, `${what}=${e.value}`).not.toBeChecked();
		} else {
			await expect
				.poll(() => e.field.evaluate((el) => (el as HTMLInputElement).files?.[0]?.name), {
					message: what
				})
				.toBe(e.file);
		}
	}
}

function expectSent(body: FormData, expected: Expected[]) {
	for (const e of expected) {
		const sent = body.getAll(e.name);
		const texts = sent.filter((v): v is string => typeof v === 'string');
		if (e.kind === 'text' || e.kind === 'select') {
			expect(texts, `sent ${e.name}`).toContain(e.value);
		} else if (e.kind === 'check') {
			if (e.checked) expect(texts, `sent ${e.name}=${e.value}`).toContain(e.value);
			else expect(texts, `not sent ${e.name}=${e.value}`).not.toContain(e.value);
		} else {
			const files = sent.filter((v): v is File => typeof v !== 'string');
			expect(
				files.map((f) => [f.name, f.size]),
				`sent file ${e.name}`
			).toContainEqual([e.file, PNG.byteLength]);
		}
	}
}

/**
 * Catches the form's submission at the browser's edge and answers it as SvelteKit would
 * (enhanced: an action result; a plain post: a page), resolving with what was sent.
 */
async function catchSubmission(page: Page): Promise<{ sent: Promise<FormData> }> {
	let resolveSent: (body: FormData) => void = () => {};
	const sent = new Promise<FormData>((resolve) => (resolveSent = resolve));
	await page.route('**/*', async (route) => {
		const request = route.request();
		if (request.method() !== 'POST') return route.fallback();
		const headers = request.headers();
		// Only a form's post: the live editor fetches its collab ticket by a POST of its own.
		if (
			!/^(multipart\/form-data|application\/x-www-form-urlencoded)/.test(
				headers['content-type'] ?? ''
			)
		)
			return route.fallback();
		const body = await new Request('http://form.invalid/', {
			method: 'POST',
			headers: { 'content-type': headers['content-type'] ?? '' },
			body: new Uint8Array(request.postDataBuffer() ?? [])
		}).formData();
		resolveSent(body);
		if (headers['x-sveltekit-action'] === 'true') {
			await route.fulfill({
				status: 200,
				contentType: 'application/json',
				body: JSON.stringify({ type: 'success', status: 200 })
			});
		} else {
			await route.fulfill({
				status: 200,
				contentType: 'text/html',
				body: '<!doctype html><html lang="en"><title>Sent</title><p>Sent</p></html>'
			});
		}
	});
	return { sent };
}

interface Case {
	/** Signed out (in a fresh context) rather than as this file's young person. */
	signedOut?: boolean;
	/** Gets the data the form needs ready; returns the page's path. */
	prepare: (page: Page, kid: Kid) => Promise<string>;
	/** The form, on that page. */
	form: (page: Page) => Locator;
	/** Gets from the page (scripts held) to the form, when it is not there at once. */
	reach?: (page: Page) => Promise<void>;
	/** The button that sends it, when the first would do more than send (accept edits the document). */
	submit?: (form: Locator) => Locator;
}

const here = (path: string) => async () => path;
const byAction = (action: string) => (page: Page) =>
	page.locator(`form[action$="${action}"]`).first();
const mainForm = (page: Page) => page.locator('main form[method="POST" i]').first();

/** A comment thread on the kid's story; resolved when asked. Returns its id. */
async function thread(page: Page, k: Kid, resolved: boolean): Promise<string> {
	await post(page, `/documents/${k.storyId}?/comment`, { body: 'A thread to act on' });
	const [row] = await sql<{ id: string }>(
		`select id from public.document_comments where document_id = $1 and thread_id is null
		 order by created_at desc limit 1`,
		[k.storyId]
	);
	if (resolved) await post(page, `/documents/${k.storyId}?/resolve`, { thread: row!.id });
	return row!.id;
}

async function startedSurvey(page: Page): Promise<void> {
	await post(page, `/feedback/${SURVEY}?/start`, { band: 'age_11_17' });
}

/** A timeline entry the kid added. */
async function timelineEntry(page: Page, k: Kid) {
	await post(page, `/documents/${k.storyId}/timeline?/add`, {
		kind: 'place',
		name: 'Nan’s flat',
		period: '2019'
	});
}

/** A timeline idea from Priya, waiting for the kid to accept or decline it. */
async function timelineIdea(k: Kid) {
	await sql(
		`insert into public.story_timeline_entries (document_id, kind, name, added_by, status)
		 values ($1, 'school', 'Hill Primary', '00000000-0000-4000-8000-000000000003', 'suggested')`,
		[k.storyId]
	);
}

const CASES: Record<string, Case> = {
	'/sign-in default': { signedOut: true, prepare: here('/sign-in'), form: mainForm },
	'/sign-out default': {
		prepare: here('/home'),
		form: (page) => page.locator('form[action="/sign-out"]')
	},
	'/language default': {
		prepare: here('/home'),
		form: (page) => page.locator('form[action="/language"]')
	},
	'/profile default': { prepare: here('/profile'), form: mainForm },
	'/ask-for-an-advocate default': {
		signedOut: true,
		prepare: here('/ask-for-an-advocate'),
		form: mainForm
	},
	'/ask-for-an-advocate/reply open': {
		signedOut: true,
		prepare: here('/ask-for-an-advocate/reply'),
		form: byAction('?/open')
	},
	'/ask-for-an-advocate/reply reply': {
		signedOut: true,
		prepare: async (page) => {
			const sent = await post(page, '/ask-for-an-advocate', {
				service: BRIGHTSIDE,
				callMe: 'Kit',
				about: 'I want help with my plan.',
				urgency: 'not_urgent',
				careStatus: 'in_care',
				socialWorkerMayKnow: 'no'
			});
			reference = /id="reference"[^>]*value="([^"]+)"/.exec(await sent.text())?.[1] ?? '';
			expect(reference, 'the request was sent and its reference shown').not.toBe('');
			// The reply form is on the page the reference opens (a post, so the reference is
			// never in an address): reached by submitting it with the scripts still held.
			return '/ask-for-an-advocate/reply';
		},
		reach: async (page) => {
			await page.getByLabel('Your private code', { exact: true }).fill(reference);
			await byAction('?/open')(page).getByRole('button').click();
			await expect(byAction('?/reply')(page)).toBeVisible();
		},
		form: byAction('?/reply')
	},
	'/circle addAdvocate': { prepare: here('/circle'), form: byAction('?/addAdvocate') },
	'/circle remove': {
		prepare: async (_page, k) => {
			await sql(
				`insert into public.circle_members (young_person_id, member_id, relationship, access)
				 values ($1, '00000000-0000-4000-8000-000000000005', 'Advocate', 'comment')
				 on conflict do nothing`,
				[k.id]
			);
			return '/circle';
		},
		form: byAction('?/remove')
	},
	'/help tell': { prepare: here('/help'), form: byAction('?/tell') },
	'/reading-settings default': { prepare: here('/reading-settings'), form: mainForm },
	'/documents/[id] decide': {
		prepare: async (_page, k) => {
			// A suggestion from Priya waiting for the kid (its anchors are never read here).
			await sql(
				`insert into public.document_suggestions
				   (document_id, author_id, anchor_start, anchor_end, original_text, suggested_text)
				 values ($1, '00000000-0000-4000-8000-000000000003', '\\x01', '\\x01', '', 'An idea')`,
				[k.storyId]
			);
			return `/documents/${k.storyId}`;
		},
		form: byAction('?/decide'),
		submit: (form) => form.locator('button[value="decline"]')
	},
	'/invite/[token] default': {
		signedOut: true,
		prepare: async (page) => {
			// Priya makes an invite in this fresh context, then signs out: the link is opened
			// signed out, as the young person opens it.
			await signIn(page, DEMO.socialWorker.signIn);
			await page.goto('/young-people/new');
			await page.getByLabel('Name they like to be called').fill(`Hydra${Date.now() % 100000}`);
			await page.getByRole('button', { name: 'Make an invite' }).click();
			const link = page.getByRole('region', { name: /Invite ready for/ }).getByRole('link', {
				name: /\/invite\//
			});
			const url = await link.getAttribute('href');
			await page.context().clearCookies();
			return new URL(url!, page.url()).pathname;
		},
		form: mainForm
	},
	'/documents/[id] add': {
		prepare: async (_page, k) => `/documents/${k.storyId}`,
		form: (page) => page.locator('form.add-to-section').first()
	},
	'/documents/[id] comment': {
		prepare: async (_page, k) => `/documents/${k.storyId}`,
		form: (page) => page.locator('form.new-comment')
	},
	'/documents/[id] resolve': {
		prepare: async (page, k) => {
			await thread(page, k, false);
			return `/documents/${k.storyId}`;
		},
		form: byAction('?/resolve')
	},
	'/documents/[id] reopen': {
		prepare: async (page, k) => {
			await thread(page, k, true);
			return `/documents/${k.storyId}`;
		},
		form: byAction('?/reopen')
	},
	'/documents/[id]/photos upload': {
		prepare: async (_page, k) => `/documents/${k.storyId}/photos`,
		form: byAction('?/upload')
	},
	'/documents/[id]/photos remove': {
		prepare: async (page, k) => {
			const response = await page.request.post(`/documents/${k.storyId}/photos?/upload`, {
				multipart: {
					photo: { name: 'nan.png', mimeType: 'image/png', buffer: PNG },
					alt: 'Nan’s garden',
					caption: ''
				},
				headers: { origin: new URL(page.url()).origin, accept: 'text/html' }
			});
			expect(response.status()).toBeLessThan(400);
			return `/documents/${k.storyId}/photos`;
		},
		form: byAction('?/remove')
	},
	'/documents/[id]/sharing share': {
		prepare: async (_page, k) => `/documents/${k.storyId}/sharing`,
		form: byAction('?/share')
	},
	'/documents/[id]/sharing stop': {
		prepare: async (page, k) => {
			await post(page, `/documents/${k.storyId}/sharing?/share`, {
				person: '00000000-0000-4000-8000-000000000003',
				access: 'view'
			});
			return `/documents/${k.storyId}/sharing`;
		},
		form: byAction('?/stop')
	},
	'/documents/[id]/timeline add': {
		prepare: async (_page, k) => `/documents/${k.storyId}/timeline`,
		form: byAction('?/add')
	},
	'/documents/[id]/timeline edit': {
		prepare: async (page, k) => {
			await timelineEntry(page, k);
			return `/documents/${k.storyId}/timeline`;
		},
		form: byAction('?/edit')
	},
	'/documents/[id]/timeline remove': {
		prepare: async (page, k) => {
			await timelineEntry(page, k);
			return `/documents/${k.storyId}/timeline`;
		},
		form: byAction('?/remove')
	},
	'/documents/[id]/timeline accept': {
		prepare: async (_page, k) => {
			await timelineIdea(k);
			return `/documents/${k.storyId}/timeline`;
		},
		form: byAction('?/accept')
	},
	'/documents/[id]/timeline decline': {
		prepare: async (_page, k) => {
			await timelineIdea(k);
			return `/documents/${k.storyId}/timeline`;
		},
		form: byAction('?/decline')
	},
	'/documents/[id]/versions/[versionId] signoff': {
		prepare: async (page, k) => {
			await post(page, `/documents/${k.storyId}/versions?/save`, { name: 'Kept version' });
			const [version] = await sql<{ id: string }>(
				`select id from public.document_versions where document_id = $1
				 order by created_at desc limit 1`,
				[k.storyId]
			);
			return `/documents/${k.storyId}/versions/${version!.id}`;
		},
		form: byAction('?/signoff')
	},
	'/documents/[id]/versions save': {
		prepare: async (_page, k) => `/documents/${k.storyId}/versions`,
		form: byAction('?/save')
	},
	'/documents/new story': {
		prepare: here('/documents/new'),
		form: byAction('?/story')
	},
	'/feedback/[id] start': {
		prepare: here(`/feedback/${SURVEY}`),
		form: byAction('?/start')
	},
	'/feedback/[id] discard': {
		prepare: async (page) => {
			await startedSurvey(page);
			return `/feedback/${SURVEY}`;
		},
		form: byAction('?/discard')
	},
	'/feedback/[id]/[step] default': {
		prepare: async (page) => {
			await startedSurvey(page);
			return `/feedback/${SURVEY}/1`;
		},
		form: mainForm
	},
	'/feedback/[id]/check default': {
		prepare: async (page) => {
			await startedSurvey(page);
			return `/feedback/${SURVEY}/check`;
		},
		form: mainForm
	}
};

/** More pages for one action: every kind of survey question has its own fields. */
const MORE_PAGES: Record<string, string[]> = {
	'/feedback/[id]/[step] default': [`/feedback/${SURVEY}/2`, `/feedback/${SURVEY}/3`]
};

test('every form action on a young person’s page has a case here', () => {
	const found = findFormActions().map((a) => `${a.route} ${a.name}`);
	expect(found.length).toBeGreaterThan(40);
	const missing = found.filter(
		(key) => !(key in CASES) && !(key in NOT_YOUNG_PEOPLES) && !(key in SCRIPT_ONLY)
	);
	expect(missing, 'form actions without a case (or a reason why none is needed)').toEqual([]);
	const stale = [CASES, NOT_YOUNG_PEOPLES, SCRIPT_ONLY]
		.flatMap((list) => Object.keys(list))
		.filter((key) => !found.includes(key));
	expect(stale, 'cases for form actions that no longer exist').toEqual([]);
});

async function signedInAsKid(page: Page, k: Kid) {
	await signIn(page, k.username, DEMO_PASSPHRASE);
}

async function runCase(page: Page, c: Case, path: string) {
	const scripts = await holdScripts(page);
	await page.goto(path, { waitUntil: 'domcontentloaded' });
	await c.reach?.(page);
	const form = c.form(page);
	// A form inside closed details (change or remove a timeline entry, a resolved thread) is
	// opened as a person opens it: by tapping its summary.
	const closed = page.locator('details:not([open])', { has: form }).locator('> summary');
	if (await closed.count()) await closed.first().click();
	await expect(form).toBeVisible();
	const expected = await fillLikeAPerson(form);
	// A form of buttons only (sign out, language) has nothing to lose; for the rest, the person
	// must really have acted before the page hydrated, or the case proves nothing.
	if (expected.length > 0) {
		expect(await page.evaluate(hydrated), 'the page had not hydrated while the person acted').toBe(
			false
		);
	}
	await scripts.release();
	await waitForHydration(page);
	await expectKept(expected);
	const { sent } = await catchSubmission(page);
	await form.evaluate((f) => ((f as HTMLFormElement).noValidate = true));
	await (
		c.submit?.(form) ?? form.locator('button[type="submit"], button:not([type])').first()
	).click();
	expectSent(await sent, expected);
	return expected.length;
}

async function freshContextPage(browser: Browser): Promise<Page> {
	const context = await browser.newContext({
		baseURL: test.info().project.use.baseURL,
		viewport: { width: 360, height: 740 }
	});
	return context.newPage();
}

for (const [key, c] of Object.entries(CASES)) {
	test(`kept before the script loads: ${key}`, async ({ page, browser }) => {
		const k = await kid();
		let actor = page;
		if (c.signedOut) {
			actor = await freshContextPage(browser);
			await actor.goto('/privacy');
		} else {
			await signedInAsKid(page, k);
		}
		const path = await c.prepare(actor, k);
		const paths = [path, ...(MORE_PAGES[key] ?? [])];
		let fields = 0;
		for (const p of paths) fields += await runCase(actor, c, p);
		test.info().annotations.push({ type: 'fields', description: String(fields) });
		if (c.signedOut) await actor.context().close();
	});
}

test('the survey face tapped before the script loads is the answer recorded', async ({ page }) => {
	// The reported bug, end to end and for real: Riley taps a face before the page's script has
	// loaded, the script loads, Riley goes on, and the face is the answer waiting for the check.
	const riley = await createPersonOfOwn('Riley');
	await signIn(page, riley.username);
	await startedSurvey(page);
	const scripts = await holdScripts(page);
	await page.goto(`/feedback/${SURVEY}/1`, { waitUntil: 'domcontentloaded' });
	const face = page.getByRole('radio').nth(3);
	await face.check();
	await scripts.release();
	await waitForHydration(page);
	await expect(face).toBeChecked();
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByRole('heading', { name: 'Question 2 of 3' })).toBeVisible();
	await page.goto(`/feedback/${SURVEY}/1`);
	await expect(page.getByRole('radio').nth(3)).toBeChecked();
});
