import { RequestContext } from '@ap/auth';
import { createLogger } from '@ap/logger';
import { ServiceDefinition } from './definition';
import { startService } from './start';

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
