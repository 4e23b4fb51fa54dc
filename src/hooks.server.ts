import { redirect, type Handle } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { createRequestClient } from '$lib/server/auth/supabase';
import type { VerifiedUser } from '$lib/server/auth/session';

/** Pages anyone may open without signing in. Everything else needs a verified session. */
const PUBLIC_PATHS = ['/', '/sign-in', '/invite/', '/privacy'];

function isPublic(pathname: string): boolean {
	return PUBLIC_PATHS.some((p) =>
		p.endsWith('/') && p !== '/' ? pathname.startsWith(p) : pathname === p
	);
}

const supabase: Handle = async ({ event, resolve }) => {
	event.locals.supabase = createRequestClient(event);

	/**
	 * Verifies the access token's signature (against the auth service's JWKS) and expiry with
	 * getClaims(); a bare getSession() would trust whatever the cookie says.
	 */
	event.locals.safeGetSession = async (): Promise<VerifiedUser | null> => {
		const { data, error } = await event.locals.supabase.auth.getClaims();
		if (error || !data) return null;
		const claims = data.claims;
		if (typeof claims.sub !== 'string' || claims.role !== 'authenticated') return null;
		return {
			id: claims.sub,
			email: typeof claims.email === 'string' && claims.email ? claims.email : null,
			claims: { ...claims, sub: claims.sub, role: claims.role }
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
		redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
	}
	if (event.locals.user && event.url.pathname === '/sign-in') {
		redirect(303, '/home');
	}
	return resolve(event);
};

/** Headers from the security checklist; CSP itself comes from svelte.config.js. */
const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	// same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on form posts, which
	// SvelteKit's CSRF check rightly refuses. Other sites still get no referrer.
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set(
		'Permissions-Policy',
		'geolocation=(), camera=(), microphone=(), interest-cohort=(), browsing-topics=()'
	);
	// Pages may hold a child's data: never cache them anywhere.
	if (event.locals.user || !isPublic(event.url.pathname)) {
		response.headers.set('Cache-Control', 'no-store');
	}
	return response;
};

export const handle = sequence(supabase, authGuard, securityHeaders);
