import { setTimeout as sleep } from 'node:timers/promises';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema, GraphQLResolverMap } from '@apollo/subgraph';
import { applyMiddleware } from 'graphql-middleware';
import { Counter } from 'prom-client';
import { DataSource, MixedList } from 'typeorm';
import { intSetting, kafkaNamespace, serviceConfig, ServiceName, setting } from '@ap/config';
import { contextFromRequest, RequestContext } from '@ap/auth';
import { CreateIdempotencyKeyTable1700000000001, openDatabase, purgeExpiredIdempotencyKeys, statementsSent } from '@ap/db';
import { maskError } from '@ap/errors';
import {
  consumedEventsCounter,
  CreateEventTables1700000000000,
  eventEntities,
  EventBus,
  KafkaEventBus,
  OutboxRelay,
  launchConsumer,
  registerEventMetrics,
  RunningConsumer,
  topicFor,
} from '@ap/events';
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { HttpRefusal, HttpRoute, processRegistry, startHttpService, statusOfCode } from '@ap/http';
import { createLogger, Logger } from '@ap/logger';
import { flushTracing, startTracing, toTraceId } from '@ap/tracing';
import { ScheduledJob, ServiceDefinition, ServiceDeps } from './definition';
import { readiness } from './readiness';

export interface StartOptions {
  /** 0 picks a free port (tests). Defaults to the service's configured port. */
  port?: number;
  /** The port of /metrics; 0 picks a free port (tests). Defaults to the service's configured metrics port. */
  metricsPort?: number;
  databaseUrl?: string;
  /** A bus to use instead of Kafka from the configuration (tests may pass one for a private broker). */
  bus?: EventBus;
  brokers?: string[];
  relayIntervalMs?: number;
  logger?: Logger;
  /** The consumer group (default: the namespace's group of the service); a new one replays the topics from the beginning. */
  consumerGroup?: string;
}

export interface RunningService {
  name: ServiceName;
  url: string;
  graphqlUrl: string;
  port: number;
  metricsUrl: string;
  dataSource: DataSource;
  /**
   * Resolves true once the service's consumer (if it has one) has joined its group, false if it
   * has not within timeoutMs. Start-up does not wait for it; tests that publish at once may.
   */
  consuming(timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
}

const IDEMPOTENCY_PURGE_INTERVAL_MS = 60 * 60 * 1000;

export async function startService<TContext extends RequestContext>(
  definition: ServiceDefinition<TContext>,
  options: StartOptions = {},
): Promise<RunningService> {
  const { name } = definition;
  const config = serviceConfig(name);
  const logger = options.logger ?? createLogger(name);
  // Spans exported with OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise off.
  startTracing(name);
  const dataSource = await openDatabase({
    url: options.databaseUrl ?? config.databaseUrl,
    entities: [...(definition.entities as unknown[]), ...eventEntities] as MixedList<Function>,
    migrations: [CreateEventTables1700000000000, CreateIdempotencyKeyTable1700000000001, ...(definition.migrations as unknown[])] as MixedList<Function>,
    applicationName: name,
    // Connections per service (infra/stack.env); five services share one PostgreSQL server.
    poolSize: intSetting('DATABASE_POOL_SIZE', 5),
  });
  const deps: ServiceDeps = { name, dataSource, logger };
  const ownsBus = !options.bus;
  const bus = options.bus ?? new KafkaEventBus({ clientId: name, brokers: options.brokers, logger });
  const stops: (() => Promise<void>)[] = [];

  try {
    // Nothing here waits for Kafka: the relay and the consumer connect (and reconnect) in the
    // background with back-off, so the service serves reads and takes writes (into its outbox)
    // while Kafka is down, slow or still electing leaders; /readyz says what is degraded.
    const relay = new OutboxRelay({ dataSource, bus, logger, intervalMs: options.relayIntervalMs });
    relay.start();
    stops.push(() => relay.stop());

    // Every service's own jobs, and one of all: expired idempotency keys are already ignored, this reclaims their rows.
    const purge: ScheduledJob = { name: 'idempotency-key purge', intervalMs: IDEMPOTENCY_PURGE_INTERVAL_MS, run: () => purgeExpiredIdempotencyKeys(dataSource) };
    for (const job of [purge, ...(definition.jobs?.(deps) ?? [])]) stops.push(scheduleJob(job, logger));

    // /metrics: requests (by @ap/http), GraphQL errors by code, the outbox backlog, the consumer's lag and dead letters.
    const registry = processRegistry(name);
    const graphqlErrors = new Counter({ name: 'graphql_errors_total', help: 'GraphQL errors answered, by code', labelNames: ['code'], registers: [registry] });

    const consumerDefinition = definition.consumer?.(deps);
    let consumer: RunningConsumer | undefined;
    let consumed: { groupId: string; topics: string[] } | undefined;
    if (consumerDefinition) {
      const namespace = kafkaNamespace();
      consumed = { groupId: options.consumerGroup ?? (namespace ? `${namespace}.${name}` : name), topics: consumerDefinition.from.map((producer) => topicFor(producer)) };
      consumer = launchConsumer({
        dataSource,
        bus,
        logger,
        consumer: name,
        groupId: consumed.groupId,
        topics: consumed.topics,
        handlers: consumerDefinition.handlers,
        consumed: consumedEventsCounter(registry),
      });
      const running = consumer;
      stops.push(() => running.stop());
    }
    registerEventMetrics({ registry, dataSource, bus, consumer: consumed });

    const schema = applyMiddleware(
      buildSubgraphSchema([{ typeDefs: definition.typeDefs, resolvers: definition.resolvers as GraphQLResolverMap<unknown> }]),
      definition.permissions,
    );
    const apollo = new ApolloServer<TContext>({
      schema,
      // Subgraphs are reached only by the gateway, which composes from a checked-in supergraph.
      introspection: false,
      csrfPrevention: true,
      includeStacktraceInErrorResponses: false,
      // runServiceMain stops everything on SIGTERM/SIGINT in order; Apollo's own handler would
      // stop the server underneath it and leave the shutdown hanging.
      stopOnTerminationSignals: false,
      // No Apollo Studio here: traces would only add weight to every response.
      // Nor cache hints: Apollo's default cache-control plugin wraps every field resolver to compute
      // a policy that is always "no-store" here (no @cacheControl hints, maxAge 0), and that wrapper
      // took 3-6 % of a subgraph's CPU under the 50-pupil list. The header is set as it was.
      plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), noStore],
      formatError: (formatted, error) => {
        const masked = maskError(formatted, error);
        graphqlErrors.inc({ code: String(masked.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
        if (masked.extensions?.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error }, 'resolver failed');
        return masked;
      },
    });
    const contextOf = async (req: IncomingMessage, traceId: string) => {
      const base = await contextFromRequest(req.headers, name);
      // The trace id the gateway signed into the internal token or sent as x-trace-id (the same as its
      // traceparent's), in the W3C form, else the one this request's logs carry.
      return definition.context({ ...base, traceId: toTraceId(base.traceId) ?? traceId }, deps);
    };
    const routes: Record<string, HttpRoute> = {};
    for (const [path, handler] of Object.entries(definition.routes?.(deps) ?? {})) {
      routes[path] = async (req, res, url, traceId) => {
        if (req.method !== 'GET') throw new HttpRefusal(405, `Use GET on ${path}.`, 'BAD_REQUEST', { allow: 'GET' });
        let ctx: TContext;
        try {
          ctx = await contextOf(req, traceId);
        } catch (err) {
          // The same refusal as /graphql gives a request that did not come through the gateway.
          if (err instanceof GraphQLError) throw new HttpRefusal(401, err.message, 'UNAUTHENTICATED');
          throw err;
        }
        try {
          return await handler(ctx, req, res, url);
        } catch (err) {
          // A use case's refusal (BAD_USER_INPUT, FORBIDDEN …) before anything was sent: its status and message.
          if (err instanceof GraphQLError && statusOfCode(err.extensions?.code) < 500) {
            const { code, ...extensions } = err.extensions ?? {};
            throw new HttpRefusal(statusOfCode(code), err.message, String(code), {}, extensions);
          }
          throw err;
        }
      };
    }
    const http = await startHttpService<TContext>({
      routes,
      name,
      apollo,
      logger,
      port: options.port ?? config.port,
      metricsPort: options.metricsPort ?? config.metricsPort,
      registry,
      // Loopback unless told otherwise: in a container BIND_HOST=0.0.0.0 lets the gateway reach it.
      host: setting('BIND_HOST', '127.0.0.1'),
      context: contextOf,
      registerMetrics: (registry) =>
        new Counter({
          name: 'db_statements_total',
          help: 'SQL statements sent to the database: scope "traced" inside a request or an applied event, "background" for the relay, jobs and the rest',
          labelNames: ['scope'],
          registers: [registry],
          collect() {
            const sent = statementsSent(dataSource);
            this.reset();
            this.inc({ scope: 'traced' }, sent.traced);
            this.inc({ scope: 'background' }, sent.background);
          },
        }),
      ready: () => readiness(dataSource, bus, relay, consumer),
      // One line per GraphQL request, in its trace: the gateway's access log line and each subgraph's share the trace id.
      onRequestDone: ({ req, path, status, durationMs, context }) => {
        if (path !== '/graphql') return;
        logger.info({ method: req.method, path, status, durationMs, role: context?.principal?.role, userId: context?.principal?.userId }, 'graphql request served');
      },
    });
    stops.push(() => http.stop());

    return {
      name,
      url: http.url,
      graphqlUrl: http.graphqlUrl,
      port: http.port,
      metricsUrl: http.metricsUrl,
      dataSource,
      async consuming(timeoutMs = 30_000) {
        const deadline = Date.now() + timeoutMs;
        while (consumer && consumer.state() !== 'consuming') {
          if (Date.now() > deadline) return false;
          await sleep(100);
        }
        return true;
      },
      async stop() {
        for (const stop of stops.reverse()) await stop();
        if (ownsBus) await bus.close();
        await dataSource.destroy();
        // The last requests' and events' spans, before the process goes.
        await flushTracing().catch((err: unknown) => logger.warn({ err }, 'could not export the last spans'));
      },
    };
  } catch (e) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    if (ownsBus) await bus.close().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    throw e;
  }
}

/** Every answer uncacheable, as Apollo's cache-control plugin said of each without hints (the gateway reads it). */
const noStore: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/** Runs a job now (in the background: start-up does not wait for it) and then every intervalMs; a tick while a run is under way is skipped, and stopping waits for that run. */
function scheduleJob(job: ScheduledJob, logger: Logger): () => Promise<void> {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped || running) return;
    running = job
      .run()
      .then(() => undefined)
      .catch((err: unknown) => logger.warn({ err, job: job.name }, 'scheduled job failed; it runs again at its next interval'))
      .finally(() => {
        running = undefined;
      });
  };
  tick();
  const timer = setInterval(tick, job.intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
