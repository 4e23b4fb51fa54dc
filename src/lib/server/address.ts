import { createHmac, randomBytes } from 'node:crypto';
import { env } from '$env/dynamic/private';

let fallbackSecret: Buffer | undefined;

/**
 * What the database sees of a visitor's address, for per-address rate limits: an HMAC keyed with
 * a secret that lives outside the database (ADDRESS_HASH_SECRET). A salted hash made inside the
 * database could be reversed by anyone who can read it (there are only 2^32 IPv4 addresses);
 * this cannot without the app's secret. Without the setting, a random secret per process is
 * used: limits then restart with the app, which errs towards letting people through.
 */
export function addressKey(address: string): string {
	const secret = env.ADDRESS_HASH_SECRET
		? Buffer.from(env.ADDRESS_HASH_SECRET)
		: (fallbackSecret ??= randomBytes(32));
	return createHmac('sha256', secret).update(address).digest('base64url');
}
