import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from '@ap/config';
import type { Logger } from '@ap/logger';
import { RunningService, ServiceDefinition, startService } from '@ap/subgraph';
import { createTestDatabase, TestDatabase, useKafkaNamespace } from '@ap/testing';
import { directoryService } from '@ap/directory';
import { referralService } from '@ap/referral';
import { placementService } from '@ap/placement';
import { safeguardingService } from '@ap/safeguarding-audit';
import { outcomesService } from '@ap/outcomes';
import { createGateway, RunningGateway } from '../../src';

export interface Stack {
  gateway: RunningGateway;
  services: Record<ServiceName, RunningService>;
  /** Stops one subgraph (its port closes), keeping its database. */
  stopService(name: ServiceName): Promise<void>;
  /** Starts a stopped subgraph again on the same port and database, where the gateway expects it. */
  restartService(name: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

const DEFINITIONS: ServiceDefinition<any>[] = [directoryService, referralService, placementService, safeguardingService, outcomesService];

/**
 * The whole platform in one process, as in production but on port 0: five real subgraphs, each
 * on its own throwaway database, real Kafka (the shared broker, or `brokers`), and the gateway
 * started from the checked-in supergraph.
 */
export async function startStack(options: { brokers?: string[]; logger?: (name: ServiceName | 'gateway') => Logger } = {}): Promise<Stack> {
  useKafkaNamespace();
  const databases = new Map<ServiceName, TestDatabase>();
  const services = {} as Record<ServiceName, RunningService>;
  const stopped = new Set<ServiceName>();
  const start = (definition: ServiceDefinition<any>, port: number) =>
    startService(definition, {
      port,
      metricsPort: 0,
      relayIntervalMs: 50,
      brokers: options.brokers,
      databaseUrl: databases.get(definition.name)!.url,
      logger: options.logger?.(definition.name as ServiceName),
    });
  const stopAll = async () => {
    for (const name of Object.keys(services).reverse() as ServiceName[]) {
      if (!stopped.has(name)) await services[name].stop().catch(() => undefined);
    }
    for (const db of databases.values()) await db.drop().catch(() => undefined);
  };
  try {
    for (const definition of DEFINITIONS) {
      databases.set(definition.name, await createTestDatabase(definition.name));
      services[definition.name as ServiceName] = await start(definition, 0);
    }
    const supergraphSdl = readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'supergraph.graphql'), 'utf8');
    const gateway = await createGateway({
      supergraphSdl,
      port: 0,
      logger: options.logger?.('gateway'),
      subgraphUrls: Object.fromEntries(Object.values(services).map((s) => [s.name, s.graphqlUrl])),
    });
    return {
      gateway,
      services,
      async stopService(name) {
        if (stopped.has(name)) return;
        stopped.add(name);
        await services[name].stop();
      },
      async restartService(name) {
        if (!stopped.has(name)) return;
        const definition = DEFINITIONS.find((d) => d.name === name)!;
        services[name] = await start(definition, services[name].port);
        stopped.delete(name);
      },
      async stop() {
        await gateway.stop();
        await stopAll();
      },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
