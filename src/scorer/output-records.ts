/**
 * What the scorer writes: score records (JSON, the scores stream's columns, keyed like the
 * payment and stamped with the payment's timestamp) and dead letters (the original record,
 * untouched, with headers naming the error and where the record came from — Kafka Connect's
 * `__connect.errors.*` headers, which DLQ tooling already understands).
 */
import { serdeFactory } from '../engine/serde/index.js';
import type { Struct, Value } from '../engine/values/value.js';
import type { LogRecord, ProduceRecord, RecordHeader } from '../log/topic-log.js';
import type { PaymentScore } from '../model/bundle.js';
import type { RejectionReason } from './payment-decoder.js';
import { SCORE_COLUMNS } from './scores-schema.js';

const scoreSerde = serdeFactory.valueSerde({ format: 'JSON' }, SCORE_COLUMNS);

export interface ScoreContext {
  readonly threshold: number;
  readonly modelVersion: string;
  readonly scoredAt: number;
}

export function scoreRecord(input: LogRecord, passthrough: readonly Value[], score: PaymentScore, ctx: ScoreContext): ProduceRecord {
  const explanation: Value[] = score.topFeatures.map((f) => ({ FEATURE: f.feature, ERROR: f.error }) as Struct);
  const values: Value[] = [
    ...passthrough,
    score.score,
    ctx.threshold,
    score.alert,
    ctx.modelVersion,
    explanation,
    BigInt(ctx.scoredAt),
  ];
  return { key: input.key, value: scoreSerde.serialize(values), timestamp: input.timestamp };
}

/** Header names, after Kafka Connect's errors.deadletterqueue.context.headers.enable. */
export const DLQ_HEADERS = {
  topic: '__connect.errors.topic',
  partition: '__connect.errors.partition',
  offset: '__connect.errors.offset',
  reason: '__connect.errors.exception.class.name',
  message: '__connect.errors.exception.message',
  stage: '__connect.errors.stage',
  modelVersion: 'ksml.errors.model.version',
} as const;

export function deadLetterRecord(input: LogRecord, reason: RejectionReason, message: string, modelVersion: string): ProduceRecord {
  const header = (key: string, value: string): RecordHeader => ({ key, value: Buffer.from(value) });
  return {
    key: input.key,
    value: input.value,
    timestamp: input.timestamp,
    headers: [
      ...input.headers,
      header(DLQ_HEADERS.topic, input.topic),
      header(DLQ_HEADERS.partition, String(input.partition)),
      header(DLQ_HEADERS.offset, String(input.offset)),
      header(DLQ_HEADERS.reason, reason),
      header(DLQ_HEADERS.message, message),
      header(DLQ_HEADERS.stage, 'SCORE'),
      header(DLQ_HEADERS.modelVersion, modelVersion),
    ],
  };
}
