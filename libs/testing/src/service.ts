import { randomBytes } from 'node:crypto';
import type { RequestContext } from '@ap/auth';
import { RunningService, ServiceDefinition, startService, StartOptions } from '@ap/subgraph';
import { createTestDatabase } from './database';

/**
 * Gives this test file its own Kafka topic namespace (and consumer groups), so that test files
 * sharing one broker never see each other's events. Call before starting services.
 */
export function useKafkaNamespace(): string {
  const namespace = `t${randomBytes(4).toString('hex')}`;
  process.env.KAFKA_NAMESPACE = namespace;
  return namespace;
}

/**
 * Starts a real service on port 0 with its own throwaway database; stop() drops the database.
 * Waits (up to 30 s) for its consumer to join its group, as a test usually publishes at once;
 * `waitForConsumer: false` for a test whose broker is meant to be away.
 */
export async function startTestService<T extends RequestContext>(
  definition: ServiceDefinition<T>,
  { waitForConsumer = true, ...options }: StartOptions & { waitForConsumer?: boolean } = {},
): Promise<RunningService> {
  const db = await createTestDatabase(definition.name);
  try {
    const service = await startService(definition, { port: 0, metricsPort: 0, relayIntervalMs: 50, ...options, databaseUrl: db.url });
    if (waitForConsumer) await service.consuming(30_000);
    return {
      ...service,
      async stop() {
        await service.stop();
        await db.drop();
      },
    };
  } catch (e) {
    await db.drop();
    throw e;
  }
}
