import { error, redirect, type Handle, type RequestEvent } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { dev } from '$app/environment';
import { env } from '$env/dynamic/private';
import { createRequestClient } from '$lib/server/auth/supabase';
import type { VerifiedUser } from '$lib/server/auth/session';
import { sessionIsLive } from '$lib/server/auth/session-activity';
import { applySecurityHeaders } from '$lib/server/security-headers';

/** Pages anyone may open without signing in. Everything else needs a verified session. */
const PUBLIC_PATHS = [
	'/',
	'/sign-in',
	'/invite/',
	'/privacy',
	// Asking for an advocate needs no account (care leavers may no longer have one).
	'/ask-for-an-advocate',
	'/ask-for-an-advocate/',
	// An organisation's published "you said, we did" actions are public.
	'/you-said-we-did/'
];

function isPublic(pathname: string): boolean {
	return PUBLIC_PATHS.some((p) =>
		p.endsWith('/') && p !== '/' ? pathname.startsWith(p) : pathname === p
	);
}

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
	if (!event.locals.user && event.route.id && !isPublic(event.url.pathname)) {
		// Scripts asking for data get a plain 401 they can act on; people get the sign-in page.
		if (event.request.headers.get('accept')?.startsWith('application/json')) {
			error(401, { message: 'Please sign in again.' });
		}
		redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
	}
	if (event.locals.user && event.url.pathname === '/sign-in') {
		redirect(303, '/home');
	}
	return resolve(event);
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
		error(403, { message: `Forms are only accepted from In My Words's own pages at ${home}.` });
	}
	const host = headers.get('host');
	if (env.IN_MY_WORDS_EXPLAIN_OTHER_HOSTS === '1' && host && host !== event.url.host) {
		error(421, {
			message: `In My Words runs at ${home}, not at this address. Please open ${home} instead.`
		});
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
		error(413, { message: 'That was too much to send at once. Please send less and try again.' });
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
			error(400, {
				message: 'We could not read what was sent. Please go back to the page and try again.'
			});
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
		private: Boolean(event.locals.user) || !isPublic(event.url.pathname)
	});
	return response;
};

export const handle = sequence(
	oneAddress,
	bodyLimit,
	readableForms,
	supabase,
	authGuard,
	securityHeaders
);
