import { describe, expect, it } from 'vitest';
import { applySecurityHeaders } from './security-headers';

const CSP = "default-src 'self'; connect-src 'self'; frame-ancestors 'none'";

function headersFor(request: Parameters<typeof applySecurityHeaders>[1], initial = {}) {
	const headers = new Headers({ 'content-security-policy': CSP, ...initial });
	applySecurityHeaders(headers, request);
	return headers;
}

describe('applySecurityHeaders', () => {
	it('sends HSTS over HTTPS and never over plain http', () => {
		const https = headersFor({ https: true, collabOrigin: null, private: false });
		expect(https.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
		const http = headersFor({ https: false, collabOrigin: null, private: false });
		expect(http.get('strict-transport-security')).toBeNull();
	});

	it('lets the page connect to the collab server and to nothing else', () => {
		const headers = headersFor({
			https: true,
			collabOrigin: 'wss://collab.example.org',
			private: false
		});
		expect(headers.get('content-security-policy')).toContain(
			"connect-src 'self' wss://collab.example.org"
		);
		expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
	});

	it('marks private responses no-store, keeping a response’s own no-store words', () => {
		expect(
			headersFor({ https: false, collabOrigin: null, private: true }).get('cache-control')
		).toBe('no-store');
		expect(
			headersFor({ https: false, collabOrigin: null, private: false }).get('cache-control')
		).toBeNull();
		const photo = headersFor(
			{ https: false, collabOrigin: null, private: true },
			{ 'cache-control': 'private, no-store' }
		);
		expect(photo.get('cache-control')).toBe('private, no-store');
		expect(photo.get('x-content-type-options')).toBe('nosniff');
	});
});
