import { readFileSync } from 'node:fs';
import { IMiddlewareGenerator } from 'graphql-middleware';
import { DataSource, MixedList, EntitySchema } from 'typeorm';
import { DocumentNode, parse } from 'graphql';
import { ServiceName } from '@ap/config';
import { RequestContext } from '@ap/auth';
import { EventHandlers } from '@ap/events';
import { Logger } from '@ap/logger';

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
  /** Scheduled checks, each run every intervalMs (first after one interval); each run must be safe to repeat. */
  jobs?(deps: ServiceDeps): ScheduledJob[];
}

export interface ScheduledJob {
  name: string;
  intervalMs: number;
  run(): Promise<unknown>;
}

export function loadTypeDefs(path: string): DocumentNode {
  return parse(readFileSync(path, 'utf8'));
}
