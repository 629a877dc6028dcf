import { setting, ServiceName } from '@ap/config';
import { formatOrganisation, Principal } from './roles';
import { INTERNAL_TOKEN_TTL_SECONDS, InternalTokenClaims, issueInternalToken, verifyClientTokenUntil, verifyInternalTokenUntil } from './tokens';

/**
 * A bounded map whose entries each lapse at their own time; the least recently used goes first
 * when it is full. For answers that hold until a known moment (a verified token until it expires).
 */
export class ExpiringLru<V> {
  private readonly entries = new Map<string, { value: V; untilMs: number }>();

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`ExpiringLru needs a whole number of entries of at least 1, not ${max}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string, nowMs = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (nowMs >= entry.untilMs) return undefined;
    this.entries.set(key, entry); // most recently used last
    return entry.value;
  }

  set(key: string, value: V, untilMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, untilMs });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** How many verified tokens a process remembers (each a few hundred bytes). */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/**
 * Verifying an HS256 token costs an HMAC and a parse on every request, for the same few tokens.
 * These remember each successful verification, keyed by the whole token (any change to it is
 * another key) and by the secret it was checked with, until the token's own expiry. Failures are
 * not remembered: they are checked afresh every time.
 */
export function cachedClientTokenVerifier(max = VERIFIED_TOKEN_CACHE_SIZE): (token: string) => Promise<Principal> {
  const verified = new ExpiringLru<Principal>(max);
  return async (token) => {
    const key = `${setting('CLIENT_TOKEN_SECRET')}\u0000${token}`;
    const known = verified.get(key);
    if (known) return known;
    const { principal, validUntilMs } = await verifyClientTokenUntil(token);
    verified.set(key, principal, validUntilMs);
    return principal;
  };
}

export function cachedInternalTokenVerifier(audience: ServiceName, max = VERIFIED_TOKEN_CACHE_SIZE): (token: string) => Promise<InternalTokenClaims> {
  const verified = new ExpiringLru<InternalTokenClaims>(max);
  return async (token) => {
    const key = `${setting('INTERNAL_TOKEN_SECRET')}\u0000${token}`;
    const known = verified.get(key);
    if (known) return known;
    const { claims, validUntilMs } = await verifyInternalTokenUntil(token, audience);
    verified.set(key, claims, validUntilMs);
    return claims;
  };
}

/**
 * The gateway's internal tokens, one per caller and subgraph, reused for the first half of their
 * 60-second life instead of signed for every subgraph request. Such a token carries no trace id
 * (the gateway sends it in x-trace-id, which the subgraph uses); it grants nothing a fresh one
 * would not, and lapses at the same time.
 */
export class InternalTokenIssuer {
  private readonly tokens: ExpiringLru<Promise<string>>;

  constructor(
    max = VERIFIED_TOKEN_CACHE_SIZE,
    private readonly reuseMs = (INTERNAL_TOKEN_TTL_SECONDS * 1000) / 2,
  ) {
    this.tokens = new ExpiringLru(max);
  }

  token(principal: Principal | null, audience: ServiceName, nowMs = Date.now()): Promise<string> {
    const key = principal ? `${audience}\u0000${principal.userId}\u0000${principal.role}\u0000${formatOrganisation(principal.org)}` : `${audience}\u0000`;
    const known = this.tokens.get(key, nowMs);
    if (known) return known;
    const minted = issueInternalToken({ principal, audience, traceId: '' });
    this.tokens.set(key, minted, nowMs + this.reuseMs);
    // A failed mint is not kept.
    minted.catch(() => this.tokens.set(key, minted, 0));
    return minted;
  }
}
