/**
 * Runs a compiled stream pipeline over raw topic records: deserialize key and value, event
 * time, WHERE, projection. Bad records and failing expressions are reported to the processing
 * log and skipped (or give null), never fatal, like ksqlDB's LogAndContinue handlers.
 */
import type { LogRecord } from '../../log/topic-log.js';
import type { EvalContext } from '../expressions/compiler.js';
import type { FunctionContext, FunctionRegistry } from '../functions/types.js';
import type { DataSource } from '../metastore/types.js';
import type { WindowBounds } from '../serde/types.js';
import type { StreamPipeline } from '../planner/plans.js';
import type { Row, Value } from '../values/value.js';
import { SourceRowDecoder, type ProcessingErrorSink } from './source-decoder.js';

export type { ProcessingErrorSink } from './source-decoder.js';

/** One output row of the pipeline. */
export interface PipelineRow {
  /** Projected values in projection order; null when the input value was null (passed through). */
  readonly values: Value[] | null;
  /** Key values in output key order. */
  readonly key: Value[];
  /** Event time of the input record (the default output timestamp). */
  readonly timestamp: number;
  /** The input key's window, for windowed sources. */
  readonly window?: WindowBounds;
  /**
   * Table sources: the row was deleted or filtered out. `values` is null; `keyValues` holds the
   * projection with only key columns filled, as push queries show deletions.
   */
  readonly tombstone?: boolean;
  readonly keyValues?: Value[];
}

export class StreamProcessor {
  private readonly decoder: SourceRowDecoder;
  private readonly evalCtx: EvalContext;
  /** Table sources have changelog semantics: null value = delete, filtered out = delete. */
  private readonly isTable: boolean;
  /** Projection positions that just copy a source key column (filled in table deletions). */
  private readonly keyCopies: readonly boolean[];
  /** The record being processed, for processing-log entries of failing expressions. */
  private current: LogRecord | undefined;

  constructor(
    readonly source: DataSource,
    readonly pipeline: StreamPipeline,
    fnCtx: FunctionContext,
    functions: FunctionRegistry,
    private readonly onError: ProcessingErrorSink,
    /** ksql.timestamp.throw.on.invalid: an unusable TIMESTAMP column value is fatal. */
    throwOnInvalidTimestamp = false,
  ) {
    this.evalCtx = {
      now: fnCtx.now,
      properties: fnCtx.properties,
      onError: (err) => {
        if (this.current) this.onError(err, this.current, 'expression');
      },
    };
    this.decoder = new SourceRowDecoder(source, pipeline.scope, functions, this.evalCtx, onError, throwOnInvalidTimestamp);
    this.isTable = source.type === 'TABLE';
    this.keyCopies = pipeline.projection.map((p) => {
      const e = p.expression;
      return e.kind === 'ColumnRef' && pipeline.scope.columns.some((c) => c.namespace === 'KEY' && c.name === e.name);
    });
  }

  /** Null when the record is filtered out or skipped. */
  process(record: LogRecord, keepNullValues: boolean): PipelineRow | null {
    this.current = record;
    const decoded = this.decoder.decode(record);
    if (!decoded) return null;
    const { row, timestamp, valueIsNull, window } = decoded;

    const pipeline = this.pipeline;
    if (this.isTable && valueIsNull) return this.tombstone(row, record, timestamp, window);
    if (valueIsNull) {
      // A null value passes a plain projection (keeping its key) but never a WHERE clause.
      if (!keepNullValues || pipeline.filter) return null;
      const key = pipeline.rekeyed
        ? pipeline.keyPositions.map(() => null)
        : pipeline.keyPositions.map((p) => this.evaluate(p, row, record));
      return { values: null, key, timestamp, ...(window ? { window } : {}) };
    }

    if (pipeline.filter) {
      let keep: Value;
      try {
        keep = pipeline.filter.evaluate(row, this.evalCtx);
      } catch (err) {
        this.onError(err, record, 'expression');
        return null;
      }
      if (keep !== true) return this.isTable ? this.tombstone(row, record, timestamp, window) : null;
    }
    const projection = pipeline.projection;
    const values: Value[] = new Array(projection.length);
    for (let i = 0; i < projection.length; i++) values[i] = this.evaluate(i, row, record);
    const key = pipeline.keyPositions.map((p) => values[p]!);
    return { values, key, timestamp, ...(window ? { window } : {}) };
  }

  private tombstone(row: Row, record: LogRecord, timestamp: number, window: WindowBounds | undefined): PipelineRow {
    const keyValues = this.keyCopies.map((isKey, i) => (isKey ? this.evaluate(i, row, record) : null));
    const key = this.pipeline.keyPositions.map((p) => keyValues[p]!);
    return { values: null, key, timestamp, tombstone: true, keyValues, ...(window ? { window } : {}) };
  }

  private evaluate(position: number, row: Row, record: LogRecord): Value {
    try {
      return this.pipeline.projection[position]!.evaluate(row, this.evalCtx);
    } catch (err) {
      this.onError(err, record, 'expression');
      return null;
    }
  }
}
