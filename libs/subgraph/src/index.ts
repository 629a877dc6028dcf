import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema, GraphQLResolverMap } from '@apollo/subgraph';
import { applyMiddleware, IMiddlewareGenerator } from 'graphql-middleware';
import { DataSource, MixedList, EntitySchema } from 'typeorm';
import { DocumentNode, parse } from 'graphql';
import { kafkaNamespace, serviceConfig, ServiceName, setting } from '@ap/config';
import { contextFromRequest, RequestContext } from '@ap/auth';
import { CreateIdempotencyKeyTable1700000000001, databaseAnswers, openDatabase, purgeExpiredIdempotencyKeys } from '@ap/db';
import { maskError } from '@ap/errors';
import {
  CreateEventTables1700000000000,
  eventEntities,
  EventBus,
  EventHandlers,
  KafkaEventBus,
  OutboxRelay,
  launchConsumer,
  RunningConsumer,
  topicFor,
} from '@ap/events';
import { Readiness, startHttpService } from '@ap/http';
import { createLogger, Logger } from '@ap/logger';

/** What a service's resolvers and consumers are given. */
export interface ServiceDeps {
  name: ServiceName;
  dataSource: DataSource;
  logger: Logger;
}

/** The events a service consumes: the producers it listens to and a handler per event type. */
export interface ConsumerDefinition {
  from: ServiceName[];
  handlers: EventHandlers;
}

/**
 * Everything that makes one subgraph. Each service declares one of these in src/server.ts;
 * the wiring (database, migrations, outbox relay, consumers, HTTP, auth, shield) is the same for all.
 */
export interface ServiceDefinition<TContext extends RequestContext> {
  name: ServiceName;
  typeDefs: DocumentNode;
  /**
   * The service's resolver map, typed where it is written by the `CompleteResolvers` generated from its
   * SDL (src/__generated__/resolvers-types.ts); federation's __resolveReference does not fit GraphQLResolverMap.
   */
  resolvers: object;
  permissions: IMiddlewareGenerator<unknown, TContext, unknown>;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  /** Adds the service's own fields (data access, loaders) to the authenticated request context. */
  context(base: RequestContext, deps: ServiceDeps): TContext;
  consumer?(deps: ServiceDeps): ConsumerDefinition;
  /** Scheduled work started with the service (after its migrations); returns how to stop it. */
  background?(deps: ServiceDeps): () => void;
}

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

export function loadTypeDefs(path: string): DocumentNode {
  return parse(readFileSync(path, 'utf8'));
}

export async function startService<TContext extends RequestContext>(
  definition: ServiceDefinition<TContext>,
  options: StartOptions = {},
): Promise<RunningService> {
  const { name } = definition;
  const config = serviceConfig(name);
  const logger = options.logger ?? createLogger(name);
  const dataSource = await openDatabase({
    url: options.databaseUrl ?? config.databaseUrl,
    entities: [...(definition.entities as unknown[]), ...eventEntities] as MixedList<Function>,
    migrations: [CreateEventTables1700000000000, CreateIdempotencyKeyTable1700000000001, ...(definition.migrations as unknown[])] as MixedList<Function>,
    applicationName: name,
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

    // Expired idempotency keys are already ignored; this only reclaims their rows.
    const purge = setInterval(() => {
      purgeExpiredIdempotencyKeys(dataSource).catch((err: unknown) => logger.warn({ err }, 'could not purge expired idempotency keys'));
    }, IDEMPOTENCY_PURGE_INTERVAL_MS);
    purge.unref();
    stops.push(async () => clearInterval(purge));

    const stopBackground = definition.background?.(deps);
    if (stopBackground) stops.push(async () => stopBackground());

    const consumerDefinition = definition.consumer?.(deps);
    let consumer: RunningConsumer | undefined;
    if (consumerDefinition) {
      const namespace = kafkaNamespace();
      consumer = launchConsumer({
        dataSource,
        bus,
        logger,
        consumer: name,
        groupId: namespace ? `${namespace}.${name}` : name,
        topics: consumerDefinition.from.map((producer) => topicFor(producer)),
        handlers: consumerDefinition.handlers,
      });
      const running = consumer;
      stops.push(() => running.stop());
    }

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
      plugins: [ApolloServerPluginInlineTraceDisabled()],
      formatError: (formatted, error) => {
        const masked = maskError(formatted, error);
        if (masked.extensions?.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error }, 'resolver failed');
        return masked;
      },
    });
    const http = await startHttpService<TContext>({
      name,
      apollo,
      logger,
      port: options.port ?? config.port,
      metricsPort: options.metricsPort ?? config.metricsPort,
      // Loopback unless told otherwise: in a container BIND_HOST=0.0.0.0 lets the gateway reach it.
      host: setting('BIND_HOST', '127.0.0.1'),
      context: async (req, traceId) => {
        const base = await contextFromRequest(req.headers, name);
        return definition.context({ ...base, traceId: base.traceId || traceId }, deps);
      },
      ready: () => readiness(dataSource, bus, relay, consumer),
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
      },
    };
  } catch (e) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    if (ownsBus) await bus.close().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    throw e;
  }
}

/**
 * The database is critical (without it nothing works: 503); Kafka, the outbox relay and the
 * consumer are not (reads and writes still work, events wait: 200 "degraded").
 */
async function readiness(dataSource: DataSource, bus: EventBus, relay: OutboxRelay, consumer?: RunningConsumer): Promise<Readiness> {
  const [database, broker, pending] = await Promise.all([
    databaseAnswers(dataSource).catch(() => false),
    bus.probe?.(),
    relay.pending().catch(() => undefined),
  ]);
  const checks: Readiness = { database: { status: database ? 'up' : 'down' } };
  if (broker) checks.kafka = { status: broker.up ? 'up' : 'down', critical: false, ...(broker.error && { detail: broker.error }) };
  const relaying = relay.health();
  checks.outbox = {
    status: relaying.failing ? 'down' : 'up',
    critical: false,
    pending,
    ...(relaying.failing && { detail: `cannot publish (${relaying.failuresInARow} tries in a row): ${relaying.lastError}; the events wait` }),
  };
  if (consumer) {
    const state = consumer.state();
    const problem = consumer.lastError();
    checks.consumer = { status: state === 'consuming' ? 'up' : 'down', critical: false, state, ...(problem && { detail: problem }) };
  }
  return checks;
}

/** Starts a service from the command line and stops it cleanly on SIGTERM/SIGINT. */
export async function runServiceMain<TContext extends RequestContext>(definition: ServiceDefinition<TContext>): Promise<void> {
  const logger = createLogger(definition.name);
  try {
    const service = await startService(definition, { logger });
    let stopping = false;
    // `on`, not `once`: stop-all signals the whole process group, so a second signal may follow,
    // and with no listener left Node would die at once instead of finishing the batch in hand.
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      service.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'failed to stop cleanly');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  } catch (e) {
    logger.fatal({ err: e }, 'could not start');
    process.exit(1);
  }
}
