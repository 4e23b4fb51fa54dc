import type { APIRequestContext, APIResponse, BrowserContext } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { databaseFingerprint } from '../support/database-fingerprint.ts';
import {
	builtRoutes,
	findEndpoints,
	findFormActions,
	type FormAction
} from '../support/form-actions.ts';
import { fillFrom, realParams } from './real-params.ts';
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
 * Every form action and endpoint, found from src/routes (a new one is covered without editing
 * this file), gets hostile input, signed out and signed in as each kind of person who may use
 * it: never a 500, always a clear 4xx or a page that says what is wrong, never a redirect to
 * another site, and the database unchanged outside the audit and rate-limit tables. Runs in the
 * `last` project (one worker, after every other test), so the before/after comparison sees
 * only what these requests did.
 */

const UNKNOWN_ID = '00000000-0000-4000-8000-00000000ffff';
const ROUTES = path.resolve(import.meta.dirname, '../../src/routes');

/** What a field is, as its form says: what a hostile value for it looks like depends on it. */
type Kind = 'text' | 'date' | 'choice' | 'checkbox';

/**
 * Each row fills every field with a value wrong for its kind, so no row is a valid submission
 * (markup or an odd date in a message is a fine message: saving it would be right). Free text
 * gets what no text field may hold (NUL, more than any limit).
 */
const ROWS: { how: string; value: Record<Kind, string> }[] = [
	{
		how: 'NUL, impossible date, malformed id',
		value: {
			text: 'a\u0000b',
			date: '2026-13-45',
			choice: "not-an-id'; drop table public.documents; --",
			checkbox: 'a\u0000b'
		}
	},
	{
		how: 'over-long everything, another impossible date',
		value: {
			text: 'x'.repeat(20_000),
			date: '2026-02-30',
			choice: 'x'.repeat(20_000),
			checkbox: 'x'.repeat(20_000)
		}
	},
	{
		how: 'markup and invisible characters in ids and dates',
		value: {
			text: '\u0000',
			date: '<script>alert(1)</script>',
			choice: '\u202e\u200b\ufeff',
			checkbox: '<b>on</b>'
		}
	}
];
const HOSTILE_NEXT = [
	'//evil.example',
	'https://evil.example/',
	'/\\evil.example',
	'/\t/evil.example',
	'/。evil.example',
	'javascript:alert(1)',
	'/%0d%0aSet-Cookie:x=1'
];

/**
 * Raw bodies: what no form sends. `reads` marks those that still read as a (wrong) form: an
 * action that takes no fields, such as allocating a request, would simply run on them.
 */
const RAW: { how: string; contentType: string; data: string | Buffer; reads: boolean }[] = [
	{ how: 'no fields', contentType: 'application/x-www-form-urlencoded', data: '', reads: true },
	{
		how: 'invalid UTF-8',
		contentType: 'application/x-www-form-urlencoded',
		data: Buffer.from([0x61, 0x3d, 0xff, 0xfe, 0xc3, 0x28, 0x26, 0x62, 0x3d, 0xed, 0xa0, 0x80]),
		reads: true
	},
	{ how: 'JSON', contentType: 'application/json', data: '{"title":"x","id":1}', reads: false },
	{ how: 'XML', contentType: 'application/xml', data: '<a>x</a>', reads: false },
	{ how: 'text/plain', contentType: 'text/plain', data: 'title=x', reads: false }
	// (Bodies past the size limit are security.test.ts's: refused before they are read, they
	// leave the connection unusable for the next request, which is as it should be.)
];

/** The people who, between them, may use every action (signed out is its own run). */
const PEOPLE = [
	DEMO.youngPerson,
	DEMO.socialWorker,
	DEMO.advocate,
	DEMO.advocacyManager,
	DEMO.designer,
	DEMO.admin,
	DEMO.parent
];

function kindOf(tag: string, attributes: string): Kind {
	const type = /\btype="([^"]+)"/.exec(attributes)?.[1];
	if (type === 'date') return 'date';
	if (type === 'checkbox') return 'checkbox';
	if (type && ['hidden', 'radio', 'submit', 'button'].includes(type)) return 'choice';
	if (tag === 'select' || tag === 'button') return 'choice';
	return 'text';
}

/** Each form's fields in some markup (a served page, or a route's Svelte source), by action. */
function formsIn(markup: string): Map<string, Map<string, Kind>> {
	const forms = new Map<string, Map<string, Kind>>();
	for (const form of markup.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
		const action = /\baction="([^"]*)"/.exec(form[1]!)?.[1] ?? '';
		const name = /\?\/([A-Za-z]+)/.exec(action)?.[1] ?? 'default';
		const known = forms.get(name) ?? new Map<string, Kind>();
		for (const [, tag, attributes] of form[2]!.matchAll(/<([A-Za-z]+)\b([^>]*)>/g)) {
			const field = /\bname="([^"{}]+)"/.exec(attributes!)?.[1];
			if (field && !/\btype="file"/.test(attributes!)) known.set(field, kindOf(tag!, attributes!));
		}
		forms.set(name, known);
	}
	return forms;
}

/**
 * The fields of each action's forms as its route's Svelte files write them: forms a page shows
 * only after a tap (suggesting a change) or only with certain records (a draft survey's
 * questions) are found here even when no page served during the test shows them.
 */
function sourceFields(actions: FormAction[]): Map<string, Map<string, Kind>> {
	const fields = new Map<string, Map<string, Kind>>();
	for (const route of new Set(actions.map((a) => a.route))) {
		const dir = path.join(ROUTES, route);
		const markup = readdirSync(dir)
			.filter((f) => f.endsWith('.svelte'))
			.map((f) => readFileSync(path.join(dir, f), 'utf8'))
			.join('\n');
		for (const [name, known] of formsIn(markup)) fields.set(`${route} ${name}`, known);
	}
	return fields;
}

/** The fields each action's form shows this person, read from the pages they can open. */
async function pageFields(
	request: APIRequestContext,
	actions: FormAction[]
): Promise<Map<string, Map<string, Kind>>> {
	const fields = new Map<string, Map<string, Kind>>();
	for (const page of new Set(actions.map((a) => a.path.replace(/\?\/.*$/, '')))) {
		const response = await request.get(page, { maxRedirects: 0 });
		if (response.status() !== 200) continue;
		for (const [name, known] of formsIn(await response.text()))
			fields.set(`${page} ${name}`, known);
	}
	return fields;
}

/** Every action whose fields some allowed person's check refused (so it read them), by route. */
const reached = new Set<string>();

/** The one address that sends people to another site: "Exit this page", to the neutral site. */
const EXIT = '/exit';

/** `neutralSite`: for the exit, the one other site it may send people to (from configuration). */
function expectHandled(response: APIResponse, what: string, neutralSite?: string) {
	expect(response.status(), what).toBeLessThan(500);
	const location = response.headers()['location'];
	if (location !== undefined && location !== neutralSite) {
		// Somewhere in this app, and never to another site.
		expect(location, what).toMatch(/^\/(?![/\\])/);
		expect(location, what).not.toMatch(/evil|[\\\r\n\t]/);
	}
}

/**
 * Harvests this person's fields first (opening pages may itself write, as a read is audited),
 * then returns a function that posts every hostile body to every action; it returns how many
 * requests were sent.
 */
async function prepareFuzz(
	request: APIRequestContext,
	who: string,
	actions: FormAction[],
	withUnknownIds: FormAction[]
): Promise<() => Promise<number>> {
	const fromPages = await pageFields(request, actions);
	const fromSource = sourceFields(actions);
	return () => fuzzActions(request, who, actions, withUnknownIds, fromPages, fromSource);
}

async function fuzzActions(
	request: APIRequestContext,
	who: string,
	actions: FormAction[],
	withUnknownIds: FormAction[],
	fromPages: Map<string, Map<string, Kind>>,
	fromSource: Map<string, Map<string, Kind>>
): Promise<number> {
	const origin = new URL(test.info().project.use.baseURL!).origin;
	const headers = { origin, accept: 'text/html' };
	let sent = 0;
	const post = async (path: string, options: Parameters<APIRequestContext['post']>[1]) => {
		const response = await request.post(path, { ...options, maxRedirects: 0 });
		expectHandled(response, `${who}: ${path} (${JSON.stringify(options?.headers ?? {})})`);
		sent++;
		return response;
	};
	for (const [index, action] of actions.entries()) {
		const page = action.path.replace(/\?\/.*$/, '');
		const known = new Map([
			...(fromSource.get(`${action.route} ${action.name}`) ?? []),
			...(fromPages.get(`${page} ${action.name}`) ?? [])
		]);
		// An action that takes no fields (publish, close, start) would simply run on a real id:
		// only ids that name nothing reach it, as they reach every action below.
		if (known.size > 0) {
			for (const [row, { how, value }] of ROWS.entries()) {
				const next = HOSTILE_NEXT[(row + index) % HOSTILE_NEXT.length]!;
				const form = Object.fromEntries([...known].map(([name, kind]) => [name, value[kind]]));
				const query = `${action.path.includes('?') ? '&' : '?'}next=${encodeURIComponent(next)}`;
				const asForm = await post(action.path + query, { headers, form: { ...form, next } });
				const file = { name: `${how}.bin`, mimeType: 'x/y', buffer: Buffer.from(value.text) };
				await post(action.path, { headers, multipart: { ...form, next, file } });
				// Refused by the action's own checks (not by access, sign-in or a missing record):
				// the action read these fields.
				if ([400, 413, 422, 429].includes(asForm.status())) {
					reached.add(`${action.route} ${action.name}`);
				}
			}
		}
		// A body that reads as a form but has none of its fields goes only to a form with no record
		// in its address: on a real record it may be a fine submission (every field of an
		// advocacy plan is optional, and an empty plan is a plan).
		const hasIds = action.route.includes('[');
		for (const raw of RAW) {
			if (raw.reads && (known.size === 0 || hasIds)) continue;
			await post(action.path, {
				headers: { ...headers, 'content-type': raw.contentType },
				data: raw.data
			});
		}
	}
	// Ids in the address that name nothing, or are not ids at all.
	for (const action of withUnknownIds) {
		// (A route without ids, such as starting a story, has nothing to get wrong here.)
		if (!action.path.includes(UNKNOWN_ID)) continue;
		for (const id of [UNKNOWN_ID, 'not-an-id', '%00', '..%2f..%2fsign-in']) {
			const path = action.path.replaceAll(UNKNOWN_ID, id);
			await post(path, { headers, form: { id, title: 'x', message: 'x' } });
			await post(path, { headers, form: {} });
		}
	}
	return sent;
}

/** Every endpoint, with ids that name nothing or are malformed, and methods it does not answer. */
async function fuzzEndpoints(request: APIRequestContext, who: string): Promise<number> {
	const origin = new URL(test.info().project.use.baseURL!).origin;
	// Where the exit goes when nothing is sent to it: whatever is sent, it must go there or stay.
	const neutralSite = (await request.get(EXIT, { maxRedirects: 0 })).headers()['location'];
	expect(neutralSite, 'the exit leaves for another site over https').toMatch(/^https:\/\/[^/]/);
	let sent = 0;
	for (const endpoint of findEndpoints()) {
		for (const id of [UNKNOWN_ID, 'not-an-id', '%00', "1'%20or%20'1'='1"]) {
			const path = endpoint.path.replaceAll(UNKNOWN_ID, id);
			for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']) {
				const response = await request.fetch(
					`${path}?next=${encodeURIComponent('//evil.example')}`,
					{
						method,
						headers: { origin, 'content-type': 'application/json' },
						data: method === 'GET' ? undefined : '{"doc": 1, "junk": "\u0000"}',
						maxRedirects: 0
					}
				);
				expectHandled(
					response,
					`${who}: ${method} ${path}`,
					endpoint.path === EXIT ? neutralSite : undefined
				);
				// None of these names anything this person may have: nothing is served. (The exit's
				// pages name nothing: they serve the same neutral page to anyone, whatever is sent.)
				if (endpoint.path.includes(UNKNOWN_ID)) {
					expect(response.status(), `${who}: ${method} ${path}`).toBeGreaterThanOrEqual(300);
				}
				sent++;
			}
		}
	}
	return sent;
}

async function withDatabase<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		return await run(client);
	} finally {
		await client.end();
	}
}

/**
 * Everyone signs in first: the signed-out run sends wrong passphrases to the sign-in form, and
 * the throttle (rightly) then refuses this address for a while.
 */
const signedIn = new Map<string, BrowserContext>();
test.beforeAll(async ({ browser }) => {
	for (const person of PEOPLE) {
		const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
		await signIn(await context.newPage(), person.signIn);
		signedIn.set(person.signIn, context);
	}
});
test.afterAll(async () => {
	for (const context of signedIn.values()) await context.close();
});

test('the finders see every action and endpoint the build serves', () => {
	const built = builtRoutes();
	const actions = findFormActions();
	expect(new Set(actions.map((a) => a.route)).size).toBeGreaterThanOrEqual(built.withActions);
	expect(findEndpoints().length).toBeGreaterThanOrEqual(built.endpoints);
	expect(built.withActions).toBeGreaterThan(0);
	expect(built.endpoints).toBeGreaterThan(0);
});

/**
 * One person's run: harvest their fields, then fingerprint the database, send everything, and
 * compare. No update may have been added to any document's log either (the log is left out of
 * the fingerprint only because compaction rewrites it).
 */
async function fuzzAs(request: APIRequestContext, who: string, keep: (a: FormAction) => boolean) {
	return withDatabase(async (client) => {
		const params = await realParams(client);
		const run = await prepareFuzz(
			request,
			who,
			findFormActions(fillFrom(params)).filter(keep),
			findFormActions().filter(keep)
		);
		const before = await databaseFingerprint(client);
		const lastUpdate = await newestUpdate(client);
		const sent = (await run()) + (await fuzzEndpoints(request, who));
		expect(await databaseFingerprint(client)).toEqual(before);
		expect(await newestUpdate(client), 'no update was added to any document').toBe(lastUpdate);
		return sent;
	});
}

async function newestUpdate(client: pg.Client): Promise<string> {
	const { rows } = await client.query<{ id: string | null }>(
		'select max(id)::text as id from public.document_updates'
	);
	return rows[0]?.id ?? '';
}

test('a real sign-in with a hostile next stays in this app', async ({ browser }) => {
	const person = await createPersonOfOwn('Quinn');
	const origin = new URL(test.info().project.use.baseURL!).origin;
	for (const next of HOSTILE_NEXT) {
		const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
		const response = await context.request.post(`/sign-in?next=${encodeURIComponent(next)}`, {
			headers: { origin, accept: 'text/html' },
			form: { identifier: person.username, passphrase: DEMO_PASSPHRASE, next },
			maxRedirects: 0
		});
		// Signed in, and sent somewhere in this app: /home, or a path of its own however odd.
		expect(response.status(), next).toBe(303);
		const location = response.headers()['location'] ?? '';
		expect(new URL(location, origin).origin, next).toBe(origin);
		expect(location, next).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
		await context.close();
	}
});

test('signed out, hostile input to every action and endpoint changes nothing and is never a 500', async ({
	request
}) => {
	const sent = await fuzzAs(request, 'signed out', () => true);
	console.log(
		`fuzz, signed out: ${findFormActions().length} actions, ${findEndpoints().length} endpoints, ${sent} requests, 0 × 500`
	);
});

for (const person of PEOPLE) {
	test(`signed in as ${person.name}, hostile input to every action and endpoint changes nothing and is never a 500`, async () => {
		// Signing out would end this run's own session (a change it caused on purpose).
		const sent = await fuzzAs(
			signedIn.get(person.signIn)!.request,
			person.name,
			(a) => a.route !== '/sign-out'
		);
		console.log(`fuzz, ${person.name}: ${sent} requests, 0 × 500`);
	});
}

/**
 * Actions with fields that the runs above may not reach with them, and why. Whether they are
 * reached depends on what earlier tests left behind, so they are neither required nor refused.
 */
const NOT_REACHED: Record<string, string> = {
	'/feedback/[id]/[step] default':
		'an answer needs a started draft, and only `start` (no fields) makes one: the fuzz never runs it on a real survey',
	'/documents/[id]/versions/[versionId] signoff':
		'needs a version the person was asked to sign; only the versions test makes one'
};

test('every action with fields had them refused by its own checks for someone allowed to use it', async () => {
	const params = await withDatabase((client) => realParams(client));
	const actions = findFormActions(fillFrom(params));
	// A route whose record does not exist in this database (no version saved yet) cannot be.
	const noRecord = actions
		.filter((a) => a.path.includes(UNKNOWN_ID))
		.map((a) => `${a.route} ${a.name}`);
	const withFields = [...sourceFields(actions)]
		.filter(([, known]) => known.size > 0)
		.map(([key]) => key)
		.filter((key) => actions.some((a) => `${a.route} ${a.name}` === key));
	const missed = withFields.filter(
		(key) => !reached.has(key) && !(key in NOT_REACHED) && !noRecord.includes(key)
	);
	expect(missed, 'actions whose fields no run reached').toEqual([]);
	console.log(
		`fuzz: ${withFields.filter((k) => reached.has(k)).length} of ${withFields.length} actions with fields reached with them` +
			` (not reached: ${withFields.filter((k) => !reached.has(k)).join(', ') || 'none'})`
	);
});
