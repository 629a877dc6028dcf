import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloGateway, GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { DocumentNode, FragmentDefinitionNode, GraphQLError, Kind } from 'graphql';
import {
  AuthError,
  bearerToken,
  formatOrganisation,
  IDEMPOTENCY_KEY_HEADER,
  idempotencyKeyFrom,
  issueInternalToken,
  Principal,
  verifyClientToken,
} from '@ap/auth';
import { serviceConfig, setting, SERVICE_NAMES, ServiceName } from '@ap/config';
import { forbidden, unauthenticated } from '@ap/errors';
import { HttpRefusal, Readiness, RequestDone, startHttpService } from '@ap/http';
import { createLogger, Logger } from '@ap/logger';
import { AnonymousLimits, anonymousCallers, anonymousGate } from './anonymous';
import { gatewayErrorFormatter, subgraphUnavailable } from './errors';
import { checkDocumentShape, DEFAULT_QUERY_LIMITS, LIMIT_CODE, QueryLimits, queryProtection, usesIntrospection } from './limits';
import { createMetrics, GatewayMetrics } from './metrics';

/** What the gateway knows about one GraphQL request; it reaches every data source's willSendRequest. */
export interface GatewayContext {
  /** Null for a request without a token: only public queries get through (anonymous.ts). */
  principal: Principal | null;
  traceId: string;
  /** The client's Idempotency-Key, forwarded to the subgraphs (creating mutations run once per key). */
  idempotencyKey?: string;
  /** Filled in by the plugin for the access log and metrics. */
  stats: RequestStats;
}

interface RequestStats {
  seenByApollo: boolean;
  operationType?: string;
  operationName?: string | null;
  errorCodes: string[];
}

export interface GatewayOptions {
  /** The composed supergraph (schemas/supergraph.graphql). */
  supergraphSdl: string;
  /** Where each subgraph listens; defaults to serviceConfig(name).url (infra/stack.env or environment). */
  subgraphUrls?: Partial<Record<ServiceName, string>>;
  /** 0 picks a free port (tests). Default 0. */
  port?: number;
  /** Where to listen; default BIND_HOST (infra/stack.env: 127.0.0.1). */
  host?: string;
  /** The port of /metrics, on host; 0 (the default) picks a free port. */
  metricsPort?: number;
  /** How long a subgraph may take to answer before its fields are null (SUBGRAPH_UNAVAILABLE). Default 10 s. */
  subgraphTimeoutMs?: number;
  logger?: Logger;
  limits?: Partial<QueryLimits> & { maxBodyBytes?: number };
  /** Requests without a token per IP address (anonymous.ts). */
  anonymousLimits?: AnonymousLimits;
}

export interface RunningGateway {
  url: string;
  port: number;
  /** /metrics, on its own port. */
  metricsUrl: string;
  stop(): Promise<void>;
  /** The Prometheus registry served at metricsUrl. */
  metrics: GatewayMetrics;
}

/** The only role allowed to introspect the schema. */
export const INTROSPECTION_ROLE = 'LA_ADMIN';

function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/** Signs a short-lived internal token for its subgraph and forwards the trace id. */
class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly serviceName: ServiceName,
    url: string,
    private readonly logger: Logger,
    timeoutMs: number,
  ) {
    super({ url });
    // make-fetch-happen (the default fetcher) takes a per-request timeout: a subgraph that hangs
    // becomes unavailable instead of holding the client's request for ever.
    const fetcher = this.fetcher;
    this.fetcher = (input, init) => fetcher(input, { ...init, timeout: timeoutMs } as typeof init);
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // context is empty for requests the gateway makes on its own (health checks).
    const ctx = context as Partial<GatewayContext> | undefined;
    const traceId = ctx?.traceId ?? randomUUID();
    const token = await issueInternalToken({ principal: ctx?.principal ?? null, audience: this.serviceName, traceId });
    request.http?.headers.set('authorization', `Bearer ${token}`);
    request.http?.headers.set('x-trace-id', traceId);
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

/** The fetcher's FetchError of type "system" (ECONNRESET, ECONNREFUSED, ...) or "request-timeout", or an abort. */
function isNetworkError(error: Error): boolean {
  const e = error as Error & { type?: string; code?: string };
  return e.type === 'system' || e.type === 'request-timeout' || e.name === 'AbortError' || /^(ECONN|EPIPE|ETIMEDOUT|EHOSTUNREACH|UND_ERR)/.test(e.code ?? '');
}

/** How long one readiness probe of a subgraph may take, and how long its answer is reused. */
const PROBE_TIMEOUT_MS = 1000;
const PROBE_REUSE_MS = 1000;

/**
 * The gateway's readiness: each subgraph's /readyz. With some down it is "degraded" but still
 * ready (200): it answers every query, with the missing subgraphs' fields null and
 * SUBGRAPH_UNAVAILABLE errors, and every gateway instance would see the same subgraphs down, so
 * taking it out of a load balancer would only turn partial answers into none. With none up it
 * is not ready (503). Probes run at most once a second, however often /readyz is asked.
 */
function subgraphReadiness(urls: ReadonlyMap<ServiceName, string>): () => Promise<Readiness> {
  let last: { at: number; answer: Promise<Readiness> } | undefined;
  const probe = async (url: string): Promise<boolean> => {
    try {
      const res = await fetch(url.replace(/\/graphql$/, '/readyz'), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok;
    } catch {
      return false;
    }
  };
  const check = async (): Promise<Readiness> => {
    const names = [...urls.keys()];
    const answers = await Promise.all(names.map((n) => probe(urls.get(n)!)));
    // No single subgraph is critical; readinessReport calls the gateway not ready only when all are down.
    return Object.fromEntries(names.map((n, i) => [n, answers[i] ? { status: 'up' as const, critical: false } : { status: 'down' as const, critical: false, detail: 'unavailable' }]));
  };
  return () => {
    if (!last || Date.now() - last.at > PROBE_REUSE_MS) last = { at: Date.now(), answer: check() };
    return last.answer;
  };
}

/**
 * Bounds on the two caches a stranger can fill with distinct queries: Apollo's parsed documents
 * and the gateway's query plans. Both count size as JSON, far below a document's real heap (its
 * tokens are kept for locations), so each also has a cap on entries. With documents of at most
 * maxTokens tokens this keeps each cache to tens of megabytes.
 */
export const CACHE_LIMITS = { maxEntries: 500, maxJsonBytes: 8 * 1024 * 1024 };

function boundedCache<T extends {}>(): InMemoryLRUCache<T> {
  return new InMemoryLRUCache<T>({ max: CACHE_LIMITS.maxEntries, maxSize: CACHE_LIMITS.maxJsonBytes });
}

/**
 * Refuses, with 400 and a clear code, what the gateway's executor would otherwise fail on with an
 * internal error: no operation to run (an operationName naming none, or several operations and no
 * operationName) and subscriptions, which this gateway does not serve.
 */
function operationGate(): ApolloServerPlugin<GatewayContext> {
  const refuse = (message: string, code: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (!operation) {
            const names = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? '(anonymous)'] : []));
            const listed = names.length ? `The document has ${names.join(', ')}.` : 'The document has no operation.';
            throw refuse(
              request.operationName
                ? `No operation named "${request.operationName}" in the document. ${listed}`
                : `The document has several operations; say which to run in operationName. ${listed}`,
              'OPERATION_RESOLUTION_FAILURE',
            );
          }
          if (operation.operation === 'subscription') {
            throw refuse('Subscriptions are not supported: send a query (and ask again for fresh data).', 'BAD_REQUEST');
          }
        },
      };
    },
  };
}

function introspectionGate(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
          if (!operation || !usesIntrospection(operation, fragments)) return;
          const p = contextValue.principal;
          if (!p) return; // anonymousGate refuses it
          if (p.role === INTROSPECTION_ROLE) return;
          const error = forbidden(
            `Introspection (__schema, __type) is only for ${INTROSPECTION_ROLE}; you are signed in as ${p.role} for ${formatOrganisation(p.org)}. ` +
              'Ask an administrator for the schema (schemas/supergraph.graphql).',
          );
          (error.extensions as Record<string, unknown>).http = { status: 403 };
          throw error;
        },
      };
    },
  };
}

function observe(metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      contextValue.stats.seenByApollo = true;
      return {
        async didResolveOperation({ operation, operationName }) {
          contextValue.stats.operationType = operation?.operation;
          contextValue.stats.operationName = operationName;
        },
        async willSendResponse({ response }) {
          const type = contextValue.stats.operationType ?? 'unknown';
          metrics.requests.inc({ operation_type: type });
          metrics.duration.observe({ operation_type: type }, Number(process.hrtime.bigint() - started) / 1e9);
          if (response.body.kind === 'single') {
            for (const e of response.body.singleResult.errors ?? []) {
              const code = String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
              contextValue.stats.errorCodes.push(code);
              metrics.errors.inc({ code });
            }
          }
        },
      };
    },
  };
}

/** One log line per /graphql request, and the metrics of the requests refused before Apollo's plugins ran. */
function accessLog(logger: Logger, metrics: GatewayMetrics) {
  return ({ req, path, status, durationMs, context, refusal, response }: RequestDone<GatewayContext>) => {
    if (path !== '/graphql') return;
    const stats: RequestStats = context?.stats ?? { seenByApollo: false, errorCodes: [] };
    const countUnseen = (codes: string[]) => {
      metrics.requests.inc({ operation_type: 'unknown' });
      for (const code of codes) {
        stats.errorCodes.push(code);
        metrics.errors.inc({ code });
      }
    };
    if (refusal) countUnseen([refusal.code]);
    // Apollo refused it before its plugins ran (CSRF, malformed request).
    else if (response?.body.kind === 'complete' && !stats.seenByApollo) countUnseen(errorCodes(response.body.string));
    logger.info(
      {
        method: req.method,
        path,
        status,
        durationMs,
        userId: context?.principal?.userId,
        role: context?.principal?.role,
        operationType: stats.operationType,
        operationName: stats.operationName ?? undefined,
        errorCodes: stats.errorCodes.length ? stats.errorCodes : undefined,
      },
      'graphql request',
    );
  };
}

function errorCodes(text: string): string[] {
  try {
    return ((JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors ?? []).map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  } catch {
    return []; // not JSON: nothing to count
  }
}

async function authenticate(req: IncomingMessage): Promise<Principal> {
  const token = bearerToken(req.headers);
  const challenge = { 'www-authenticate': 'Bearer realm="ap-pathways"' };
  if (!token) {
    throw new HttpRefusal(
      401,
      unauthenticated('Sign in: send your access token as "Authorization: Bearer <token>" (for development, mint one with `npm run -s token -- --role LA_ADMIN --org la:865`).').message,
      'UNAUTHENTICATED',
      challenge,
    );
  }
  try {
    return await verifyClientToken(token);
  } catch (err) {
    if (err instanceof AuthError) throw new HttpRefusal(401, err.message, 'UNAUTHENTICATED', challenge);
    throw err;
  }
}

/** The client's Idempotency-Key; a malformed one is refused with 400 before anything runs. */
function idempotencyKey(req: IncomingMessage): string | undefined {
  try {
    return idempotencyKeyFrom(req.headers);
  } catch (err) {
    if (err instanceof GraphQLError) throw new HttpRefusal(400, err.message, 'BAD_USER_INPUT');
    throw err;
  }
}

/**
 * Starts the gateway: ApolloGateway on a static supergraph behind Apollo Server 5, served by @ap/http
 * (/graphql, /healthz, /readyz, /metrics) with the gateway's metrics and access log.
 */
export async function createGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway');
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...options.limits };
  const protection = queryProtection(limits);
  const metrics = createMetrics();
  const callerOf = anonymousCallers(options.anonymousLimits);
  const subgraphUrls = Object.fromEntries(SERVICE_NAMES.map((name) => [name, options.subgraphUrls?.[name] ?? serviceConfig(name).url])) as Record<ServiceName, string>;

  /** The subgraphs of the supergraph (buildService is called for each when the gateway loads), for /readyz. */
  const composed = new Map<ServiceName, string>();
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger,
    queryPlannerConfig: { cache: boundedCache() },
    // name is the subgraph's name in the supergraph (join__Graph's name), the same as the ServiceName.
    buildService({ name }) {
      if (!isServiceName(name)) {
        throw new Error(`The supergraph names a subgraph "${name}", which is not one of ${SERVICE_NAMES.join(', ')}`);
      }
      composed.set(name, subgraphUrls[name]);
      return new AuthenticatedDataSource(name, subgraphUrls[name], logger, options.subgraphTimeoutMs ?? 10_000);
    },
  });

  const http = await startHttpService<GatewayContext>({
    name: 'gateway',
    port: options.port ?? 0,
    host: options.host ?? setting('BIND_HOST', '127.0.0.1'),
    metricsPort: options.metricsPort ?? 0,
    logger,
    ready: subgraphReadiness(composed),
    // Before Apollo's validation, whose cost grows with the square of repeated fields (see checkDocumentShape).
    checkRequest: ({ query }) => {
      const refusal = typeof query === 'string' ? checkDocumentShape(query, limits) : undefined;
      if (refusal) throw new HttpRefusal(400, refusal, LIMIT_CODE);
    },
    maxBodyBytes: options.limits?.maxBodyBytes,
    registry: metrics.registry,
    context: async (req, traceId) => ({
      principal: await callerOf(req, authenticate),
      traceId,
      idempotencyKey: idempotencyKey(req),
      stats: { seenByApollo: false, errorCodes: [] },
    }),
    onRequestDone: accessLog(logger, metrics),
    apollo: (httpServer) =>
      new ApolloServer<GatewayContext>({
        gateway,
        logger,
        csrfPrevention: true,
        // The process (main.ts) decides when to stop; Apollo's own handlers would re-raise the signal.
        stopOnTerminationSignals: false,
        // Served to LA_ADMIN only: see introspectionGate. (false would refuse it to everyone.)
        introspection: true,
        includeStacktraceInErrorResponses: false,
        // No "Did you mean ...?" hints: they reveal the schema to those who may not introspect.
        hideSchemaDetailsFromClientErrors: true,
        allowBatchedHttpRequests: false,
        parseOptions: protection.parseOptions,
        validationRules: protection.validationRules,
        documentStore: boundedCache<DocumentNode>(),
        formatError: gatewayErrorFormatter(logger),
        plugins: [
          ...(protection.plugins as ApolloServerPlugin<GatewayContext>[]),
          ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: 5000 }),
          ApolloServerPluginLandingPageDisabled(),
          operationGate(),
          anonymousGate<GatewayContext>(),
          introspectionGate(),
          observe(metrics),
        ],
      }),
  });

  return {
    url: http.graphqlUrl,
    port: http.port,
    metricsUrl: http.metricsUrl,
    metrics,
    // Apollo stops the gateway and, through the drain plugin, closes the HTTP server.
    stop: http.stop,
  };
}
