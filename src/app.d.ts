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
		}
		interface PageData {
			me: import('$lib/server/auth/session').PublicMe | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
