import { describe, expect, it } from 'vitest';
import { scanSvelte, scanTypeScript } from '../../scripts/i18n/inline-text-svelte.ts';
import { collectCodes } from '../../scripts/i18n/inline-text.ts';

/** The rules of no-inline-text.test.ts, on small pieces of code: what is words, what is not. */
const svelte = (source: string) => scanSvelte(source, 'x.svelte', new Set()).map((f) => f.text);
const typescript = (source: string, codes = new Set<string>()) =>
	scanTypeScript(source, 'x.ts', codes).map((f) => f.text);

describe('Svelte markup', () => {
	it('finds text, text attributes, a title and words given to components', () => {
		const found = svelte(`<svelte:head><title>Your plan – In My Words</title></svelte:head>
<h1>Hello</h1>
<img src="/a.png" alt="A photo" /><button aria-label="Close it">×</button>
<input type="submit" value="Send" /><input placeholder="Your name" />
<TextField name="email" label="Email" hint="We never share it" autocomplete="email" />
<Card note="Something went wrong." />`);
		expect(found).toEqual([
			'Your plan – In My Words',
			'Hello',
			'A photo',
			'Close it',
			'Send',
			'Your name',
			'Email',
			'We never share it',
			'Something went wrong.'
		]);
	});

	it('finds words an {expression} shows, and words in scripts', () => {
		const found = svelte(`<script lang="ts">
	let saved = $state(false);
	const status = $derived(saved ? 'Saved' : 'Not saved yet');
</script>
<p>{saved ? 'Done' : m.waiting()}</p>
<p>{\`\${name}’s story\`}</p>
<button title={open ? 'Close' : 'Open'} onclick={() => confirm('Are you sure?')}>×</button>`);
		expect(found).toEqual([
			'Saved',
			'Not saved yet',
			'Done',
			'${name}’s story',
			'Close',
			'Open',
			'Are you sure?'
		]);
	});

	it('gives the line of each finding', () => {
		const found = scanSvelte(
			'<script>\n\tlet a = 1;\n</script>\n\n<p>\n\tHi there\n</p>',
			'x',
			new Set()
		);
		expect(found).toEqual([{ file: 'x', line: 6, text: 'Hi there' }]);
	});

	it('leaves catalogue messages, data, codes, punctuation and styles alone', () => {
		const found = svelte(`<script lang="ts">
	const kind = $derived(doc.kind === 'care_plan' ? 'plan' : 'story');
</script>
<h1>{m.home_title()}</h1>
<p>{a}: {b} – {c}, {d}.</p><p>😀 5 / 10 →</p>
<a class="button secondary" href="/home" rel="noreferrer">{m.go()}</a>
<select name="kind"><option value="care_plan">{m.plan()}</option></select>
<button type="submit" name="locale" value="cy">{m.cy()}</button>
<input type="hidden" name="next" value="/home" />
<TextField name="identifier" autocomplete="username" describedBy="a-hint b-hint" />
<div class={open ? 'choices faces' : 'choices'} onclick={() => go('/home')}>{formatDate(when, 'short')}</div>
{#if status === 'Waiting for reply'}{m.wait()}{/if}
<style>p::after { content: 'Hello there'; }</style>`);
		expect(found).toEqual([]);
	});
});

describe('TypeScript', () => {
	it('finds messages for fail(), error(), forbidden() and valibot checks, and field labels', () => {
		const found = typescript(`
const Form = v.object({
	name: requiredText('your name', 100),
	when: v.pipe(v.string(), v.check(isRealDate, 'Please enter a real date.')),
	kind: v.picklist(['care_plan', 'pathway_plan'], 'Choose one')
});
error(404, 'Not found');
error(403, { message: 'Not yours' });
forbidden('Only admins');
return fail(400, { errors: { form: 'Something went wrong' }, values, code: 'too_long' });`);
		expect(found).toEqual([
			'your name',
			'Please enter a real date.',
			'Choose one',
			'Not found',
			'Not yours',
			'Only admins',
			'Something went wrong'
		]);
	});

	it('finds words anywhere else that read like words, one capitalised word too', () => {
		const found = typescript(`
export const CLOSED = 'This request is closed.';
const MONTHS = ['January', 'February'];
const label = (n: number) => \`\${n} days left\`;
const messages = { 'too-big': 'That photo is too big' };
throw new InviteAccountError('Someone already has an account');
return { message: \`\${name} can now see your story.\` };`);
		expect(found).toEqual([
			'This request is closed.',
			'January',
			'February',
			'${n} days left',
			'That photo is too big',
			'Someone already has an account',
			'${name} can now see your story.'
		]);
	});

	it('reads only the words in markup built over several strings', () => {
		const found = typescript(`
const open = \`<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%"\`;
const rest = \` aria-labelledby="\${a} \${b}" class="chart">\`;
const page = \`<!doctype html>
<html lang="\${lang}"><title>\${title}</title>\`;
const bar = \`<text x="0" y="24">Hidden figure</text>\`;`);
		expect(found).toEqual(['<text x="0" y="24">Hidden figure</text>']);
	});

	it('leaves imports, types, keys, comparisons, codes, SQL, logs, headers and errors alone', () => {
		const source = `
import { m } from '$lib/paraglide/messages.js';
type Outcome = 'not yours' | 'met late';
const x = { 'Some Key': 1, class: 'button secondary' };
if (state === 'met late' || kind === 'Care plan') redirect(303, \`/documents/\${id}\`);
switch (reason) { case 'not listed': break; }
const outcome = 'not yours' as const;
const rows = await tx.selectFrom('profiles as p').select(['p.preferred_name as author_name']);
await sql\`select private.thing(\${id}) as Thing\`.execute(tx);
await inTransaction(client, 'repeatable read');
console.error('database connection lost:', error.message);
context.log('request refused', { reason });
response.headers.append('vary', 'Cookie, Accept-Language');
new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8', authorization: \`Bearer \${t}\` } });
throw new Error('No session right after signing in');
throw new StoreError(\`document \${id} not found\`);
class AlreadySignedError extends Error { constructor() { super('Already signed off'); } }
const refused = 'not yours';`;
		const codes = new Set<string>();
		collectCodes(source, codes);
		expect(typescript(source, codes)).toEqual([]);
	});
});
