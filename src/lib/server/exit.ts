import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { m } from '$lib/paraglide/messages.js';
import { HTML_LANG } from '$lib/i18n';
import { getLocale } from '$lib/paraglide/runtime.js';

/**
 * "Exit this page" (GOV.UK's pattern). Leaving goes through `/exit`, which sets this cookie and
 * sends the browser to a neutral site. While the cookie is set, every page that may show
 * something private answers with a neutral "page hidden" page instead, so pressing Back (which
 * asks the server again: such pages are `no-store`) shows nothing, with or without JavaScript.
 * Changing a cookie also makes Chromium drop its back-forward cache entries for the site.
 */
const EXIT_COOKIE = 'imw_left';

/** Short: long enough for someone to press Back a few times, not so long that it gets in the way. */
const EXIT_COOKIE_SECONDS = 30 * 60;

/** Where leaving goes unless EXIT_SITE_URL names somewhere else: an ordinary, busy site. */
const DEFAULT_EXIT_SITE = 'https://www.bbc.co.uk/weather';

/** The neutral site (EXIT_SITE_URL if it is a plain http(s) address, otherwise the default). */
export function exitSite(configured = env.EXIT_SITE_URL): string {
	if (!configured) return DEFAULT_EXIT_SITE;
	try {
		const url = new URL(configured);
		return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : DEFAULT_EXIT_SITE;
	} catch {
		return DEFAULT_EXIT_SITE;
	}
}

export function markLeft(cookies: Cookies, secure: boolean): void {
	cookies.set(EXIT_COOKIE, '1', {
		path: '/',
		httpOnly: true,
		secure,
		sameSite: 'lax',
		maxAge: EXIT_COOKIE_SECONDS
	});
}

export function clearLeft(cookies: Cookies): void {
	cookies.delete(EXIT_COOKIE, { path: '/' });
}

/**
 * Pages (route ids) that show nothing about anyone stay as they are while the cookie is set: the
 * front page, signing in, the privacy notice, the language switch, published "you said, we did"
 * pages, and the exit routes themselves.
 */
const NEUTRAL_ROUTES = new Set([
	'/',
	'/sign-in',
	'/privacy',
	'/language',
	'/you-said-we-did/[organisationId]',
	'/exit',
	'/exit/hidden',
	'/exit/show'
]);

/**
 * Should this request get the "page hidden" page? Only a page being opened (GET or HEAD asking
 * for HTML, or SvelteKit's data request for a page) by a browser that has just left; never a
 * form post (nothing is lost) and never a file such as a photo.
 */
export function hiddenAfterLeaving(event: RequestEvent): boolean {
	if (event.cookies.get(EXIT_COOKIE) !== '1') return false;
	const { method, headers } = event.request;
	if (method !== 'GET' && method !== 'HEAD') return false;
	if (NEUTRAL_ROUTES.has(event.route.id ?? '')) return false;
	return event.isDataRequest || (headers.get('accept') ?? '').includes('text/html');
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The neutral page, built here rather than by a route: it must not run the page's own loads
 * (a document's load records a read) and must not carry any of their data. No script at all;
 * its one button asks to show the page again.
 */
export function hiddenPage(path: string): Response {
	const lang = HTML_LANG[getLocale()];
	const html = `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escape(m.exit_hidden_title())}</title>
<style>
body{font-family:system-ui,sans-serif;font-size:1.125rem;line-height:1.5;margin:0;padding:2rem 1rem;color:#0b0c0c;background:#fff}
main{max-width:36rem;margin:0 auto}
button{font:inherit;font-weight:700;min-height:2.75rem;padding:.6rem 1.2rem;border:0;border-radius:.5rem;background:#1d4e89;color:#fff;cursor:pointer}
button:focus{outline:3px solid #ffbf47;outline-offset:2px}
</style>
</head>
<body>
<main>
<h1>${escape(m.exit_hidden_heading())}</h1>
<p>${escape(m.exit_hidden_intro())}</p>
<form method="POST" action="/exit/show">
<input type="hidden" name="next" value="${escape(path)}">
<button type="submit">${escape(m.exit_hidden_show())}</button>
</form>
</main>
</body>
</html>`;
	return new Response(html, {
		status: 200,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-store',
			'x-robots-tag': 'noindex, nofollow',
			'content-security-policy':
				"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
		}
	});
}
