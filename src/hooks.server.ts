import {
	error,
	redirect,
	type Handle,
	type HandleServerError,
	type RequestEvent
} from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { dev } from '$app/environment';
import { env } from '$env/dynamic/private';
import { HTML_LANG } from '$lib/i18n';
import { m } from '$lib/paraglide/messages.js';
import { overwriteGetLocale } from '$lib/paraglide/runtime.js';
import { createRequestClient } from '$lib/server/auth/supabase';
import type { VerifiedUser } from '$lib/server/auth/session';
import { sessionIsLive } from '$lib/server/auth/session-activity';
import {
	chooseLocale,
	currentLocale,
	localeFromLink,
	rememberLanguage,
	withLocale,
	withoutLanguageParameter
} from '$lib/server/i18n';
import { readingFor } from '$lib/server/reading';
import { readingClasses } from '$lib/reading-settings';
import { applySecurityHeaders } from '$lib/server/security-headers';
import { hiddenAfterLeaving, hiddenPage } from '$lib/server/exit';

// Every message function (Paraglide's `m.…()`) speaks the language of the request being handled.
overwriteGetLocale(currentLocale);

/**
 * Pages anyone may open without signing in, by route id (as `AUTOMATIC_ROUTES` below): a page
 * added under one of them is not public unless it is listed too. Everything else needs a
 * verified session.
 */
const PUBLIC_ROUTES = new Set([
	'/',
	'/sign-in',
	'/invite/[token]',
	'/privacy',
	// Choosing a language works before signing in (the switch is on every page).
	'/language',
	// Asking for an advocate needs no account (care leavers may no longer have one).
	'/ask-for-an-advocate',
	'/ask-for-an-advocate/reply',
	// Help now: the phone numbers are for everyone, signed in or not (the form needs a session).
	'/help',
	// An organisation's published "you said, we did" actions are public.
	'/you-said-we-did/[organisationId]',
	// "Exit this page" works for everyone, signed in or not.
	'/exit',
	'/exit/hidden',
	'/exit/show',
	// Reading settings work before signing in too (kept in a cookie until then).
	'/reading-settings'
]);
const isPublic = (event: RequestEvent) => PUBLIC_ROUTES.has(event.route.id ?? '');

/**
 * Requests a page makes by itself, not a person: an open editor fetching a fresh collab ticket
 * (hourly, and on every reconnect). They need a live session but do not keep it alive.
 */
const AUTOMATIC_ROUTES = new Set(['/documents/[id]/ticket']);
const isAutomatic = (event: RequestEvent) => AUTOMATIC_ROUTES.has(event.route.id ?? '');

const supabase: Handle = async ({ event, resolve }) => {
	event.locals.supabase = createRequestClient(event);

	/**
	 * Verifies the access token's signature (against the auth service's JWKS) and expiry with
	 * getClaims(); a bare getSession() would trust whatever the cookie says.
	 */
	event.locals.safeGetSession = async (): Promise<VerifiedUser | null> => {
		let verifiedClaims: Awaited<ReturnType<typeof event.locals.supabase.auth.getClaims>>;
		try {
			verifiedClaims = await event.locals.supabase.auth.getClaims();
		} catch {
			// A cookie made up by hand (a token whose header says `alg: none`, say) makes the
			// library throw rather than answer: it is not a session, and not a server error.
			return null;
		}
		const { data, error } = verifiedClaims;
		if (error || !data) return null;
		const claims = data.claims;
		if (typeof claims.sub !== 'string' || claims.role !== 'authenticated') return null;
		const verified = { ...claims, sub: claims.sub, role: claims.role };
		// A valid token is not enough: its session must not have ended (signed out anywhere,
		// or idle too long). Then the cookies go too, so the next request is plainly signed out.
		if (!(await sessionIsLive(verified, { countsAsUse: !isAutomatic(event) }))) {
			await event.locals.supabase.auth.signOut({ scope: 'local' }).catch(() => {});
			return null;
		}
		return {
			id: claims.sub,
			email: typeof claims.email === 'string' && claims.email ? claims.email : null,
			claims: verified
		};
	};

	return resolve(event, {
		filterSerializedResponseHeaders: (name) =>
			name === 'content-range' || name === 'x-supabase-api-version'
	});
};

const authGuard: Handle = async ({ event, resolve }) => {
	event.locals.user = await event.locals.safeGetSession();
	// Unknown paths (no route) fall through to a plain 404 rather than a sign-in redirect.
	if (!event.locals.user && event.route.id && !isPublic(event)) {
		// Scripts asking for data get a plain 401 they can act on; people get the sign-in page.
		if (event.request.headers.get('accept')?.startsWith('application/json')) {
			error(401, { message: m.refusal_sign_in_again() });
		}
		redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
	}
	if (event.locals.user && event.url.pathname === '/sign-in') {
		redirect(303, '/home');
	}
	return resolve(event);
};

/**
 * First of all, the request's language (the person's choice, kept in a cookie; see
 * src/lib/server/i18n.ts), so that every message after it — refusals from the hooks below, form
 * messages, pages — is in that language, and `<html lang>` (app.html's `%lang%`) says so.
 *
 * A shared link may name a language (`?lang=cy`). It is remembered in the cookie, so the pages
 * after it stay in that language, but never written to the profile: a link is whoever shared
 * it choosing, not the person, and opening an address (which link previews and prefetching do
 * too) must change nothing stored. Only the switch (/language) records a person's choice. A GET
 * then goes to the same address without the parameter (other parameters kept): the address bar
 * and every link made from it (the switch's "come back here", sign-in's `next`) no longer carry
 * it, so choosing another language afterwards is not undone by the old link.
 */
const language: Handle = async ({ event, resolve }) => {
	const linked = localeFromLink(event.url);
	if (linked) {
		rememberLanguage(event.cookies, linked);
		const { method } = event.request;
		if (method === 'GET' || method === 'HEAD') redirect(303, withoutLanguageParameter(event.url));
	}
	const locale = chooseLocale(event.request, event.cookies);
	const response = await withLocale(locale, () =>
		resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%lang%', HTML_LANG[locale])
		})
	);
	// The same address answers in a different language for a different cookie or browser.
	response.headers.append('vary', 'Cookie, Accept-Language');
	return response;
};

/**
 * Reading settings (text size, font, spacing, contrast, movement) as classes on <html>, written
 * by the server into every page (app.html's `%reading%`), so they hold without JavaScript and
 * from the first paint. They are looked up only when a page is rendered, after authGuard has
 * said who is signed in (src/lib/server/reading.ts), and once per request; the root layout
 * reads the same answer through `locals.reading()`.
 */
const reading: Handle = async ({ event, resolve }) => {
	let settings: ReturnType<typeof readingFor> | undefined;
	event.locals.reading = () => (settings ??= readingFor(event));
	return resolve(event, {
		transformPageChunk: async ({ html }) =>
			html.includes('%reading%')
				? html.replace('%reading%', readingClasses(await event.locals.reading()))
				: html
	});
};

/**
 * One address only. The production build refuses form posts whose Origin is not the app's own
 * (SvelteKit's CSRF check, before any hook runs); Vite's dev server skips that check, so under
 * `npm run dev` this refuses them the same way. And a person who opened the app under another
 * name for the same machine (127.0.0.1 for localhost) would only meet SvelteKit's bare
 * "Cross-site POST form submissions are forbidden" at their first form: the launcher
 * (scripts/local-stack/app.ts) sets IN_MY_WORDS_EXPLAIN_OTHER_HOSTS, and such a page then says
 * where to go instead. (Off by default: behind a proxy the Host header may be the proxy's own.)
 */
const oneAddress: Handle = async ({ event, resolve }) => {
	const { method, headers } = event.request;
	const home = event.url.origin;
	if (dev && !['GET', 'HEAD', 'OPTIONS'].includes(method) && headers.get('origin') !== home) {
		error(403, { message: m.refusal_other_origin({ home }) });
	}
	const host = headers.get('host');
	if (env.IN_MY_WORDS_EXPLAIN_OTHER_HOSTS === '1' && host && host !== event.url.host) {
		error(421, { message: m.refusal_other_host({ home }) });
	}
	return resolve(event);
};

/**
 * Only the story photo upload takes a big request body (BODY_SIZE_LIMIT is raised for it), and
 * it reads that body itself, checking access first and counting as it goes (request-body.ts).
 * Every other request, public forms included, is held to the rules below.
 */
const BIG_BODY_ACTIONS = new Set(['/documents/[id]/photos?/upload']);
const takesBigBody = (event: RequestEvent) =>
	BIG_BODY_ACTIONS.has(`${event.route.id}${event.url.search}`);

/** Bodies over 512 KB are refused from their Content-Length, before any of them is read. */
const SMALL_BODY_BYTES = 512 * 1024;
const bodyLimit: Handle = async ({ event, resolve }) => {
	if (takesBigBody(event)) return resolve(event);
	const headers = event.request.headers;
	const length = Number(headers.get('content-length'));
	// A body sent in chunks says no length up front: it could be any size, so only the photo
	// upload takes one. (Browsers send forms with a length.)
	const chunked = !headers.has('content-length') && headers.has('transfer-encoding');
	if (chunked || (Number.isFinite(length) && length > SMALL_BODY_BYTES)) {
		error(413, { message: m.refusal_too_big() });
	}
	return resolve(event);
};

/**
 * A form post whose body cannot be read as a form (a `text/plain` post, broken multipart) made
 * every action's `request.formData()` throw: a 500 for what is only bad input. Such bodies are
 * refused here with a clear 400 before any action runs. (This reads a small body twice, once
 * here and once in the action: the price of one check for every action.)
 */
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;
const readableForms: Handle = async ({ event, resolve }) => {
	const { request } = event;
	if (
		request.method === 'POST' &&
		FORM_TYPES.test(request.headers.get('content-type') ?? '') &&
		!takesBigBody(event)
	) {
		try {
			await request.clone().formData();
		} catch {
			error(400, { message: m.refusal_unreadable() });
		}
	}
	return resolve(event);
};

/**
 * The collab server's origin (ws:// or wss://) for the CSP, if one is configured. Worked out on
 * first use and kept: it is asked on every response, and the environment does not change.
 */
let collabOriginCache: string | null | undefined;
function collabOrigin(): string | null {
	if (collabOriginCache !== undefined) return collabOriginCache;
	try {
		collabOriginCache = env.COLLAB_URL
			? new URL(env.COLLAB_URL).origin.replace(/^http/, 'ws')
			: null;
	} catch {
		collabOriginCache = null;
	}
	return collabOriginCache;
}

/** Headers from the security checklist (security-headers.ts); CSP itself from svelte.config.js. */
const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	applySecurityHeaders(response.headers, {
		https: event.url.protocol === 'https:',
		collabOrigin: collabOrigin(),
		private: Boolean(event.locals.user) || !isPublic(event)
	});
	return response;
};

/**
 * After "Exit this page" (src/lib/server/exit.ts), pages that may show something private answer
 * with a neutral page, so Back shows nothing. Last, so the security headers still apply to it.
 */
const quickExit: Handle = async ({ event, resolve }) => {
	if (!hiddenAfterLeaving(event)) return resolve(event);
	// (SvelteKit has already taken `/__data.json` off a data request's address.)
	const { pathname, search } = event.url;
	if (event.isDataRequest) redirect(303, `/exit/hidden?next=${encodeURIComponent(pathname)}`);
	return hiddenPage(pathname + search);
};

export const handle = sequence(
	language,
	reading,
	oneAddress,
	bodyLimit,
	readableForms,
	supabase,
	authGuard,
	securityHeaders,
	quickExit
);

/**
 * What an error page says when no code chose the words (an address that matches no page, or an
 * unexpected failure): a catalogue message in the request's language, never SvelteKit's English
 * "Not Found" / "Internal Error", and never the failure's own text (it may hold details).
 */
export const handleError: HandleServerError = ({ error: failure, status }) => {
	if (status !== 404) console.error(failure);
	return { message: status === 404 ? m.error_not_found_message() : m.error_unexpected_message() };
};
