import type { SupabaseClient } from '@supabase/supabase-js';
import type { VerifiedUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			/** Per-request supabase-js client whose session lives in HttpOnly cookies. */
			supabase: SupabaseClient;
			/** The signed-in person, from a token whose signature and expiry were verified. */
			safeGetSession: () => Promise<VerifiedUser | null>;
			user: VerifiedUser | null;
			/** This request's reading settings (the person's own, else this phone's cookie). */
			reading: () => Promise<import('$lib/reading-settings').ReadingSettings>;
		}
		interface PageData {
			me: import('$lib/server/auth/session').PublicMe | null;
			reading: import('$lib/reading-settings').ReadingSettings;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
