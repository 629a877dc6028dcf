import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApolloServer, ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloGateway, GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { FragmentDefinitionNode, GraphQLError, Kind } from 'graphql';
import { AuthError, bearerToken, formatOrganisation, issueInternalToken, Principal, verifyClientToken } from '@ap/auth';
import { serviceConfig, SERVICE_NAMES, ServiceName } from '@ap/config';
import { forbidden, unauthenticated } from '@ap/errors';
import { createLogger, Logger, withTrace } from '@ap/logger';
import { errorBody, formatGatewayError } from './errors';
import { DEFAULT_QUERY_LIMITS, QueryLimits, queryLimitsRule, usesIntrospection } from './limits';
import { createMetrics, GatewayMetrics } from './metrics';

/** What the gateway knows about one GraphQL request; it reaches every data source's willSendRequest. */
export interface GatewayContext {
  principal: Principal;
  traceId: string;
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
  host?: string;
  logger?: Logger;
  limits?: Partial<QueryLimits> & { maxBodyBytes?: number };
}

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** The Prometheus registry served at /metrics. */
  metrics: GatewayMetrics;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** The only role allowed to introspect the schema. */
export const INTROSPECTION_ROLE = 'LA_ADMIN';

const TRACE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/** Signs a short-lived internal token for its subgraph and forwards the trace id. */
class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly serviceName: ServiceName,
    url: string,
    private readonly logger: Logger,
  ) {
    super({ url });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // context is empty for requests the gateway makes on its own (health checks).
    const ctx = context as Partial<GatewayContext> | undefined;
    const traceId = ctx?.traceId ?? randomUUID();
    const token = await issueInternalToken({ principal: ctx?.principal ?? null, audience: this.serviceName, traceId });
    request.http?.headers.set('authorization', `Bearer ${token}`);
    request.http?.headers.set('x-trace-id', traceId);
  }

  /**
   * A subgraph answered with a non-2xx status. The gateway's default error carries the subgraph's
   * URL and body; log them and give the client an internal error (a client cannot fix this).
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const body = await response.text().catch(() => '');
    this.logger.error({ subgraph: this.serviceName, status: response.status, body: body.slice(0, 2000) }, 'subgraph answered with an HTTP error');
    return new GraphQLError(`Subgraph ${this.serviceName} answered HTTP ${response.status}`, {
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  }
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

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Reads the body up to maxBytes; beyond that → 413 (without buffering the rest). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () =>
    new HttpRefusal(413, `The request body is larger than ${maxBytes} bytes; send a smaller query (use variables, not inlined data).`, 'BAD_REQUEST', {
      connection: 'close',
    });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}

function isJson(contentType: string | undefined): boolean {
  const essence = contentType?.split(';')[0].trim().toLowerCase();
  return essence === 'application/json' || essence === 'application/graphql-response+json';
}

async function parseBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const raw = await readBody(req, maxBytes);
  if (!isJson(req.headers['content-type'])) return undefined; // Apollo explains (content type / CSRF)
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpRefusal(400, 'The request body is not valid JSON: send {"query": "...", "variables": {...}}.', 'BAD_REQUEST');
  }
  if (Array.isArray(body)) {
    throw new HttpRefusal(400, 'Batched requests (a JSON array of operations) are not supported: send one operation per request.', 'BAD_REQUEST');
  }
  return body;
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

/**
 * Starts the gateway: ApolloGateway on a static supergraph behind Apollo Server 5 on node:http.
 * Routes: /graphql (GET, POST), /healthz, /readyz, /metrics.
 */
export async function createGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway');
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...options.limits };
  const maxBodyBytes = options.limits?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const metrics = createMetrics();
  let ready = false;

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger,
    // name is the subgraph's name in the supergraph (join__Graph's name), the same as the ServiceName.
    buildService({ name }) {
      if (!isServiceName(name)) {
        throw new Error(`The supergraph names a subgraph "${name}", which is not one of ${SERVICE_NAMES.join(', ')}`);
      }
      return new AuthenticatedDataSource(name, options.subgraphUrls?.[name] ?? serviceConfig(name).url, logger);
    },
  });

  const httpServer: Server = createServer((req, res) => {
    const incoming = req.headers['x-trace-id'];
    const traceId = typeof incoming === 'string' && TRACE_ID.test(incoming) ? incoming : randomUUID();
    withTrace(traceId, () => {
      handle(req, res, traceId).catch((err: unknown) => {
        logger.error({ err }, 'request failed');
        if (!res.headersSent) send(res, 500, errorBody('Something went wrong on our side; it has been logged. Try again, or contact support.', 'INTERNAL_SERVER_ERROR'));
        else res.destroy();
      });
    });
  });

  const apollo = new ApolloServer<GatewayContext>({
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
    validationRules: [queryLimitsRule(limits)],
    formatError: formatGatewayError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: 5000 }),
      ApolloServerPluginLandingPageDisabled(),
      introspectionGate(),
      observe(metrics),
    ],
  });

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, traceId: string): Promise<void> {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://gateway');
    res.setHeader('x-trace-id', traceId);

    switch (url.pathname) {
      case '/healthz':
        return send(res, 200, JSON.stringify({ status: 'ok' }));
      case '/readyz':
        return ready ? send(res, 200, JSON.stringify({ status: 'ready' })) : send(res, 503, JSON.stringify({ status: 'starting' }));
      case '/metrics':
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(await metrics.registry.metrics());
        return;
      case '/graphql':
        break;
      default:
        return send(res, 404, errorBody(`No route ${url.pathname}: GraphQL is served at /graphql`, 'NOT_FOUND'));
    }

    const stats: RequestStats = { seenByApollo: false, errorCodes: [] };
    let principal: Principal | undefined;
    let status = 500;
    try {
      if (req.method !== 'GET' && req.method !== 'POST') {
        throw new HttpRefusal(405, 'Use POST (or GET for queries) on /graphql.', 'BAD_REQUEST', { allow: 'GET, POST' });
      }
      if (!ready) throw new HttpRefusal(503, 'The gateway is starting; try again in a moment.', 'SERVICE_UNAVAILABLE', { 'retry-after': '1' });
      principal = await authenticate(req);
      const body = req.method === 'POST' ? await parseBody(req, maxBodyBytes) : undefined;

      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const context: GatewayContext = { principal, traceId, stats };
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method, headers, search: url.search, body },
        context: async () => context,
      });
      status = response.status ?? 200;
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = status;
      if (response.body.kind === 'complete') {
        if (!stats.seenByApollo) countRefusal(response.body.string);
        res.end(response.body.string);
      } else {
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (err) {
      if (!(err instanceof HttpRefusal)) throw err;
      status = err.status;
      metrics.requests.inc({ operation_type: 'unknown' });
      metrics.errors.inc({ code: err.code });
      stats.errorCodes.push(err.code);
      send(res, err.status, errorBody(err.message, err.code), err.headers);
    } finally {
      logger.info(
        {
          method: req.method,
          path: url.pathname,
          status,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          userId: principal?.userId,
          role: principal?.role,
          operationType: stats.operationType,
          operationName: stats.operationName ?? undefined,
          errorCodes: stats.errorCodes.length ? stats.errorCodes : undefined,
        },
        'graphql request',
      );
    }

    /** Requests Apollo refused before its plugins ran (CSRF, malformed request): count them too. */
    function countRefusal(text: string) {
      metrics.requests.inc({ operation_type: 'unknown' });
      try {
        for (const e of (JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors ?? []) {
          const code = e.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
          stats.errorCodes.push(code);
          metrics.errors.inc({ code });
        }
      } catch {
        /* not JSON: nothing to count */
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, options.host ?? '0.0.0.0', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  try {
    await apollo.start();
  } catch (err) {
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    httpServer.closeAllConnections();
    throw err;
  }
  ready = true;

  const port = (httpServer.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    metrics,
    stop() {
      ready = false;
      // Apollo stops the gateway and, through the drain plugin, closes the HTTP server.
      stopping ??= apollo.stop();
      return stopping;
    },
  };
}
