/**
 * Turns a raw topic record of a source into the runtime row of its scope (key columns, value
 * columns, ROWTIME, ROWPARTITION, ROWOFFSET and, for windowed sources, WINDOWSTART/WINDOWEND),
 * with the record's event time. Shared by every query kind: stateless pipelines project the
 * row, aggregations group it. Bad records are reported to the processing log and skipped,
 * like ksqlDB's LogAndContinue handlers.
 */
import type { LogRecord } from '../../log/topic-log.js';
import type { SourceScope } from '../analyzer/source-scope.js';
import { KsqlError } from '../errors.js';
import type { EvalContext } from '../expressions/compiler.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { DataSource } from '../metastore/types.js';
import type { WindowBounds } from '../serde/types.js';
import { buildSerdes, type SourceSerdes } from '../statements/formats.js';
import type { Row } from '../values/value.js';
import { sourceEventTime, type TimestampConverter } from './event-time.js';

export type ProcessingStage = 'deserialize' | 'timestamp' | 'expression' | 'serialize' | 'group-by';

export interface ProcessingErrorSink {
  (error: unknown, record: LogRecord, stage: ProcessingStage): void;
}

/** One decoded source record. */
export interface DecodedRecord {
  /** The scope row; value columns are null when the value was null. */
  readonly row: Row;
  /** Event time: the record timestamp or the source's TIMESTAMP column. */
  readonly timestamp: number;
  /** True for a null value: a tombstone on tables, a null-valued record on streams. */
  readonly valueIsNull: boolean;
  /** The key's window, for windowed sources. */
  readonly window?: WindowBounds;
}

/** Kafka Streams' wording when a timestamp extractor throws (ksql.timestamp.throw.on.invalid=true). */
function fatalTimestampError(record: LogRecord, cause: unknown): KsqlError {
  return new KsqlError(
    `Fatal user code error in TimestampExtractor callback for record ${record.topic}-${record.partition}@${record.offset}.`,
    { category: 'runtime', cause },
  );
}

export class SourceRowDecoder {
  private readonly serdes: SourceSerdes;
  private readonly eventTime: { index: number; convert: TimestampConverter } | undefined;
  private readonly width: number;
  private readonly keyCount: number;
  private readonly valueCount: number;
  /** Table sources need a key: records without one are dropped, as Kafka Streams' KTable source does. */
  private readonly requiresKey: boolean;

  constructor(
    readonly source: DataSource,
    private readonly scope: SourceScope,
    functions: FunctionRegistry,
    evalCtx: EvalContext,
    private readonly onError: ProcessingErrorSink,
    /** ksql.timestamp.throw.on.invalid: an unusable TIMESTAMP column value is fatal. */
    private readonly throwOnInvalidTimestamp = false,
  ) {
    this.serdes = buildSerdes(source.schema, { keyFormat: source.keyFormat, valueFormat: source.valueFormat }, source.window);
    this.eventTime = sourceEventTime(scope, source.timestampColumn, functions, evalCtx);
    this.width = scope.columns.length;
    this.keyCount = scope.keyCount;
    this.valueCount = scope.valueCount;
    this.requiresKey = source.type === 'TABLE';
  }

  /** The decoded record, or null when it is skipped (no key on a table, bad bytes, bad timestamp). */
  decode(record: LogRecord): DecodedRecord | null {
    if (this.requiresKey && record.key === null) return null;
    const row: Row = new Array(this.width);
    let valueIsNull = false;
    let window: WindowBounds | undefined;
    try {
      const deserialized = this.serdes.key.deserialize(record.key);
      const key = deserialized.values;
      window = deserialized.window;
      for (let i = 0; i < this.keyCount; i++) row[i] = key[i] ?? null;
      const value = this.serdes.value.deserialize(record.value);
      if (value === null) {
        valueIsNull = true;
        for (let i = 0; i < this.valueCount; i++) row[this.keyCount + i] = null;
      } else {
        for (let i = 0; i < this.valueCount; i++) row[this.keyCount + i] = value[i] ?? null;
      }
    } catch (err) {
      this.onError(err, record, 'deserialize');
      return null;
    }

    let timestamp = record.timestamp;
    if (this.eventTime && !valueIsNull) {
      let extracted: number | undefined;
      try {
        extracted = this.eventTime.convert(row[this.eventTime.index] ?? null);
      } catch (err) {
        if (this.throwOnInvalidTimestamp) throw fatalTimestampError(record, err);
        this.onError(err, record, 'timestamp');
        return null;
      }
      if (extracted === undefined || extracted < 0) {
        const err = new Error(`Invalid timestamp for record at offset ${record.offset}: ${String(extracted)}`);
        if (this.throwOnInvalidTimestamp) throw fatalTimestampError(record, err);
        this.onError(err, record, 'timestamp');
        return null;
      }
      timestamp = extracted;
    }
    const scope = this.scope;
    row[scope.rowtimeIndex] = BigInt(timestamp);
    row[scope.rowPartitionIndex] = record.partition;
    row[scope.rowOffsetIndex] = BigInt(record.offset);
    if (scope.windowStartIndex >= 0) {
      row[scope.windowStartIndex] = window ? BigInt(window.start) : null;
      row[scope.windowEndIndex] = window ? BigInt(window.end) : null;
    }
    return { row, timestamp, valueIsNull, ...(window ? { window } : {}) };
  }
}
