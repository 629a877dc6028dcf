import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from '@ap/config';
import type { RunningService } from '@ap/subgraph';
import { startTestService, useKafkaNamespace } from '@ap/testing';
import { directoryService } from '@ap/directory';
import { referralService } from '@ap/referral';
import { placementService } from '@ap/placement';
import { safeguardingService } from '@ap/safeguarding-audit';
import { outcomesService } from '@ap/outcomes';
import { createGateway, RunningGateway } from '../../src';

export interface Stack {
  gateway: RunningGateway;
  services: Record<ServiceName, RunningService>;
  stop(): Promise<void>;
}

/**
 * The whole platform in one process, as in production but on port 0: five real subgraphs, each
 * on its own throwaway database, real Kafka (the shared broker, or `brokers`), and the gateway
 * started from the checked-in supergraph.
 */
export async function startStack(options: { brokers?: string[] } = {}): Promise<Stack> {
  useKafkaNamespace();
  const definitions = [directoryService, referralService, placementService, safeguardingService, outcomesService];
  const started: RunningService[] = [];
  try {
    for (const definition of definitions) started.push(await startTestService(definition as never, { brokers: options.brokers }));
    const services = Object.fromEntries(started.map((s) => [s.name, s])) as Record<ServiceName, RunningService>;
    const supergraphSdl = readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'supergraph.graphql'), 'utf8');
    const gateway = await createGateway({
      supergraphSdl,
      port: 0,
      subgraphUrls: Object.fromEntries(started.map((s) => [s.name, s.graphqlUrl])),
    });
    return {
      gateway,
      services,
      async stop() {
        await gateway.stop();
        for (const s of started.reverse()) await s.stop();
      },
    };
  } catch (e) {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    throw e;
  }
}
