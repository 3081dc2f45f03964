/**
 * Turns output rows of a persistent query into records of its sink topic: the sink's key and
 * value formats (windowed keys included), and the record timestamp, which is the row's own
 * unless the sink has a TIMESTAMP column (WITH (TIMESTAMP='col')).
 */
import type { LogRecord, ProduceRecord } from '../../log/topic-log.js';
import type { FunctionContext, FunctionRegistry } from '../functions/types.js';
import type { PersistentQueryPlan } from '../planner/plans.js';
import type { WindowBounds } from '../serde/types.js';
import { buildSerdes, type SourceSerdes } from '../statements/formats.js';
import type { Value } from '../values/value.js';
import { timestampConverter, type TimestampConverter } from './event-time.js';
import type { ProcessingErrorSink } from './source-decoder.js';

export interface SinkRow {
  readonly key: readonly Value[];
  readonly window?: WindowBounds;
  /** Sink value columns, or null for a tombstone. */
  readonly values: readonly Value[] | null;
  readonly timestamp: number;
}

export class SinkWriter {
  readonly serdes: SourceSerdes;
  private readonly sinkTimestamp: { convert: TimestampConverter; namespace: 'KEY' | 'VALUE'; position: number } | undefined;

  constructor(
    plan: PersistentQueryPlan,
    functions: FunctionRegistry,
    fnCtx: FunctionContext,
    private readonly onError: ProcessingErrorSink,
  ) {
    this.serdes = buildSerdes(plan.sink.schema, { keyFormat: plan.sink.keyFormat, valueFormat: plan.sink.valueFormat }, plan.sink.window);
    const ts = plan.sinkTimestamp;
    this.sinkTimestamp = ts
      ? { convert: timestampConverter(ts.type, ts.format, functions, fnCtx), namespace: ts.namespace, position: ts.position }
      : undefined;
  }

  /** The sink record for a row, or null when it cannot be written (logged against `cause`). */
  record(row: SinkRow, cause: LogRecord, partition?: number): ProduceRecord | null {
    let timestamp = row.timestamp;
    const valueOut = row.values;
    if (this.sinkTimestamp && valueOut !== null) {
      const ts = this.sinkTimestamp;
      const raw = ts.namespace === 'KEY' ? row.key[ts.position] : valueOut[ts.position];
      let converted: number | undefined;
      try {
        converted = ts.convert(raw ?? null);
      } catch (err) {
        this.onError(err, cause, 'timestamp');
        return null;
      }
      if (converted === undefined || converted < 0) {
        this.onError(new Error(`Invalid sink timestamp: ${String(raw)}`), cause, 'timestamp');
        return null;
      }
      timestamp = converted;
    }
    let key: Buffer | null;
    let value: Buffer | null;
    try {
      key = this.serdes.key.serialize(row.key, row.window);
      value = this.serdes.value.serialize(valueOut);
    } catch (err) {
      this.onError(err, cause, 'serialize');
      return null;
    }
    return partition === undefined ? { key, value, timestamp } : { key, value, timestamp, partition };
  }
}
