import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloGateway } from '@apollo/gateway';
import { InternalTokenIssuer } from '@ap/auth';
import { DocumentNode } from 'graphql';
import { serviceConfig, setting, SERVICE_NAMES, ServiceName } from '@ap/config';
import { BODY_LIMITS, HttpRefusal, startHttpService } from '@ap/http';
import { createLogger, Logger } from '@ap/logger';
import { flushTracing, startTracing } from '@ap/tracing';
import { AnonymousLimits, anonymousCallers, anonymousGate } from './anonymous';
import { accessLog } from './access-log';
import { authenticate, idempotencyKey } from './authenticate';
import { coerceBulkVariablesOnceInSubgraph } from './bulk-variables';
import { boundedCache, CACHE_LIMITS } from './cache';
import { GatewayContext } from './context';
import { AuthenticatedDataSource } from './data-source';
import { gatewayErrorFormatter } from './errors';
import { exportRoutes } from './exports';
import { graphiqlRoute } from './graphiql';
import { introspectionGate } from './introspection-gate';
import { checkDocumentShape, DEFAULT_QUERY_LIMITS, LIMIT_CODE, QueryLimits, queryProtection } from './limits';
import { createMetrics, GatewayMetrics } from './metrics';
import { observe } from './observe';
import { operationGate } from './operation-gate';
import { subgraphReadiness } from './readiness';

export type { GatewayContext } from './context';
export { CACHE_LIMITS } from './cache';
export { INTROSPECTION_ROLE } from './introspection-gate';

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
  /** Serve GraphiQL on /graphiql and to browsers on /graphql (see graphiql.ts). Default true. */
  graphiql?: boolean;
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

/**
 * checkDocumentShape parses the query on every request (before Apollo's document cache), a twentieth
 * of the gateway's CPU on a small query: its verdict on a query text is remembered instead, for
 * up to 500 texts of up to 16 kB (the oldest forgotten first; Apollo's caches hold 500 entries too).
 */
function rememberedShapeChecks(limits: QueryLimits): (query: string) => string | undefined {
  const verdicts = new Map<string, string | undefined>();
  return (query) => {
    if (query.length > 16 * 1024) return checkDocumentShape(query, limits);
    if (verdicts.has(query)) return verdicts.get(query);
    const verdict = checkDocumentShape(query, limits);
    if (verdicts.size >= CACHE_LIMITS.maxEntries) verdicts.delete(verdicts.keys().next().value as string);
    verdicts.set(query, verdict);
    return verdict;
  };
}

function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/**
 * Starts the gateway: ApolloGateway on a static supergraph behind Apollo Server 5, served by @ap/http
 * (/graphql, /healthz, /readyz, /metrics) with the gateway's metrics and access log.
 */
export async function createGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway');
  // Spans exported with OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise off.
  startTracing('gateway');
  // @apollo/gateway otherwise reports usage to Apollo and, first, probes cloud metadata addresses
  // (169.254.169.254…) for its resource: no request of ours leaves the machine unasked.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...options.limits };
  const protection = queryProtection(limits);
  const metrics = createMetrics();
  const callerOf = anonymousCallers(options.anonymousLimits);
  const shapeVerdicts = rememberedShapeChecks(limits);
  const subgraphUrls = Object.fromEntries(SERVICE_NAMES.map((name) => [name, options.subgraphUrls?.[name] ?? serviceConfig(name).url])) as Record<ServiceName, string>;

  /** The subgraphs of the supergraph (buildService is called for each when the gateway loads), for /readyz. */
  const composed = new Map<ServiceName, string>();
  const internalTokens = new InternalTokenIssuer();
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
      return new AuthenticatedDataSource(name, subgraphUrls[name], logger, options.subgraphTimeoutMs ?? 10_000, internalTokens);
    },
  });
  coerceBulkVariablesOnceInSubgraph(gateway, Object.keys(BODY_LIMITS.byRootField));

  // The CSV exports call the gateway's own /graphql (the census); its URL is known once it listens.
  let selfGraphqlUrl = '';
  const http = await startHttpService<GatewayContext>({
    name: 'gateway',
    routes: exportRoutes({ outcomesUrl: subgraphUrls.outcomes, selfGraphqlUrl: () => selfGraphqlUrl, logger }),
    port: options.port ?? 0,
    host: options.host ?? setting('BIND_HOST', '127.0.0.1'),
    metricsPort: options.metricsPort ?? 0,
    logger,
    ready: subgraphReadiness(composed),
    // Before Apollo's validation, whose cost grows with the square of repeated fields (see checkDocumentShape).
    checkRequest: ({ query }) => {
      const refusal = typeof query === 'string' ? shapeVerdicts(query) : undefined;
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
    page: options.graphiql === false ? undefined : graphiqlRoute(),
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

  selfGraphqlUrl = http.graphqlUrl;

  return {
    url: http.graphqlUrl,
    port: http.port,
    metricsUrl: http.metricsUrl,
    metrics,
    // Apollo stops the gateway and, through the drain plugin, closes the HTTP server; then the last spans go.
    async stop() {
      await http.stop();
      await flushTracing().catch((err: unknown) => logger.warn({ err }, 'could not export the last spans'));
    },
  };
}
