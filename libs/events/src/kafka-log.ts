import { logLevel, LogEntry } from 'kafkajs';
import type { Logger } from '@ap/logger';

const LEVELS: Record<string, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

/**
 * KafkaJS is chatty (every reconnect and rebalance is a warning), so only its errors are kept
 * unless KAFKA_LOG_LEVEL asks for more.
 */
export function kafkaLogLevel(): logLevel {
  return LEVELS[(process.env.KAFKA_LOG_LEVEL ?? 'error').toLowerCase()] ?? logLevel.ERROR;
}

/** Sends KafkaJS's log lines through pino, so they are JSON and carry the trace id. */
export function pinoLogCreator(logger: Logger) {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
      const fields = { kafka: namespace, ...extra };
      if (level === logLevel.ERROR) logger.error(fields, message);
      else if (level === logLevel.WARN) logger.warn(fields, message);
      else if (level === logLevel.INFO) logger.info(fields, message);
      else logger.debug(fields, message);
    };
}
