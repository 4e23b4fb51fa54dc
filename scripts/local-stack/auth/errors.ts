/**
 * An error the local auth server answers with, in GoTrue's shape: an HTTP status, a stable
 * machine-readable code (GoTrue's `error_code` values, which auth-js turns into `AuthError.code`)
 * and a human message. Handlers throw it; the server turns it into the response, so every failure
 * path answers the way Supabase Auth would instead of crashing or leaking a stack trace.
 */
export class AuthHttpError extends Error {
	override readonly name = 'AuthHttpError';

	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		/** Extra top-level response fields, e.g. `weak_password: { reasons }`. */
		readonly extra: Readonly<Record<string, unknown>> = {}
	) {
		super(message);
	}
}

/** The key file exists but does not hold a usable ES256 private JWK: refuse to start. */
export class KeyFileError extends Error {
	override readonly name = 'KeyFileError';
}

/** 400 with GoTrue's generic `validation_failed` code: the request itself is wrong. */
export function validationFailed(message: string): AuthHttpError {
	return new AuthHttpError(400, 'validation_failed', message);
}

/** GoTrue's one answer for every failed password sign-in, so callers cannot probe accounts. */
export function invalidCredentials(): AuthHttpError {
	return new AuthHttpError(400, 'invalid_credentials', 'Invalid login credentials');
}
