import { errors as joseErrors, jwtVerify, JWTPayload, SignJWT } from 'jose';
import { setting, SERVICE_NAMES, ServiceName } from '@ap/config';
import { AuthError } from './errors';
import { formatOrganisation, Principal, toPrincipal } from './roles';

/** The `aud` of every client token. */
export const CLIENT_AUDIENCE = 'ap-pathways';
/** The `iss` of every internal (gateway → subgraph) token. */
export const INTERNAL_ISSUER = 'ap-pathways-gateway';
export const INTERNAL_TOKEN_TTL_SECONDS = 60;
export const DEFAULT_CLIENT_TTL_SECONDS = 8 * 3600;
const MAX_CLIENT_TTL_SECONDS = 30 * 24 * 3600;
const ALG = 'HS256';
/** Allowed clock difference between gateway and subgraph hosts. */
const CLOCK_TOLERANCE_SECONDS = 5;

export const internalAudience = (service: ServiceName): string => `subgraph:${service}`;

function secret(name: 'CLIENT_TOKEN_SECRET' | 'INTERNAL_TOKEN_SECRET'): Uint8Array {
  const value = setting(name);
  if (value.length < 32) {
    throw new Error(`Setting ${name} must be at least 32 characters long for HS256 signing`);
  }
  return new TextEncoder().encode(value);
}

function assertTtl(ttlSeconds: number): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_CLIENT_TTL_SECONDS) {
    throw new AuthError(`Token lifetime must be a whole number of seconds between 1 and ${MAX_CLIENT_TTL_SECONDS}, not ${ttlSeconds}`);
  }
}

/** Turns jose's verification failures into a message the token's holder can act on. */
function explain(err: unknown, kind: 'access token' | 'internal token', expected: { iss: string; aud: string }): AuthError {
  if (err instanceof AuthError) return err;
  const code = (err as { code?: string })?.code;
  const renew = kind === 'access token' ? 'sign in again (or mint one with `npm run token`)' : 'send the request through the gateway';
  if (err instanceof joseErrors.JWTExpired || code === 'ERR_JWT_EXPIRED') {
    return new AuthError(`The ${kind} has expired: ${renew}`);
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed || code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    const claim = (err as joseErrors.JWTClaimValidationFailed).claim;
    if (claim === 'aud') return new AuthError(`The ${kind} was issued for another audience, not ${expected.aud}: ${renew}`);
    if (claim === 'iss') return new AuthError(`The ${kind} was not issued by ${expected.iss}: ${renew}`);
    if (claim === 'nbf' || claim === 'iat') return new AuthError(`The ${kind} is not valid yet (check the clock): ${renew}`);
    return new AuthError(`The ${kind} is missing or has an invalid "${claim}" claim: ${renew}`);
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
    return new AuthError(`The ${kind}'s signature is not valid (it was not issued by this system, or it was altered): ${renew}`);
  }
  if (code === 'ERR_JOSE_ALG_NOT_ALLOWED') {
    return new AuthError(`The ${kind} must be signed with ${ALG}: ${renew}`);
  }
  return new AuthError(`The ${kind} is not a valid JWT (expected three dot-separated parts): ${renew}`);
}

function principalClaims(principal: Principal): { role: string; org: string } {
  // Validate before signing, so the issuer never mints a token its verifier would refuse.
  toPrincipal(principal.userId, principal.role, formatOrganisation(principal.org));
  return { role: principal.role, org: formatOrganisation(principal.org) };
}

/** The development issuer: a client token for the gateway (HS256, CLIENT_TOKEN_SECRET). */
export async function issueClientToken(principal: Principal, { ttlSeconds = DEFAULT_CLIENT_TTL_SECONDS }: { ttlSeconds?: number } = {}): Promise<string> {
  assertTtl(ttlSeconds);
  return new SignJWT(principalClaims(principal))
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setIssuer(setting('AUTH_ISSUER'))
    .setAudience(CLIENT_AUDIENCE)
    .setSubject(principal.userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(secret('CLIENT_TOKEN_SECRET'));
}

/** Verifies a client token (signature, iss, aud, exp, role, organisation); throws AuthError. */
export async function verifyClientToken(token: string): Promise<Principal> {
  return (await verifyClientTokenUntil(token)).principal;
}

/** verifyClientToken, with the time (ms since the epoch) until which the answer holds: the token's expiry. */
export async function verifyClientTokenUntil(token: string): Promise<{ principal: Principal; validUntilMs: number }> {
  const expected = { iss: setting('AUTH_ISSUER'), aud: CLIENT_AUDIENCE };
  let payload: JWTPayload;
  try {
    if (typeof token !== 'string' || token === '') throw new AuthError('No access token was given: sign in first');
    ({ payload } = await jwtVerify(token, secret('CLIENT_TOKEN_SECRET'), {
      algorithms: [ALG],
      issuer: expected.iss,
      audience: expected.aud,
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (err) {
    throw explain(err, 'access token', expected);
  }
  return { principal: toPrincipal(payload.sub, payload.role, payload.org), validUntilMs: (payload.exp as number) * 1000 };
}

export interface InternalTokenClaims {
  principal: Principal | null;
  traceId: string;
}

/** A 60-second token the gateway signs for one subgraph (HS256, INTERNAL_TOKEN_SECRET). */
export async function issueInternalToken({ principal, audience, traceId }: InternalTokenClaims & { audience: ServiceName }): Promise<string> {
  if (!(SERVICE_NAMES as readonly string[]).includes(audience)) {
    throw new Error(`Unknown subgraph "${audience}": expected one of ${SERVICE_NAMES.join(', ')}`);
  }
  const jwt = new SignJWT({ trace: traceId, ...(principal ? principalClaims(principal) : {}) })
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setIssuer(INTERNAL_ISSUER)
    .setAudience(internalAudience(audience))
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + INTERNAL_TOKEN_TTL_SECONDS);
  if (principal) jwt.setSubject(principal.userId);
  return jwt.sign(secret('INTERNAL_TOKEN_SECRET'));
}

/** Verifies an internal token for this subgraph; a token signed for another subgraph is refused. */
export async function verifyInternalToken(token: string, audience: ServiceName): Promise<InternalTokenClaims> {
  return (await verifyInternalTokenUntil(token, audience)).claims;
}

/**
 * verifyInternalToken, with the time (ms since the epoch) until which the answer holds: the
 * earlier of its expiry and its issue time plus its lifetime (jose's maxTokenAge), without the
 * clock tolerance, so a cached answer never outlives what a fresh check would accept.
 */
export async function verifyInternalTokenUntil(token: string, audience: ServiceName): Promise<{ claims: InternalTokenClaims; validUntilMs: number }> {
  const expected = { iss: INTERNAL_ISSUER, aud: internalAudience(audience) };
  let payload: JWTPayload;
  try {
    if (typeof token !== 'string' || token === '') throw new AuthError('No internal token was given: send the request through the gateway');
    ({ payload } = await jwtVerify(token, secret('INTERNAL_TOKEN_SECRET'), {
      algorithms: [ALG],
      issuer: expected.iss,
      audience: expected.aud,
      requiredClaims: ['exp', 'iat'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: INTERNAL_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (err) {
    throw explain(err, 'internal token', expected);
  }
  const traceId = typeof payload.trace === 'string' ? payload.trace : '';
  const anonymous = payload.sub === undefined && payload.role === undefined && payload.org === undefined;
  const claims = { principal: anonymous ? null : toPrincipal(payload.sub, payload.role, payload.org), traceId };
  return { claims, validUntilMs: Math.min(payload.exp as number, (payload.iat as number) + INTERNAL_TOKEN_TTL_SECONDS) * 1000 };
}
