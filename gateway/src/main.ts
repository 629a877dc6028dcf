import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDefaultMetrics } from 'prom-client';
import { intSetting, setting } from '@ap/config';
import { createLogger } from '@ap/logger';
import { createGateway } from './server';

/** schemas/supergraph.graphql in the repository; SUPERGRAPH_PATH overrides it. */
const SUPERGRAPH = process.env.SUPERGRAPH_PATH || join(__dirname, '..', '..', 'schemas', 'supergraph.graphql');

async function main(): Promise<void> {
  const logger = createLogger('gateway');
  let supergraphSdl: string;
  try {
    supergraphSdl = readFileSync(SUPERGRAPH, 'utf8');
  } catch {
    logger.fatal({ path: SUPERGRAPH }, 'no supergraph: run `npm run compose` to write schemas/supergraph.graphql');
    process.exitCode = 1;
    return;
  }
  const gateway = await createGateway({
    supergraphSdl,
    port: intSetting('GATEWAY_PORT'),
    host: setting('BIND_HOST', '127.0.0.1'),
    metricsPort: intSetting('GATEWAY_METRICS_PORT'),
    logger,
  });
  collectDefaultMetrics({ register: gateway.metrics.registry });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    gateway.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'failed to stop cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  createLogger('gateway').fatal({ err }, 'gateway failed to start');
  process.exit(1);
});
