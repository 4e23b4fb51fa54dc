import { createServerClient } from '@supabase/ssr';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { RequestEvent } from '@sveltejs/kit';
import { config } from '$lib/server/config';

/**
 * A supabase-js client for one request, keeping the session in cookies the browser's scripts
 * cannot read (HttpOnly): the browser never talks to the auth service directly.
 */
export function createRequestClient(event: RequestEvent): SupabaseClient {
	// Always Secure: browsers accept Secure cookies from http://localhost (the local stack), and
	// anywhere else plain http is a misconfiguration that must not carry tokens.
	const secure = true;
	return createServerClient(config.supabaseUrl(), config.supabaseAnonKey(), {
		cookieOptions: { httpOnly: true, secure, sameSite: 'lax', path: '/' },
		cookies: {
			getAll: () => event.cookies.getAll(),
			setAll: (cookies) => {
				for (const { name, value, options } of cookies) {
					// A cookie lives no longer than a session may sit idle (12 hours by default),
					// not the library's 400 days (it overrides cookieOptions.maxAge): phones are often
					// shared. Cookies are set again whenever the tokens are refreshed. Removals
					// (maxAge 0) stay removals.
					const maxAge = options.maxAge === 0 ? 0 : config.sessionIdleSeconds();
					event.cookies.set(name, value, {
						...options,
						maxAge,
						path: '/',
						httpOnly: true,
						secure
					});
				}
			}
		}
	});
}

/**
 * A client that keeps no session anywhere, for a step that must not touch the cookies until it
 * has worked (using an invite link: whoever is signed in on the phone stays signed in if the
 * link is bad).
 */
export function createDetachedClient(): SupabaseClient {
	return createClient(config.supabaseUrl(), config.supabaseAnonKey(), {
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false }
	});
}

/**
 * The service-role client, for the two things only the auth service can do: create an invited
 * person's account and issue their one-time link. Never used for data: data goes through RLS.
 */
export function createAdminClient(): SupabaseClient {
	return createClient(config.supabaseUrl(), config.supabaseServiceRoleKey(), {
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false }
	});
}
