import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
	calculateJwkThumbprint,
	errors as joseErrors,
	exportJWK,
	generateKeyPair,
	importJWK,
	jwtVerify,
	SignJWT,
	type JWK,
	type JWTPayload
} from 'jose';
import { AuthHttpError, KeyFileError } from './errors.ts';

const ALG = 'ES256';

/** The public half as Supabase publishes it at `/auth/v1/.well-known/jwks.json`. */
export interface PublicJwk {
	kty: 'EC';
	crv: 'P-256';
	x: string;
	y: string;
	kid: string;
	alg: 'ES256';
	use: 'sig';
	key_ops: ['verify'];
	ext: true;
}

/** One ES256 signing key: every token this server issues is signed with it and names its kid. */
export interface SigningKey {
	kid: string;
	privateKey: CryptoKey;
	publicKey: CryptoKey;
	publicJwk: PublicJwk;
}

interface PrivateEcJwk extends JWK {
	kty: 'EC';
	crv: 'P-256';
	x: string;
	y: string;
	d: string;
	kid: string;
}

function isPrivateEcJwk(value: unknown): value is Omit<PrivateEcJwk, 'kid'> & { kid?: unknown } {
	if (typeof value !== 'object' || value === null) return false;
	const v = value as Record<string, unknown>;
	return (
		v.kty === 'EC' &&
		v.crv === 'P-256' &&
		typeof v.x === 'string' &&
		typeof v.y === 'string' &&
		typeof v.d === 'string'
	);
}

async function fromPrivateJwk(jwk: PrivateEcJwk): Promise<SigningKey> {
	const { kty, crv, x, y } = jwk;
	const privateKey = await importJWK({ kty, crv, x, y, d: jwk.d, alg: ALG }, ALG);
	const publicKey = await importJWK({ kty, crv, x, y, alg: ALG }, ALG, { extractable: true });
	if (!(privateKey instanceof CryptoKey) || !(publicKey instanceof CryptoKey)) {
		throw new KeyFileError('An ES256 JWK must import as an asymmetric key');
	}
	return {
		kid: jwk.kid,
		privateKey,
		publicKey,
		publicJwk: {
			kty: 'EC',
			crv: 'P-256',
			x: jwk.x,
			y: jwk.y,
			kid: jwk.kid,
			alg: ALG,
			use: 'sig',
			key_ops: ['verify'],
			ext: true
		}
	};
}

async function generatePrivateJwk(): Promise<PrivateEcJwk> {
	const { privateKey } = await generateKeyPair(ALG, { extractable: true });
	const jwk = await exportJWK(privateKey);
	if (!isPrivateEcJwk(jwk)) throw new KeyFileError('Generated key is not a P-256 private JWK');
	// Supabase's signing keys are named by a UUID kid; clients pick the JWKS entry by it.
	return { ...jwk, kid: randomUUID(), alg: ALG };
}

async function readPrivateJwk(keyFile: string): Promise<PrivateEcJwk> {
	let parsed: unknown;
	try {
		parsed = JSON.parse(await readFile(keyFile, 'utf8'));
	} catch (error) {
		throw new KeyFileError(`Cannot read the auth signing key from ${keyFile}`, { cause: error });
	}
	if (!isPrivateEcJwk(parsed)) {
		throw new KeyFileError(`${keyFile} does not hold an ES256 (P-256) private JWK`);
	}
	const { kty, crv, x, y, d } = parsed;
	const kid =
		typeof parsed.kid === 'string' ? parsed.kid : await calculateJwkThumbprint({ kty, crv, x, y });
	return { kty, crv, x, y, d, kid };
}

/**
 * The server's signing key. With a key file, the private JWK is kept there (created on first use,
 * readable by the owner only) so access tokens and project keys stay valid across restarts;
 * without one, the key lives only as long as the server.
 */
export async function loadOrCreateSigningKey(keyFile?: string): Promise<SigningKey> {
	if (!keyFile) return fromPrivateJwk(await generatePrivateJwk());
	const jwk = await generatePrivateJwk();
	await mkdir(path.dirname(keyFile), { recursive: true });
	try {
		// 'wx' never overwrites: if another process created the file first, we use its key.
		await writeFile(keyFile, JSON.stringify(jwk, null, '\t') + '\n', { mode: 0o600, flag: 'wx' });
		return await fromPrivateJwk(jwk);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
	}
	return fromPrivateJwk(await readPrivateJwk(keyFile));
}

/** Signs claims as an ES256 JWT whose header names the key, as Supabase Auth does. */
export function signJwt(key: SigningKey, claims: JWTPayload): Promise<string> {
	return new SignJWT(claims)
		.setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
		.sign(key.privateKey);
}

/**
 * Verifies a bearer JWT: our key only, ES256 only, not expired. Failures are GoTrue's 403
 * `bad_jwt`, with its message prefix, so clients see the same error they would on Supabase.
 */
export async function verifyJwt(key: SigningKey, token: string): Promise<JWTPayload> {
	try {
		const { payload } = await jwtVerify(
			token,
			(header) => {
				if (header.kid !== undefined && header.kid !== key.kid) {
					throw new AuthHttpError(
						403,
						'bad_jwt',
						`invalid JWT: unable to parse or verify signature, unrecognized JWT kid ${header.kid} for algorithm ${header.alg}`
					);
				}
				return key.publicKey;
			},
			{ algorithms: [ALG] }
		);
		return payload;
	} catch (error) {
		if (error instanceof AuthHttpError) throw error;
		throw new AuthHttpError(
			403,
			'bad_jwt',
			`invalid JWT: unable to parse or verify signature, ${describeJoseError(error)}`
		);
	}
}

function describeJoseError(error: unknown): string {
	if (error instanceof joseErrors.JWTExpired) return 'token has invalid claims: token is expired';
	if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
		return 'token signature is invalid';
	}
	if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'signing method is invalid';
	if (error instanceof joseErrors.JWTClaimValidationFailed) {
		return `token has invalid claims: ${error.message}`;
	}
	return 'token is malformed';
}
