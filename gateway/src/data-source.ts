import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import fetch, { Response } from 'node-fetch';
import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { IDEMPOTENCY_KEY_HEADER, InternalTokenIssuer } from '@ap/auth';
import { ServiceName } from '@ap/config';
import { Logger } from '@ap/logger';
import { currentTraceparent, newTraceId } from '@ap/tracing';
import { GatewayContext } from './context';
import { subgraphUnavailable } from './errors';

/** Connections stay open between subgraph requests (an idle one closes after 4 s, before the subgraph's 5-s keep-alive ends it under a request); no cap on sockets, as before. */
const KEEP_ALIVE = { keepAlive: true, keepAliveMsecs: 1000, scheduling: 'lifo' as const, timeout: 4000 };

/** Sends the caller's internal token for its subgraph (reused for half its life: InternalTokenIssuer) and the trace (W3C traceparent, and the trace id). */
export class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly serviceName: ServiceName,
    url: string,
    private readonly logger: Logger,
    timeoutMs: number,
    private readonly tokens: InternalTokenIssuer,
  ) {
    super({ url });
    // node-fetch over a keep-alive agent of this subgraph's own, in place of make-fetch-happen
    // (Apollo's default, an npm-registry client whose cache and retry layers showed in the
    // gateway's profile). Its per-request timeout makes a subgraph that hangs unavailable
    // instead of holding the client's request for ever.
    const agent = url.startsWith('https:') ? new HttpsAgent(KEEP_ALIVE) : new HttpAgent(KEEP_ALIVE);
    this.fetcher = async (input, init) => {
      const response = await fetch(input, { ...init, agent, timeout: timeoutMs });
      return response.status === 400 ? refusedInput(response) : response;
    };
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // context is empty for requests the gateway makes on its own (health checks).
    const ctx = context as Partial<GatewayContext> | undefined;
    const traceId = ctx?.traceId ?? newTraceId();
    const token = await this.tokens.token(ctx?.principal ?? null, this.serviceName);
    request.http?.headers.set('authorization', `Bearer ${token}`);
    request.http?.headers.set('x-trace-id', traceId);
    // The active span here is the gateway's fetch to this subgraph: the subgraph's span continues it.
    const traceparent = currentTraceparent();
    if (traceparent) request.http?.headers.set('traceparent', traceparent);
    if (ctx?.idempotencyKey) request.http?.headers.set(IDEMPOTENCY_KEY_HEADER, ctx.idempotencyKey);
  }

  /**
   * A subgraph answered with a non-2xx status. The gateway's default error carries the subgraph's
   * URL and body; log them. 503 (starting or stopping) is an unavailable subgraph; anything else
   * is an internal error (a client cannot fix this).
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const body = await response.text().catch(() => '');
    this.logger.error({ subgraph: this.serviceName, status: response.status, body: body.slice(0, 2000) }, 'subgraph answered with an HTTP error');
    if (response.status === 503) return subgraphUnavailable(this.serviceName);
    return new GraphQLError(`Subgraph ${this.serviceName} answered HTTP ${response.status}`, {
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  }

  /**
   * No answer at all (refused, reset, timed out): the subgraph is unavailable. The query plan
   * goes on, so the fields of the other subgraphs still arrive and this one's are null.
   */
  override didEncounterError(error: Error, _req: unknown, response: unknown): void {
    if (error instanceof GraphQLError) throw error; // from errorFromResponse
    // No response, or the connection failed while the body was read (a subgraph stopping mid-answer).
    if (response === undefined || isNetworkError(error)) {
      this.logger.warn({ subgraph: this.serviceName, err: error }, 'subgraph unreachable');
      throw subgraphUnavailable(this.serviceName);
    }
    throw error;
  }
}

/**
 * A subgraph answers HTTP 400 with GraphQL errors when it refuses an operation's variables (the
 * bulk operations' variables are coerced there only: bulk-variables.ts). When every error is
 * BAD_USER_INPUT, the answer goes on as a GraphQL response (status 200), so the gateway passes
 * each error, its message and field, to the client; any other 400 stays an HTTP error.
 */
async function refusedInput(response: Response): Promise<Response> {
  const text = await response.text();
  let body: { data?: unknown; errors?: { extensions?: { code?: unknown } }[] } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const refused = Array.isArray(body?.errors) && body.errors.length > 0 && body.data === undefined && body.errors.every((e) => e?.extensions?.code === 'BAD_USER_INPUT');
  return new Response(text, { status: refused ? 200 : response.status, statusText: refused ? 'OK' : response.statusText, headers: response.headers, url: response.url });
}

/** The fetcher's FetchError of type "system" (ECONNRESET, ECONNREFUSED, ...) or "request-timeout", or an abort. */
function isNetworkError(error: Error): boolean {
  const e = error as Error & { type?: string; code?: string };
  return e.type === 'system' || e.type === 'request-timeout' || e.name === 'AbortError' || /^(ECONN|EPIPE|ETIMEDOUT|EHOSTUNREACH|UND_ERR)/.test(e.code ?? '');
}
