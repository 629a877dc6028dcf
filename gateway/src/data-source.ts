import { Agent as HttpAgent, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FetcherResponse } from '@apollo/utils.fetcher';
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
    // A plain POST over a keep-alive agent of this subgraph's own, in place of make-fetch-happen
    // (Apollo's default, an npm-registry client whose cache and retry layers showed in the
    // gateway's profile) and then of node-fetch (its streams, Headers and Response objects were a
    // sixth of the gateway's CPU). The per-request timeout makes a subgraph that hangs unavailable
    // instead of holding the client's request for ever.
    const agent = url.startsWith('https:') ? new HttpsAgent(KEEP_ALIVE) : new HttpAgent(KEEP_ALIVE);
    this.fetcher = (input, init) => post(String(input), agent, (init?.headers ?? {}) as Record<string, string>, String(init?.body ?? ''), timeoutMs);
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

/** What the data source reads of a subgraph's answer: status, headers, the body (read whole). */
class SubgraphResponse {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    private readonly rawHeaders: IncomingHttpHeaders,
    private readonly body: string,
  ) {}
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  readonly headers = {
    get: (name: string): string | null => {
      const value = this.rawHeaders[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
  async text(): Promise<string> {
    return this.body;
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.body);
  }
}

/**
 * POSTs the body and reads the whole answer, within timeoutMs from the start. Fails with the
 * socket's error (ECONNREFUSED, ECONNRESET …) or, past the timeout, one of type "request-timeout".
 */
function post(url: string, agent: HttpAgent, headers: Record<string, string>, body: string, timeoutMs: number): Promise<FetcherResponse> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    let timer: NodeJS.Timeout | undefined = undefined;
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    const req = send(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        // A connection cut mid-answer ends the stream early but marks it incomplete.
        if (!res.complete) return reject(Object.assign(new Error(`${url}: the answer was cut off`), { code: 'ECONNRESET' }));
        const text = Buffer.concat(chunks).toString('utf8');
        const status = refusedInputStatus(res.statusCode ?? 0, text);
        resolve(new SubgraphResponse(url, status, status === res.statusCode ? (res.statusMessage ?? '') : 'OK', res.headers, text) as unknown as FetcherResponse);
      });
    });
    timer = setTimeout(() => req.destroy(Object.assign(new Error(`network timeout at: ${url}`), { type: 'request-timeout' })), timeoutMs);
    req.on('error', fail);
    req.end(body);
  });
}

/**
 * A subgraph answers HTTP 400 with GraphQL errors when it refuses an operation's variables (the
 * bulk operations' variables are coerced there only: bulk-variables.ts). When every error is
 * BAD_USER_INPUT, the answer goes on as a GraphQL response (status 200), so the gateway passes
 * each error, its message and field, to the client; any other 400 stays an HTTP error.
 */
function refusedInputStatus(status: number, text: string): number {
  if (status !== 400) return status;
  let body: { data?: unknown; errors?: { extensions?: { code?: unknown } }[] } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    return status;
  }
  const refused = Array.isArray(body?.errors) && body.errors.length > 0 && body.data === undefined && body.errors.every((e) => e?.extensions?.code === 'BAD_USER_INPUT');
  return refused ? 200 : status;
}

/** A socket's error (ECONNRESET, ECONNREFUSED, ...), a FetchError of type "system" or "request-timeout", or an abort. */
function isNetworkError(error: Error): boolean {
  const e = error as Error & { type?: string; code?: string };
  return e.type === 'system' || e.type === 'request-timeout' || e.name === 'AbortError' || /^(ECONN|EPIPE|ETIMEDOUT|EHOSTUNREACH|UND_ERR)/.test(e.code ?? '');
}
