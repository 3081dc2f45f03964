/**
 * The per-record work of a stream-table join, with Kafka Streams' KStream-KTable join
 * semantics as ksqlDB 0.29 runs it:
 *
 * - a record of the table's topic updates the materialized table (a tombstone deletes its key)
 *   and produces no output;
 * - a record of the stream is joined with the table as it is at that moment: a stream record
 *   with a null value or a null join key is dropped (INNER and LEFT alike); an INNER join drops
 *   it when the table has no row for the key, a LEFT join fills the table's columns with nulls;
 *   WHERE then applies to the joined row; the output keeps the stream record's timestamp.
 *
 * Keys meet as bytes in the join's key format, as Kafka Streams' state stores compare them:
 * the stream's key format when the stream is keyed by its join column already, otherwise the
 * table's (ksqlDB re-keys the side whose format differs into that format). Both sides' keys are
 * serialized from their values, as ksqlDB's materialized table and its repartition write them.
 *
 * The caller feeds both topics' records in timestamp order (./timestamp-ordered-reader.ts).
 */
import { partitionForKey } from '../../log/partitioner.js';
import type { LogRecord } from '../../log/topic-log.js';
import type { EvalContext } from '../expressions/compiler.js';
import type { FunctionContext, FunctionRegistry } from '../functions/types.js';
import type { StreamTableJoinPipeline } from '../planner/join-plan.js';
import { serdeFactory } from '../serde/index.js';
import type { KeySerde } from '../serde/types.js';
import type { Value } from '../values/value.js';
import { SourceRowDecoder, type DecodedRecord, type ProcessingErrorSink } from './source-decoder.js';
import { TableMaterialization } from './table-materialization.js';

export interface JoinOutputRow {
  /** Output key values, in key order. */
  readonly key: Value[];
  /** Projected values, in projection order. */
  readonly values: Value[];
  /** The stream record's event time. */
  readonly timestamp: number;
}

/** A decode that failed fatally (ksql.timestamp.throw.on.invalid): rethrown when the record is processed. */
interface FatalDecode {
  readonly fatal: unknown;
}

type Decoded = DecodedRecord | null | FatalDecode;

export interface JoinProcessorOptions {
  readonly pipeline: StreamTableJoinPipeline;
  readonly functions: FunctionRegistry;
  readonly fnCtx: FunctionContext;
  readonly onError: ProcessingErrorSink;
  readonly throwOnInvalidTimestamp?: boolean;
}

export class StreamTableJoinProcessor {
  readonly table = new TableMaterialization();
  private readonly pipeline: StreamTableJoinPipeline;
  private readonly streamDecoder: SourceRowDecoder;
  private readonly tableDecoder: SourceRowDecoder;
  private readonly evalCtx: EvalContext;
  /** Rows decoded to order a record (by a TIMESTAMP column), kept until it is processed. */
  private readonly decoded = new WeakMap<LogRecord, Decoded>();
  /** Serializes a join key into the bytes both sides meet as. */
  private readonly joinKeySerde: KeySerde;
  /** The stream's key column in its row, when the stream is keyed by the join column. */
  private readonly streamKeyIndex: number;
  private readonly tableKeyIndex: number;
  private readonly tableTopic: string;
  private readonly tableWidth: number;
  private readonly onError: ProcessingErrorSink;
  private current: LogRecord | undefined;

  constructor(opts: JoinProcessorOptions) {
    const pipeline = opts.pipeline;
    this.pipeline = pipeline;
    this.onError = opts.onError;
    this.evalCtx = {
      now: opts.fnCtx.now,
      properties: opts.fnCtx.properties,
      onError: (err) => {
        if (this.current) this.onError(err, this.current, 'expression');
      },
    };
    const { stream, table } = pipeline;
    this.streamDecoder = new SourceRowDecoder(stream.source, stream.scope, opts.functions, this.evalCtx, opts.onError, opts.throwOnInvalidTimestamp);
    this.tableDecoder = new SourceRowDecoder(table.source, table.scope, opts.functions, this.evalCtx, opts.onError, opts.throwOnInvalidTimestamp);
    const tableKey = table.source.schema.columns.find((c) => c.namespace === 'KEY')!;
    const joinKeyFormat = pipeline.streamKey ? table.source.keyFormat : stream.source.keyFormat;
    this.joinKeySerde = serdeFactory.keySerde(joinKeyFormat, [tableKey]);
    this.streamKeyIndex = stream.scope.columns.findIndex((c) => c.namespace === 'KEY');
    this.tableKeyIndex = table.scope.columns.findIndex((c) => c.namespace === 'KEY');
    this.tableTopic = table.source.topic;
    this.tableWidth = table.scope.columns.length;
  }

  /**
   * The event time a record is ordered by: its timestamp, or its source's TIMESTAMP column (the
   * row is decoded once and kept for `process`). Never throws.
   */
  timestampOf = (record: LogRecord): number => {
    const side = record.topic === this.tableTopic ? this.pipeline.table : this.pipeline.stream;
    if (!side.source.timestampColumn) return record.timestamp;
    const decoded = this.decode(record);
    return decoded !== null && !('fatal' in decoded) ? decoded.timestamp : record.timestamp;
  };

  /** Restores the table from a record of its topic that was processed before a restart. */
  restore(record: LogRecord): void {
    this.applyToTable(record);
  }

  /** A table record updates the table (no output); a stream record is joined (its output row, or null when dropped). */
  process(record: LogRecord): JoinOutputRow | null {
    const match = this.match(record);
    if (!match) return null;
    const { joinKey, joined, decoded } = match;
    const pipeline = this.pipeline;
    if (pipeline.filter && pipeline.filter.evaluate(joined, this.evalCtx) !== true) return null;
    const values = pipeline.projection.map((p) => p.evaluate(joined, this.evalCtx));
    let key: Value[];
    if (pipeline.keySource === 'join') {
      // The key columns carry the join key, also for a LEFT join without a table row.
      for (const p of pipeline.keyPositions) values[p] = joinKey;
      key = pipeline.keyPositions.map(() => joinKey);
    } else {
      key = pipeline.partitionBy.map((p) => p.evaluate(joined, this.evalCtx));
    }
    return { key, values, timestamp: decoded.timestamp };
  }

  /**
   * For an aggregation over the join: a table record updates the table (null); a stream record
   * gives the join's output row as ksqlDB's join schema lays it out (the join key, the stream's
   * row, the table's row, then ROWTIME, ROWPARTITION and ROWOFFSET of the output) and the record
   * to account it to, whose partition is the join's task: the partition the join key hashes to
   * among `partitions` when the stream is re-keyed, the stream record's own otherwise.
   */
  joinedRow(record: LogRecord, partitions: number): { readonly record: LogRecord; readonly decoded: DecodedRecord } | null {
    const match = this.match(record);
    if (!match) return null;
    const { joinKey, joined, decoded, keyBytes } = match;
    const partition = this.pipeline.streamKey ? partitionForKey(keyBytes, partitions) : record.partition;
    const row: Value[] = [joinKey, ...joined, BigInt(decoded.timestamp), partition, BigInt(record.offset)];
    return { record: partition === record.partition ? record : { ...record, partition }, decoded: { row, timestamp: decoded.timestamp, valueIsNull: false } };
  }

  /** The joined row of a stream record (null when dropped); table records update the table. */
  private match(record: LogRecord): { joinKey: Value; keyBytes: Buffer; joined: Value[]; decoded: DecodedRecord } | null {
    if (record.topic === this.tableTopic) {
      this.applyToTable(record);
      return null;
    }
    const decoded = this.decodeOrThrow(record);
    if (!decoded || decoded.valueIsNull) return null;
    this.current = record;
    const pipeline = this.pipeline;
    const streamRow = decoded.row;
    const joinKey = pipeline.streamKey ? pipeline.streamKey.evaluate(streamRow, this.evalCtx) : (streamRow[this.streamKeyIndex] ?? null);
    if (joinKey === null) return null;
    const keyBytes = this.keyBytes(joinKey, record);
    if (keyBytes === null) return null;
    const tableRow = this.table.lookup(keyBytes);
    if (!tableRow && pipeline.joinType === 'INNER') return null;

    const joined: Value[] = new Array(pipeline.scope.width);
    for (let i = 0; i < streamRow.length; i++) joined[i] = streamRow[i] ?? null;
    const offset = pipeline.table.offset;
    for (let i = 0; i < this.tableWidth; i++) joined[offset + i] = tableRow ? (tableRow[i] ?? null) : null;
    return { joinKey, keyBytes, joined, decoded };
  }

  private applyToTable(record: LogRecord): void {
    const decoded = this.decodeOrThrow(record);
    if (!decoded) return;
    const keyBytes = this.keyBytes(decoded.row[this.tableKeyIndex] ?? null, record);
    if (keyBytes === null) return;
    this.table.apply(keyBytes, decoded.valueIsNull ? null : decoded.row);
  }

  private keyBytes(key: Value, record: LogRecord): Buffer | null {
    if (key === null) return null;
    try {
      return this.joinKeySerde.serialize([key]);
    } catch (err) {
      this.onError(err, record, 'serialize');
      return null;
    }
  }

  private decode(record: LogRecord): Decoded {
    let decoded = this.decoded.get(record);
    if (decoded === undefined) {
      const decoder = record.topic === this.tableTopic ? this.tableDecoder : this.streamDecoder;
      try {
        decoded = decoder.decode(record);
      } catch (fatal) {
        decoded = { fatal };
      }
      this.decoded.set(record, decoded);
    }
    return decoded;
  }

  private decodeOrThrow(record: LogRecord): DecodedRecord | null {
    const decoded = this.decode(record);
    this.decoded.delete(record);
    if (decoded !== null && 'fatal' in decoded) throw decoded.fatal;
    return decoded;
  }
}
