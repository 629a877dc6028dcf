import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { FragmentDefinitionNode, GraphQLError, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { headerValue } from '@ap/auth';
import { setting } from '@ap/config';
import { unauthenticated } from '@ap/errors';
import { HttpRefusal } from '@ap/http';

/**
 * Requests without a token. Everything needs a token except the root Query fields named here, which
 * the owning subgraph's access table marks `public` (the directory's Query.localOffer; a gateway
 * test keeps the two lists equal). An anonymous request that asks for anything else — another
 * field beside a public one, a mutation, introspection — is refused UNAUTHENTICATED before it is
 * planned; anonymous callers are rate-limited per IP address.
 */
export const PUBLIC_QUERY_FIELDS: ReadonlySet<string> = new Set(['localOffer']);

export interface AnonymousLimits {
  /** Requests an IP address may make without a token per window. */
  points: number;
  windowSeconds: number;
}

export const DEFAULT_ANONYMOUS_LIMITS: AnonymousLimits = {
  points: Number(setting('GATEWAY_ANONYMOUS_REQUESTS_PER_MINUTE', '60')),
  windowSeconds: 60,
};

const SIGN_IN =
  'Sign in: send your access token as "Authorization: Bearer <token>" (for development, mint one with `npm run -s token -- --role LA_ADMIN --org la:865`). ' +
  `Without a token you may only query ${[...PUBLIC_QUERY_FIELDS].join(', ')}.`;

const CHALLENGE = { 'www-authenticate': 'Bearer realm="ap-pathways"' };

/**
 * Who is calling: the token's principal (an invalid token is refused, never treated as none), or
 * null for a POST without an Authorization header, counted against its IP's allowance.
 */
export function anonymousCallers(limits: AnonymousLimits = DEFAULT_ANONYMOUS_LIMITS) {
  const limiter = new RateLimiterMemory({ points: limits.points, duration: limits.windowSeconds });
  return async function callerOf<P>(req: IncomingMessage, authenticate: (req: IncomingMessage) => Promise<P>): Promise<P | null> {
    // Only a POST may go without a token: Apollo's CSRF check refuses a GET without a preflight header,
    // which would tell a caller who forgot the token about CSRF instead of signing in.
    if (req.method !== 'POST' || headerValue(req.headers, 'authorization') !== undefined) return authenticate(req);
    const ip = req.socket.remoteAddress ?? 'unknown';
    try {
      await limiter.consume(ip);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new HttpRefusal(429, `Too many requests without a token from your address: try again in ${retryAfter} s, or sign in.`, 'RATE_LIMITED', {
        'retry-after': String(retryAfter),
      });
    }
    return null;
  };
}

/** The root fields an operation asks for, through fragments and inline fragments. */
export function rootFieldNames(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) names.push(sel.name.value);
      else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet);
      else if (!seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        const fragment = fragments.get(sel.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return names;
}

/** Lets an anonymous request through only when it is a query of public root fields alone. */
export function anonymousGate<T extends { principal: unknown }>(publicFields: ReadonlySet<string> = PUBLIC_QUERY_FIELDS): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          if (contextValue.principal) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
          const publicOnly =
            operation?.operation === 'query' && rootFieldNames(operation, fragments).every((f) => publicFields.has(f) || f === '__typename');
          if (publicOnly) return;
          const error: GraphQLError = unauthenticated(SIGN_IN);
          (error.extensions as Record<string, unknown>).http = { status: 401, headers: new Map(Object.entries(CHALLENGE)) };
          throw error;
        },
      };
    },
  };
}
