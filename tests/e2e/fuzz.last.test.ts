import type { APIRequestContext, APIResponse, BrowserContext } from '@playwright/test';
import pg from 'pg';
import { databaseFingerprint } from '../support/database-fingerprint.ts';
import {
	builtRoutes,
	findEndpoints,
	findFormActions,
	type FormAction
} from '../support/form-actions.ts';
import { fillFrom, realParams } from './real-params.ts';
import { DEMO, adminUrl, expect, signIn, test } from './support';

/**
 * Every form action and endpoint, found from src/routes (a new one is covered without editing
 * this file), gets hostile input, signed out and signed in as each kind of person who may use
 * it: never a 500, always a clear 4xx or a page that says what is wrong, never a redirect to
 * another site, and the database unchanged outside the audit and rate-limit tables. Runs in the
 * `last` project (one worker, after every other test), so the before/after comparison sees
 * only what these requests did.
 */

const UNKNOWN_ID = '00000000-0000-4000-8000-00000000ffff';

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
	DEMO.designer,
	DEMO.admin,
	DEMO.parent
];

function kindOf(tag: string, attributes: string): Kind {
	if (tag === 'textarea') return 'text';
	if (tag === 'select') return 'choice';
	const type = /\btype="([^"]+)"/.exec(attributes)?.[1] ?? 'text';
	if (type === 'date') return 'date';
	if (type === 'checkbox') return 'checkbox';
	if (['hidden', 'radio', 'submit', 'button'].includes(type)) return 'choice';
	return 'text';
}

/** The fields each action's form shows this person, read from the pages they can open. */
async function formFields(
	request: APIRequestContext,
	actions: FormAction[]
): Promise<Map<string, Map<string, Kind>>> {
	const fields = new Map<string, Map<string, Kind>>();
	const pages = new Set(actions.map((a) => a.path.replace(/\?\/.*$/, '')));
	for (const page of pages) {
		const response = await request.get(page, { maxRedirects: 0 });
		if (response.status() !== 200) continue;
		const html = await response.text();
		for (const form of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
			const action = /\baction="([^"]*)"/.exec(form[1]!)?.[1] ?? '';
			const key = `${page} ${/\?\/([A-Za-z]+)/.exec(action)?.[1] ?? 'default'}`;
			const known = fields.get(key) ?? new Map<string, Kind>();
			for (const [, tag, attributes] of form[2]!.matchAll(
				/<(input|select|textarea|button)\b([^>]*)>/g
			)) {
				const name = /\bname="([^"]+)"/.exec(attributes!)?.[1];
				if (name && !/\btype="file"/.test(attributes!)) known.set(name, kindOf(tag!, attributes!));
			}
			fields.set(key, known);
		}
	}
	return fields;
}

function expectHandled(response: APIResponse, what: string) {
	expect(response.status(), what).toBeLessThan(500);
	const location = response.headers()['location'];
	if (location !== undefined) {
		// Somewhere in this app, and never to another site.
		expect(location, what).toMatch(/^\/(?![/\\])/);
		expect(location, what).not.toMatch(/evil|[\\\r\n\t]/);
	}
}

/** Posts every hostile body to every action this run covers; returns how many were sent. */
async function fuzzActions(
	request: APIRequestContext,
	who: string,
	actions: FormAction[],
	withUnknownIds: FormAction[]
): Promise<number> {
	const origin = new URL(test.info().project.use.baseURL!).origin;
	const headers = { origin, accept: 'text/html' };
	const fields = await formFields(request, actions);
	let sent = 0;
	const post = async (path: string, options: Parameters<APIRequestContext['post']>[1]) => {
		const response = await request.post(path, { ...options, maxRedirects: 0 });
		expectHandled(response, `${who}: ${path} (${JSON.stringify(options?.headers ?? {})})`);
		sent++;
		return response;
	};
	for (const [index, action] of actions.entries()) {
		const page = action.path.replace(/\?\/.*$/, '');
		const known = fields.get(`${page} ${action.name}`) ?? new Map<string, Kind>();
		// An action that takes no fields (publish, close, start) would simply run on a real id:
		// only ids that name nothing reach it, as they reach every action below.
		if (known.size > 0) {
			for (const [row, { how, value }] of ROWS.entries()) {
				const next = HOSTILE_NEXT[(row + index) % HOSTILE_NEXT.length]!;
				const form = Object.fromEntries([...known].map(([name, kind]) => [name, value[kind]]));
				const query = `${action.path.includes('?') ? '&' : '?'}next=${encodeURIComponent(next)}`;
				await post(action.path + query, { headers, form: { ...form, next } });
				const file = { name: `${how}.bin`, mimeType: 'x/y', buffer: Buffer.from(value.text) };
				await post(action.path, { headers, multipart: { ...form, next, file } });
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
				expectHandled(response, `${who}: ${method} ${path}`);
				// None of these names anything this person may have: nothing is served.
				expect(response.status(), `${who}: ${method} ${path}`).toBeGreaterThanOrEqual(300);
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

test('signed out, hostile input to every action and endpoint changes nothing and is never a 500', async ({
	request
}) => {
	await withDatabase(async (client) => {
		const params = await realParams(client);
		const before = await databaseFingerprint(client);
		const sent =
			(await fuzzActions(
				request,
				'signed out',
				findFormActions(fillFrom(params)),
				findFormActions()
			)) + (await fuzzEndpoints(request, 'signed out'));
		expect(await databaseFingerprint(client)).toEqual(before);
		console.log(
			`fuzz, signed out: ${findFormActions().length} actions, ${findEndpoints().length} endpoints, ${sent} requests, 0 × 500`
		);
	});
});

for (const person of PEOPLE) {
	test(`signed in as ${person.name}, hostile input to every action and endpoint changes nothing and is never a 500`, async () => {
		const request = signedIn.get(person.signIn)!.request;
		await withDatabase(async (client) => {
			const params = await realParams(client);
			// Signing out would end this run's own session (a change it caused on purpose).
			const keep = (a: FormAction) => a.route !== '/sign-out';
			const before = await databaseFingerprint(client);
			const sent =
				(await fuzzActions(
					request,
					person.name,
					findFormActions(fillFrom(params)).filter(keep),
					findFormActions().filter(keep)
				)) + (await fuzzEndpoints(request, person.name));
			expect(await databaseFingerprint(client)).toEqual(before);
			console.log(`fuzz, ${person.name}: ${sent} requests, 0 × 500`);
		});
	});
}
