import { type Browser, type Locator, type Page } from '@playwright/test';
import { findFormActions } from '../support/form-actions';
import {
	catchSubmission,
	expectKept,
	expectSent,
	fillLikeAPerson,
	holdScripts,
	hydrated,
	PNG,
	waitForHydration
} from './hydration';
import {
	adminQuery,
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

/** A real form post, as the browser's own (not enhanced) submission makes it. */
async function post(page: Page, path: string, form: Record<string, string>) {
	const response = await page.request.post(path, {
		form,
		headers: { origin: new URL(page.url()).origin, accept: 'text/html' }
	});
	expect(response.status(), `${path} answered`).toBeLessThan(400);
	return response;
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
	const [row] = await adminQuery<{ id: string }>(
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
	await adminQuery(
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
			await adminQuery(
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
			await adminQuery(
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
			const [version] = await adminQuery<{ id: string }>(
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
