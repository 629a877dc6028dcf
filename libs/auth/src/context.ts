import { ServiceName } from '@ap/config';
import { badUserInput, unauthenticated } from '@ap/errors';
import { AuthError } from './errors';
import { formatOrganisation, Principal } from './roles';
import { cachedInternalTokenVerifier } from './token-cache';
import { InternalTokenClaims } from './tokens';

/** What every subgraph's context contains; subgraphs add their own fields with an intersection type. */
export interface RequestContext {
  principal: Principal | null;
  /** True when the request carried a valid internal token signed by the gateway for this subgraph. */
  viaGateway: boolean;
  traceId: string;
  /** The client's `Idempotency-Key`, forwarded by the gateway; creating mutations run once per key (@ap/db createOnce). */
  idempotencyKey?: string;
}

/** Node's IncomingHttpHeaders, or anything with get() such as Apollo's HeaderMap or fetch's Headers. */
export type HeaderSource = Record<string, string | string[] | undefined> | { get(name: string): string | null | undefined };

export function headerValue(headers: HeaderSource, name: string): string | undefined {
  const lower = name.toLowerCase();
  let raw: string | string[] | null | undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    raw = (headers as { get(name: string): string | null | undefined }).get(lower);
  } else {
    const record = headers as Record<string, string | string[] | undefined>;
    raw = record[lower] ?? Object.entries(record).find(([k]) => k.toLowerCase() === lower)?.[1];
  }
  if (Array.isArray(raw)) raw = raw[0];
  return raw ?? undefined;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(headers: HeaderSource): string | undefined {
  const value = headerValue(headers, 'authorization');
  const match = value?.match(/^\s*Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** 1–255 visible ASCII characters; a UUID is typical. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The request's `Idempotency-Key`, or undefined when it sends none. A malformed key is refused
 * (BAD_USER_INPUT) rather than ignored: a client that sends one counts on it.
 */
export function idempotencyKeyFrom(headers: HeaderSource): string | undefined {
  const value = headerValue(headers, IDEMPOTENCY_KEY_HEADER);
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw badUserInput('The Idempotency-Key header must be 1 to 255 visible ASCII characters, e.g. a UUID', 'Idempotency-Key');
  }
  return value;
}

const THROUGH_GATEWAY = 'This service only accepts requests through the gateway: send the query to the gateway with your access token';

/** One cache of verified internal tokens per audience (a process serves one subgraph; tests start several). */
const verifiers = new Map<ServiceName, (token: string) => Promise<InternalTokenClaims>>();
function verifierFor(audience: ServiceName) {
  let verify = verifiers.get(audience);
  if (!verify) verifiers.set(audience, (verify = cachedInternalTokenVerifier(audience)));
  return verify;
}

/**
 * Builds a subgraph's request context from the internal token the gateway sends
 * (`authorization: Bearer <internal token>`). Missing or invalid → throws the UNAUTHENTICATED
 * GraphQLError, so nothing reaches a subgraph around the gateway.
 */
export async function contextFromRequest(headers: HeaderSource, audience: ServiceName): Promise<RequestContext> {
  const token = bearerToken(headers);
  if (!token) throw refused('no internal token was sent');
  try {
    const { principal, traceId } = await verifierFor(audience)(token);
    // The gateway reuses a caller's token across requests (InternalTokenIssuer), so the request's trace id comes in x-trace-id.
    return { principal, viaGateway: true, traceId: traceId || (headerValue(headers, 'x-trace-id') ?? ''), idempotencyKey: idempotencyKeyFrom(headers) };
  } catch (err) {
    if (err instanceof AuthError) throw refused(err.message.replace(/: send the request through the gateway$/, ''));
    throw err;
  }
}

/**
 * UNAUTHENTICATED, with `extensions.http.status = 401` so that Apollo Server answers a context
 * failure with 401 instead of its default 500 (Apollo strips `http` from the response body).
 */
function refused(reason: string) {
  const error = unauthenticated(`${THROUGH_GATEWAY} (${reason})`);
  (error.extensions as Record<string, unknown>).http = { status: 401 };
  return error;
}

/**
 * The caller of a resolver. The shield lets no anonymous request reach one; this guards the use
 * cases against a rule slip rather than trusting it.
 */
export function requirePrincipal(ctx: Pick<RequestContext, 'principal'>): Principal {
  if (!ctx.principal) throw unauthenticated();
  return ctx.principal;
}

/** Who is reading, as the pupil access log records it (PupilReadLog in @ap/db takes this shape). */
export function pupilReaderOf(context: RequestContext): { userId: string; role: string; organisation: string; traceId: string } {
  const p = context.principal;
  return {
    userId: p?.userId ?? 'unknown',
    role: p?.role ?? 'NONE',
    organisation: p ? formatOrganisation(p.org) : 'none',
    traceId: context.traceId,
  };
}
