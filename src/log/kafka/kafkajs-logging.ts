/**
 * kafkajs' log lines into pino: kafkajs filters by its own level (warn and up), pino by the
 * logger's (silent under vitest), so tests stay quiet and production sees what matters.
 */
import kafkajs, { type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

/** The kafkajs level that passes lines of `level` and above. */
export const KAFKAJS_LOG_LEVEL = kafkajs.logLevel.WARN;

/**
 * Lines we expect and have handled, which would otherwise repeat on every client:
 * - we bound the idempotent producer's retries on purpose (see producer.ts), which kafkajs
 *   warns about each time one is created.
 */
const EXPECTED_WARNINGS = ['Limiting retries for the idempotent producer may invalidate EoS guarantees'];

export function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, ...extra } = log;
      if (EXPECTED_WARNINGS.includes(message)) return;
      const fields = { kafkajs: namespace, ...extra };
      // kafkajs logs every error response ("Response Metadata(key: 3, version: 6)") at error
      // level although the error also reaches the caller, who reports or handles it (asking
      // whether a topic exists is one such call): debug, not error, here.
      const handledByCaller = namespace === 'Connection' && message.startsWith('Response ');
      // A send retried because the coordinator still finishes the previous transaction.
      const expectedRetry = typeof extra.retryCount === 'number' && message.includes('another concurrent operation on the same transaction');
      switch (handledByCaller || expectedRetry ? kafkajs.logLevel.DEBUG : level) {
        case kafkajs.logLevel.ERROR:
          logger.error(fields, message);
          break;
        case kafkajs.logLevel.WARN:
          logger.warn(fields, message);
          break;
        case kafkajs.logLevel.INFO:
          logger.info(fields, message);
          break;
        default:
          logger.debug(fields, message);
      }
    };
}
