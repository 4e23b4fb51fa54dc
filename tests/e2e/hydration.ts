/**
 * The machinery of tests/e2e/before-hydration.test.ts: holding a page's scripts back, filling a
 * form as a person would while they are held, checking each field kept its state once the page
 * has hydrated, and catching the form's submission at the browser's edge to check what it sent.
 */
import { type Locator, type Page, type Route } from '@playwright/test';
import { expect } from './support';

/** A 1×1 PNG. */
export const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
	'base64'
);

/** Holds every script of the app until `release`; after that, lets them through. */
export async function holdScripts(page: Page) {
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
export const hydrated = () => history.scrollRestoration === 'manual';

export async function waitForHydration(page: Page) {
	await page.waitForFunction(hydrated);
	// Effects scheduled by hydration (onMount, $effect) have run by the next frames.
	await page.evaluate(
		() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
	);
}

export type Expected =
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
export async function fillLikeAPerson(form: Locator): Promise<Expected[]> {
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

export async function expectKept(expected: Expected[]) {
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

export function expectSent(body: FormData, expected: Expected[]) {
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
export async function catchSubmission(page: Page): Promise<{ sent: Promise<FormData> }> {
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
