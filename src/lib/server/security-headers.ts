/**
 * The headers from the security checklist that every response carries (the CSP itself comes
 * from svelte.config.js). A plain function of the response's headers and what is known about the
 * request, so each rule can be tested on its own.
 */
export function applySecurityHeaders(
	headers: Headers,
	request: {
		/** Served over HTTPS (ORIGIN says so in production): browsers may be told never to use http. */
		https: boolean;
		/** ws:// or wss:// origin of the collab server, if one is configured. */
		collabOrigin: string | null;
		/** The response may hold someone's data (signed in, or a page that needs signing in). */
		private: boolean;
	}
): void {
	headers.set('X-Content-Type-Options', 'nosniff');
	// same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on form posts,
	// which SvelteKit's CSRF check rightly refuses. Other sites still get no referrer.
	headers.set('Referrer-Policy', 'same-origin');
	headers.set('X-Frame-Options', 'DENY');
	headers.set(
		'Permissions-Policy',
		'geolocation=(), camera=(), microphone=(), interest-cohort=(), browsing-topics=()'
	);
	// Over HTTPS, a year of "never over plain http", so a café's network cannot strip it later.
	// Never over http: a local pilot on http://localhost must not be told to upgrade.
	if (request.https)
		headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	// The browser may also talk to the collab server (and to nothing else).
	const csp = headers.get('content-security-policy');
	if (csp && request.collabOrigin) {
		headers.set(
			'content-security-policy',
			csp.replace("connect-src 'self'", `connect-src 'self' ${request.collabOrigin}`)
		);
	}
	// Pages may hold a child's data: never cache them anywhere. A response that already says
	// no-store (photos: `private, no-store`) keeps its own words.
	if (request.private && !/\bno-store\b/.test(headers.get('Cache-Control') ?? '')) {
		headers.set('Cache-Control', 'no-store');
	}
}
