import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApolloServer, BaseContext, HTTPGraphQLResponse } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Logger } from '@ap/logger';
import { continueTrace, SpanHandle, traceFromHeaders } from '@ap/tracing';
import { Readiness, readinessReport } from './readiness';
import { HttpRefusal } from './refusal';
import { BODY_LIMITS, BodyLimits } from './body-limits';
import { getRequest, GraphQLRequestText, readJson, refuseForbiddenText } from './request';
import { errorBody, headerMap, sendJson, writeResponse } from './respond';
import { servePage, StaticPage } from './static-page';

/**
 * Serves an Apollo server on plain node:http with the routes every process of ours has:
 * /graphql, /healthz (the process is up) and /readyz (its dependencies answer); /metrics is on a
 * port of its own (metricsPort), so the port clients reach never shows it.
 * The gateway and the subgraphs both run on it, so they behave alike; what only the gateway
 * needs (its own metrics, an access log, Apollo's drain plugin) comes in through the options.
 */
export interface HttpServiceOptions<TContext extends BaseContext> {
  name: string;
  /**
   * The Apollo server, or a function that builds it around the http.Server (which
   * ApolloServerPluginDrainHttpServer needs). Either way it is started here, once the port is bound.
   */
  apollo: ApolloServer<TContext> | ((httpServer: Server) => ApolloServer<TContext>);
  /**
   * Builds the request's context, before the body is read so that strangers cannot make us buffer it.
   * Throw an HttpRefusal to answer with its status, or a GraphQLError: 401 when UNAUTHENTICATED, else 403.
   */
  context(req: IncomingMessage, traceId: string): Promise<TContext>;
  /**
   * Whether the dependencies answer, for /readyz; by default the process is ready once Apollo has
   * started. Either a yes/no, or a check per dependency: /readyz then answers 503 only when a
   * critical one is down, and 200 "degraded" when the service still works without the others.
   */
  ready?(): Promise<boolean | Readiness>;
  logger: Logger;
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The port /metrics is served on (on host, and nowhere else); 0 picks a free port. Default 0. */
  metricsPort?: number;
  /** The body limits by operation; default BODY_LIMITS (./body-limits), the platform's one table. */
  bodyLimits?: BodyLimits;
  /** Replaces bodyLimits' default (the operations' raised allowances stay). */
  maxBodyBytes?: number;
  /** Served at /metrics, with http_requests_total added; by default a new one with the process metrics, labelled with name. */
  registry?: Registry;
  /** Adds the process's own metrics to the registry served at /metrics. */
  registerMetrics?(registry: Registry): void;
  /** Called once each request has been answered (for an access log, or metrics of your own). */
  onRequestDone?(done: RequestDone<TContext>): void;
  /**
   * Checks the GraphQL request (the POST body, or a GET's query, variables and operationName) after
   * this library's own checks and before Apollo parses or validates it: throw an HttpRefusal to refuse.
   */
  checkRequest?(request: GraphQLRequestText): void;
  /**
   * A page to serve, without authentication, for a GET or HEAD before any route (GraphiQL, for a
   * browser's GET of /graphql and for /graphiql): return it, or undefined to go on as usual.
   * `vary` names the request headers the choice depended on (Accept), for caches.
   */
  page?(req: IncomingMessage, url: URL): { page: StaticPage; vary?: string[] } | undefined;
  /**
   * Other routes by path (e.g. a streamed CSV export), each answering the request itself and
   * returning its status. Each authenticates its caller: nothing here does it for them.
   */
  routes?: Readonly<Record<string, HttpRoute>>;
}

/** Answers one request on its own path; throw an HttpRefusal to refuse it with a status. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse, url: URL, traceId: string) => Promise<number>;

export interface RequestDone<TContext> {
  req: IncomingMessage;
  path: string;
  status: number;
  durationMs: number;
  /** /graphql only, once built: the refusals made before it (405, 503, the context's own) have none. */
  context?: TContext;
  /** This library's own error answer (400, 401, 404, 405, 413, 503), given before Apollo saw the request. */
  refusal?: HttpRefusal;
  /** Apollo's answer, when it gave one: the only record of errors it returns before its plugins run (CSRF, malformed requests). */
  response?: HTTPGraphQLResponse;
  /** Answered with options.page, not as a GraphQL request. */
  servedPage?: boolean;
}

export interface RunningHttpService {
  url: string;
  port: number;
  /** Where /metrics is served (its own port). */
  metricsUrl: string;
  /** The /graphql URL. */
  graphqlUrl: string;
  /** Stops Apollo (a drain plugin lets requests in flight finish), then cuts any connection left. */
  stop(): Promise<void>;
}

type State = 'starting' | 'serving' | 'stopping';

const ROUTES = new Set(['/graphql', '/graphiql', '/healthz', '/readyz']);
/** Health probes: no span for them (a load balancer's probes every few seconds would drown the traces). */
const PROBES = new Set(['/healthz', '/readyz']);

export async function startHttpService<TContext extends BaseContext>(options: HttpServiceOptions<TContext>): Promise<RunningHttpService> {
  const { name, logger } = options;
  const base = options.bodyLimits ?? BODY_LIMITS;
  const bodyLimits: BodyLimits = options.maxBodyBytes === undefined ? base : { ...base, default: options.maxBodyBytes };
  const registry = options.registry ?? processRegistry(name);
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time to answer a GraphQL request',
    registers: [registry],
  });
  options.registerMetrics?.(registry);
  let state: State = 'starting';

  const server = createServer((req, res) => {
    // The caller's trace (W3C traceparent, or an x-trace-id that is a trace id) is continued; the
    // trace's id is the one in our logs and answered in x-trace-id.
    const path = (req.url ?? '/').split('?')[0];
    // Span names stay few: the routes we serve by name, any other path as one.
    const route = ROUTES.has(path) ? path : 'other';
    const spanOptions = { service: name, kind: 'server' as const, parent: traceFromHeaders(req.headers), attributes: { 'http.request.method': req.method ?? '', 'url.path': path }, record: !PROBES.has(path) };
    continueTrace(`${req.method} ${route}`, spanOptions, (span) => handle(req, res, span)).catch((err: unknown) => logger.error({ err }, 'request handler crashed'));
  });
  const apollo = typeof options.apollo === 'function' ? options.apollo(server) : options.apollo;

  async function handle(req: IncomingMessage, res: ServerResponse, span: SpanHandle): Promise<void> {
    const { traceId } = span;
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const done: RequestDone<TContext> = { req, path: url.pathname, status: 500, durationMs: 0 };
    res.setHeader('x-trace-id', traceId);
    try {
      done.status = await route(req, res, url, traceId, done);
    } catch (err) {
      if (err instanceof HttpRefusal) done.refusal = err;
      else logger.error({ err }, 'request failed');
      done.status = done.refusal?.status ?? 500;
      if (res.headersSent) res.destroy();
      else if (done.refusal) sendJson(res, done.status, errorBody(done.refusal.message, done.refusal.code, done.refusal.extensions), done.refusal.headers);
      else sendJson(res, 500, errorBody('Something went wrong on our side; it has been logged. Try again, or contact support.', 'INTERNAL_SERVER_ERROR'));
    }
    done.durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    const graphql = done.path === '/graphql' && !done.servedPage;
    requests.inc({ route: graphql ? 'graphql' : done.servedPage ? 'page' : 'other', status: String(done.status) });
    if (graphql) duration.observe(done.durationMs / 1000);
    span.setAttributes({ 'http.response.status_code': done.status });
    if (done.status >= 500) span.fail(`HTTP ${done.status}`);
    options.onRequestDone?.(done);
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, traceId: string, done: RequestDone<TContext>): Promise<number> {
    const page = req.method === 'GET' || req.method === 'HEAD' ? options.page?.(req, url) : undefined;
    if (page) {
      done.servedPage = true;
      return servePage(req, res, page.page, page.vary);
    }
    switch (url.pathname) {
      case '/healthz':
        // The pid lets start-all tell its own process from another one holding the port.
        return sendJson(res, 200, { status: 'ok', service: name, pid: process.pid });
      case '/readyz': {
        const answer = state === 'serving' && options.ready ? await options.ready().catch(() => false) : true;
        const report = readinessReport(name, state, answer);
        return sendJson(res, report.status === 'ready' || report.status === 'degraded' ? 200 : 503, report);
      }
      case '/graphql':
        return serveGraphQL(req, res, url, traceId, done);
      default: {
        const own = options.routes && Object.prototype.hasOwnProperty.call(options.routes, url.pathname) ? options.routes[url.pathname] : undefined;
        if (own) {
          if (state !== 'serving') throw new HttpRefusal(503, `The ${name} is ${state}; try again in a moment.`, 'SERVICE_UNAVAILABLE', { 'retry-after': '1' });
          return own(req, res, url, traceId);
        }
        throw new HttpRefusal(404, `No route ${url.pathname}: GraphQL is served at /graphql`, 'NOT_FOUND');
      }
    }
  }

  async function serveGraphQL(req: IncomingMessage, res: ServerResponse, url: URL, traceId: string, done: RequestDone<TContext>): Promise<number> {
    if (req.method !== 'GET' && req.method !== 'POST') {
      throw new HttpRefusal(405, 'Use POST (or GET for queries) on /graphql.', 'BAD_REQUEST', { allow: 'GET, POST' });
    }
    if (state !== 'serving') throw new HttpRefusal(503, `The ${name} is ${state}; try again in a moment.`, 'SERVICE_UNAVAILABLE', { 'retry-after': '1' });
    const context = await buildContext(req, traceId);
    done.context = context;
    const body = req.method === 'POST' ? await readJson(req, bodyLimits) : undefined;
    const request = req.method === 'POST' ? body : getRequest(url);
    if (request !== null && typeof request === 'object' && !Array.isArray(request)) {
      refuseForbiddenText(request as GraphQLRequestText);
      options.checkRequest?.(request as GraphQLRequestText);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method, headers: headerMap(req), search: url.search, body },
      context: async () => context,
    });
    done.response = response;
    await writeResponse(res, response);
    return res.statusCode;
  }

  async function buildContext(req: IncomingMessage, traceId: string): Promise<TContext> {
    try {
      return await options.context(req, traceId);
    } catch (err) {
      if (!(err instanceof GraphQLError)) throw err;
      const code = err.extensions?.code;
      throw new HttpRefusal(code === 'UNAUTHENTICATED' ? 401 : 403, err.message, typeof code === 'string' ? code : 'FORBIDDEN');
    }
  }

  // Metrics on their own port: an operator's network may reach it, a client of /graphql need not.
  const metricsServer = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics') {
      sendJson(res, 404, errorBody(`No route ${path}: this port serves /metrics only`, 'NOT_FOUND'));
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      },
      (err: unknown) => {
        logger.error({ err }, 'could not collect metrics');
        sendJson(res, 500, errorBody('Could not collect metrics', 'INTERNAL_SERVER_ERROR'));
      },
    );
  });

  const host = options.host ?? '127.0.0.1';
  await listen(server, options.port, host);
  try {
    await listen(metricsServer, options.metricsPort ?? 0, host);
  } catch (err) {
    await close(server);
    throw err;
  }
  // Started after listening: the port is taken (or the clash reported) before a slow start,
  // and /healthz answers meanwhile while /graphql says 503.
  try {
    await apollo.start();
  } catch (err) {
    await close(server);
    await close(metricsServer);
    throw err;
  }
  state = 'serving';

  const { port } = server.address() as AddressInfo;
  // 0.0.0.0 is where we listen, not an address to call.
  const callable = host === '0.0.0.0' ? '127.0.0.1' : host;
  const url = `http://${callable}:${port}`;
  const metricsUrl = `http://${callable}:${(metricsServer.address() as AddressInfo).port}/metrics`;
  logger.info({ url: `${url}/graphql`, metricsUrl }, `${name} listening`);

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    metricsUrl,
    graphqlUrl: `${url}/graphql`,
    stop() {
      state = 'stopping';
      stopping ??= apollo.stop().then(() => Promise.all([close(server), close(metricsServer)])).then(() => undefined);
      return stopping;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A registry for one process's /metrics: every series labelled with the service, and Node's own metrics. */
export function processRegistry(name: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: name });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Resolves once the server is closed, cutting open connections; also when a drain plugin closed it already. */
function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
