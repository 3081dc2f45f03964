/**
 * Preprocessed payments as the PAYMENTS_FEATURES query (sql/V000002) writes them — BIGINT key
 * in the KAFKA format, JSON value — for scorer tests and benchmarks that feed the scorer
 * directly instead of through the engine. (The parity test checks the engine's records against
 * what training pulls; this is only a fast stand-in for it.)
 */
import type { ProduceRecord } from '../../src/log/topic-log.js';
import type { Payment } from '../../src/pipeline/synthetic.js';

export function featureRecord(payment: Payment, timestamp = Date.now()): ProduceRecord {
  const key = Buffer.alloc(8);
  key.writeBigInt64BE(BigInt(payment.Id));
  const eventTime = Date.parse(payment.Timestamp);
  const value: Record<string, unknown> = {
    USER_MASKED: `${payment.User[0]}${'x'.repeat(payment.User.length - 1)}`,
    EVENT_TIME: eventTime,
    HOUR_OF_DAY: Math.floor(eventTime / 3_600_000) % 24,
  };
  for (let i = 1; i <= 28; i++) value[`V${i}`] = (payment as unknown as Record<string, number>)[`V${i}`];
  value.AMOUNT = payment.Amount;
  value.LOG_AMOUNT = Math.log(payment.Amount + 1);
  value.LABEL = payment.Class;
  return { key, value: Buffer.from(JSON.stringify(value)), timestamp };
}
