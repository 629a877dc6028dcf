import { readFileSync } from 'node:fs';
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
  startConsumer,
  topicFor,
} from '@ap/events';
import { startHttpService } from '@ap/http';
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
    await bus.ensureTopics([topicFor(name)]);
    const relay = new OutboxRelay({ dataSource, bus, logger, intervalMs: options.relayIntervalMs });
    relay.start();
    stops.push(() => relay.stop());

    // Expired idempotency keys are already ignored; this only reclaims their rows.
    const purge = setInterval(() => {
      purgeExpiredIdempotencyKeys(dataSource).catch((err: unknown) => logger.warn({ err }, 'could not purge expired idempotency keys'));
    }, IDEMPOTENCY_PURGE_INTERVAL_MS);
    purge.unref();
    stops.push(async () => clearInterval(purge));

    const consumer = definition.consumer?.(deps);
    if (consumer) {
      const namespace = kafkaNamespace();
      const subscription = await startConsumer({
        dataSource,
        bus,
        logger,
        consumer: name,
        groupId: namespace ? `${namespace}.${name}` : name,
        topics: consumer.from.map((producer) => topicFor(producer)),
        handlers: consumer.handlers,
      });
      stops.push(() => subscription.stop());
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
      ready: () => databaseAnswers(dataSource),
    });
    stops.push(() => http.stop());

    return {
      name,
      url: http.url,
      graphqlUrl: http.graphqlUrl,
      port: http.port,
      metricsUrl: http.metricsUrl,
      dataSource,
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

/** Starts a service from the command line and stops it cleanly on SIGTERM/SIGINT. */
export async function runServiceMain<TContext extends RequestContext>(definition: ServiceDefinition<TContext>): Promise<void> {
  const logger = createLogger(definition.name);
  try {
    const service = await startService(definition, { logger });
    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'stopping');
      await service.stop();
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  } catch (e) {
    logger.fatal({ err: e }, 'could not start');
    process.exit(1);
  }
}
