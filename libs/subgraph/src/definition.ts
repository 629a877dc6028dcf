import type { IncomingMessage, ServerResponse } from 'node:http';
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
  /** Work the service repeats on its own (a review, a check); each runs once at start-up, then every intervalMs. */
  jobs?(deps: ServiceDeps): ScheduledJob[];
  /**
   * Plain HTTP GET routes beside /graphql (a streamed export), by path. Each is called with the
   * same context as a GraphQL request, so only the gateway's internal token reaches it.
   */
  routes?(deps: ServiceDeps): Record<string, SubgraphRoute<TContext>>;
}

/** Answers one GET with the caller's context (authenticated already); returns the status it sent. */
export type SubgraphRoute<TContext> = (ctx: TContext, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<number>;

/** A job must be safe to run twice, and in two instances at once: it runs at every start. */
export interface ScheduledJob {
  name: string;
  intervalMs: number;
  run(): Promise<unknown>;
}

export function loadTypeDefs(path: string): DocumentNode {
  return parse(readFileSync(path, 'utf8'));
}
