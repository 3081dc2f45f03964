/**
 * The per-record work of an aggregation, with Kafka Streams' semantics as ksqlDB 0.29 runs it
 * with record caching disabled (every input updates its group and emits):
 *
 * - stream source (KStreamAggregate / KStreamWindowAggregate): null values and rows failing
 *   WHERE are ignored, rows whose GROUP BY key has a null part are dropped (processing log);
 *   the row is aggregated into its group (into each of its windows that is still open: window
 *   end after stream time minus grace); the group's timestamp becomes max(previous, input);
 * - session windows (KStreamSessionWindowAggregate): the row merges the sessions of its key
 *   within the gap into one, see aggregateIntoSession;
 * - table source (KTable groupBy + KGroupedTable aggregate): the source key's previous row,
 *   if it passed WHERE, is first undone from its group, then the new row, if any and if it
 *   passes, is aggregated into its group: an update gives two output records;
 * - each change of a group emits the projected row if HAVING holds, a tombstone if HAVING held
 *   for the group's previous value but no longer does, and nothing otherwise (KTableFilter with
 *   old values). A stream aggregate's "previous value" of a new group is the initial aggregate.
 */
import { partitionForKey } from '../../../log/partitioner.js';
import type { LogRecord } from '../../../log/topic-log.js';
import type { EvalContext } from '../../expressions/compiler.js';
import type { FunctionContext, FunctionRegistry } from '../../functions/types.js';
import type { DataSource } from '../../metastore/types.js';
import type { AggregationPipeline, SessionWindowSpec } from '../../planner/aggregate-planner.js';
import type { KeySerde, WindowBounds } from '../../serde/types.js';
import type { Row, Value } from '../../values/value.js';
import { SourceRowDecoder, type DecodedRecord, type ProcessingErrorSink } from '../source-decoder.js';
import type { AggregateStore, GroupState } from './aggregate-store.js';
import type { TableSourceStore } from './table-source-store.js';
import { mergeSessionWindows, sessionAccepts, windowsFor } from './windows.js';

/** One change of the aggregated table. */
export interface AggregateOutput {
  /** The output key bytes (windowed keys include the window start). */
  readonly keyBytes: Buffer;
  /** The unwindowed key bytes, which choose the output partition (WindowedStreamPartitioner). */
  readonly partitionKey: Buffer;
  readonly key: readonly Value[];
  readonly window?: WindowBounds;
  /** The projected row, or null: the group left the table. */
  readonly values: Value[] | null;
  readonly timestamp: number;
}

export interface AggregationKeySerdes {
  /** Serializes the output key without window. */
  readonly plain: KeySerde;
  /** Serializes the output key with its window; the same as `plain` when not windowed. */
  readonly windowed: KeySerde;
}

export interface AggregationProcessorOptions {
  readonly pipeline: AggregationPipeline;
  readonly source: DataSource;
  readonly store: AggregateStore;
  /** Table sources only: the previous row of each source key. */
  readonly tableRows?: TableSourceStore;
  readonly keySerdes: AggregationKeySerdes;
  /** Tasks a repartitioned aggregation runs in (the repartition topic's partitions). */
  readonly taskPartitions: number;
  readonly functions: FunctionRegistry;
  readonly fnCtx: FunctionContext;
  readonly onError: ProcessingErrorSink;
  readonly throwOnInvalidTimestamp?: boolean;
  /**
   * An aggregation over a join reads the join's output rather than source records: the joined
   * row of an input record, with the record to account it to, or null (no row; table updates).
   */
  readonly input?: (record: LogRecord) => { readonly record: LogRecord; readonly decoded: DecodedRecord } | null;
}

/** What a stream row brings to its session. */
interface SessionInput {
  readonly key: readonly Value[];
  /** The unwindowed key bytes: the prefix of the key's sessions in the store. */
  readonly partitionKey: Buffer;
  readonly partition: number;
  readonly args: readonly (readonly Value[])[];
  readonly columns: readonly Value[];
  readonly timestamp: number;
}

export class AggregationProcessor {
  private readonly pipeline: AggregationPipeline;
  private readonly decoder: SourceRowDecoder;
  private readonly evalCtx: EvalContext;
  private readonly store: AggregateStore;
  private readonly tableRows: TableSourceStore | undefined;
  private readonly keySerdes: AggregationKeySerdes;
  private readonly sourceWidth: number;
  private current: LogRecord | undefined;
  /** Records that arrived after all their windows had closed. */
  lateRecords = 0;

  constructor(private readonly opts: AggregationProcessorOptions) {
    this.pipeline = opts.pipeline;
    this.store = opts.store;
    this.tableRows = opts.tableRows;
    this.keySerdes = opts.keySerdes;
    this.sourceWidth = opts.pipeline.scope.columns.length;
    this.evalCtx = {
      now: opts.fnCtx.now,
      properties: opts.fnCtx.properties,
      onError: (err) => {
        if (this.current) opts.onError(err, this.current, 'expression');
      },
    };
    this.decoder = new SourceRowDecoder(opts.source, opts.pipeline.scope, opts.functions, this.evalCtx, opts.onError, opts.throwOnInvalidTimestamp);
  }

  /** Processes one source record; the changes of the aggregated table go to `emit`. */
  process(record: LogRecord, emit: (output: AggregateOutput) => void): void {
    this.current = record;
    if (this.opts.input) {
      // Rows of a join: a stream of joined rows, accounted to the join's task.
      const joined = this.opts.input(record);
      if (joined && !joined.decoded.valueIsNull) this.processStreamRow(joined.record, joined.decoded.row, joined.decoded.timestamp, emit);
      return;
    }
    const decoded = this.decoder.decode(record);
    if (!decoded) return;
    if (this.pipeline.sourceIsTable) this.processTableRecord(record, decoded.valueIsNull ? null : decoded.row, decoded.timestamp, emit);
    else if (!decoded.valueIsNull) this.processStreamRow(record, decoded.row, decoded.timestamp, emit);
  }

  /**
   * Aggregates one row of a stream that is already in the plan's scope (e.g. the output of a
   * join feeding the aggregation); `record` is the input record it came from, for the
   * processing log and the task partition.
   */
  processStreamRow(record: LogRecord, row: Row, timestamp: number, emit: (output: AggregateOutput) => void): void {
    this.current = record;
    if (!this.passesFilter(row)) return;
    const key = this.groupKey(row, record);
    if (!key) return;
    const partitionKey = this.serializeKey(key, undefined, record);
    if (!partitionKey) return;
    const partition = this.pipeline.groupsBySourceKey ? record.partition : partitionForKey(partitionKey, this.opts.taskPartitions);
    const args = this.arguments(row);
    const columns = this.requiredValues(row);
    const window = this.pipeline.window;
    if (!window) {
      this.aggregate(partitionKey, partitionKey, key, undefined, partition, args, columns, timestamp, true, emit);
      return;
    }
    const closeTime = this.store.observe(partition, timestamp) - window.graceMs;
    if (window.type === 'SESSION') {
      this.aggregateIntoSession(window, { key, partitionKey, partition, args, columns, timestamp }, closeTime, record, emit);
      return;
    }
    for (const bounds of windowsFor(window, timestamp)) {
      if (bounds.end <= closeTime) {
        this.lateRecords++;
        continue;
      }
      const storeKey = this.serializeKey(key, bounds, record);
      if (!storeKey) return;
      this.aggregate(storeKey, partitionKey, key, bounds, partition, args, columns, timestamp, true, emit);
    }
  }

  /**
   * KStreamSessionWindowAggregate: the record's own session [t, t] absorbs every session of its
   * key within the gap; their aggregates are merged into the initial aggregate, oldest first,
   * and then the record is aggregated. Unless the result is just the record's own session, the
   * absorbed sessions leave the table (a tombstone each, in window order) before the merged one
   * is emitted. A merged session that ends before the close time (stream time minus grace)
   * drops the record and changes nothing. Outputs are stamped with their session's end.
   */
  private aggregateIntoSession(
    spec: SessionWindowSpec,
    input: SessionInput,
    closeTime: number,
    record: LogRecord,
    emit: (output: AggregateOutput) => void,
  ): void {
    const { key, partitionKey, timestamp } = input;
    const fns = this.pipeline.aggregates;
    const own: WindowBounds = { start: timestamp, end: timestamp };
    const absorbed = this.store.windowsOf(partitionKey).filter((s) => sessionAccepts(spec, s.value.window!, timestamp));
    let bounds = own;
    let accumulators: readonly unknown[] = fns.map((a) => a.fn.initialize());
    for (const session of absorbed) {
      accumulators = accumulators.map((acc, i) => fns[i]!.fn.merge!(acc, session.value.accumulators[i]));
      bounds = mergeSessionWindows(bounds, session.value.window!);
    }
    if (bounds.end < closeTime) {
      this.lateRecords++;
      return;
    }
    const storeKey = this.serializeKey(key, bounds, record);
    if (!storeKey) return;
    if (bounds.start !== own.start || bounds.end !== own.end) {
      for (const session of absorbed) {
        this.store.delete(session.key);
        this.emitChange(session.key, partitionKey, session.value, undefined, emit);
      }
    }
    const next: GroupState = {
      key,
      window: bounds,
      columns: input.columns,
      accumulators: accumulators.map((acc, i) => fns[i]!.fn.aggregate(acc, input.args[i]!)),
      timestamp: bounds.end,
      partition: input.partition,
    };
    this.store.put(storeKey, next);
    // A session's previous value is never passed on (Change(new, null)): nothing to retract.
    this.emitChange(storeKey, partitionKey, undefined, next, emit);
  }

  private processTableRecord(record: LogRecord, row: Row | null, timestamp: number, emit: (output: AggregateOutput) => void): void {
    const tableRows = this.tableRows!;
    const previous = tableRows.get(record.key!);
    tableRows.apply(record);
    const oldRow = previous ? this.decoder.decode(previous) : null;
    const oldPasses = oldRow !== null && !oldRow.valueIsNull && this.passesFilter(oldRow.row);
    const newPasses = row !== null && this.passesFilter(row);
    if (oldPasses) this.undoRow(oldRow.row, record, timestamp, emit);
    if (newPasses) this.addTableRow(row, record, timestamp, emit);
  }

  private undoRow(row: Row, record: LogRecord, timestamp: number, emit: (output: AggregateOutput) => void): void {
    const key = this.groupKey(row, record);
    if (!key) return;
    const keyBytes = this.serializeKey(key, undefined, record);
    if (!keyBytes) return;
    const old = this.store.get(keyBytes);
    if (!old) return;
    const args = this.arguments(row);
    const fns = this.pipeline.aggregates;
    const next: GroupState = {
      ...old,
      columns: this.requiredValues(row),
      accumulators: old.accumulators.map((acc, i) => fns[i]!.fn.undo!(acc, args[i]!)),
      timestamp: Math.max(old.timestamp, timestamp),
    };
    this.store.put(keyBytes, next);
    this.emitChange(keyBytes, keyBytes, old, next, emit);
  }

  private addTableRow(row: Row, record: LogRecord, timestamp: number, emit: (output: AggregateOutput) => void): void {
    const key = this.groupKey(row, record);
    if (!key) return;
    const keyBytes = this.serializeKey(key, undefined, record);
    if (!keyBytes) return;
    const partition = partitionForKey(keyBytes, this.opts.taskPartitions);
    this.aggregate(keyBytes, keyBytes, key, undefined, partition, this.arguments(row), this.requiredValues(row), timestamp, false, emit);
  }

  /**
   * Aggregates a row into a group. `initialIsOld`: a new group's previous value is the initial
   * aggregate (stream aggregations) rather than nothing (table aggregations).
   */
  private aggregate(
    storeKey: Buffer,
    partitionKey: Buffer,
    key: readonly Value[],
    window: WindowBounds | undefined,
    partition: number,
    args: readonly (readonly Value[])[],
    columns: readonly Value[],
    timestamp: number,
    initialIsOld: boolean,
    emit: (output: AggregateOutput) => void,
  ): void {
    const old = this.store.get(storeKey);
    const base = old ?? this.initialState(key, window, partition);
    const fns = this.pipeline.aggregates;
    const next: GroupState = {
      key,
      ...(window ? { window } : {}),
      columns,
      accumulators: base.accumulators.map((acc, i) => fns[i]!.fn.aggregate(acc, args[i]!)),
      timestamp: old ? Math.max(old.timestamp, timestamp) : timestamp,
      partition,
    };
    this.store.put(storeKey, next);
    this.emitChange(storeKey, partitionKey, old ?? (initialIsOld ? base : undefined), next, emit);
  }

  private initialState(key: readonly Value[], window: WindowBounds | undefined, partition: number): GroupState {
    return {
      key,
      ...(window ? { window } : {}),
      columns: this.pipeline.requiredColumns.map(() => null),
      accumulators: this.pipeline.aggregates.map((a) => a.fn.initialize()),
      timestamp: -1,
      partition,
    };
  }

  /** Emits a group's change: `next` undefined when the group left the store (a merged session). */
  private emitChange(
    keyBytes: Buffer,
    partitionKey: Buffer,
    old: GroupState | undefined,
    next: GroupState | undefined,
    emit: (output: AggregateOutput) => void,
  ): void {
    const group = (next ?? old)!;
    const values = next ? this.output(next) : null;
    const base = { keyBytes, partitionKey, key: group.key, ...(group.window ? { window: group.window } : {}), timestamp: group.timestamp };
    if (values !== null) emit({ ...base, values });
    else if (old !== undefined && this.output(old) !== null) emit({ ...base, values: null });
  }

  /** The group's projected row, or null when HAVING rejects it. */
  output(state: GroupState): Value[] | null {
    const row = this.groupRow(state);
    const having = this.pipeline.having;
    if (having && having.evaluate(row, this.evalCtx) !== true) return null;
    return this.pipeline.projection.map((p) => p.evaluate(row, this.evalCtx));
  }

  /** The post-aggregation row: required source columns, aggregate results, window bounds. */
  groupRow(state: GroupState): Row {
    const p = this.pipeline;
    const row: Row = new Array(p.postWidth).fill(null);
    p.requiredColumns.forEach((position, i) => (row[position] = state.columns[i] ?? null));
    p.aggregates.forEach((a, i) => (row[this.sourceWidth + i] = a.fn.result(state.accumulators[i])));
    if (p.windowStartIndex >= 0 && state.window) {
      row[p.windowStartIndex] = BigInt(state.window.start);
      row[p.windowEndIndex] = BigInt(state.window.end);
    }
    return row;
  }

  private passesFilter(row: Row): boolean {
    const filter = this.pipeline.filter;
    return !filter || filter.evaluate(row, this.evalCtx) === true;
  }

  /** The GROUP BY key, or null (logged) when a part of it is null. */
  private groupKey(row: Row, record: LogRecord): Value[] | null {
    const key = this.pipeline.groupBy.map((g) => g.evaluate(row, this.evalCtx));
    const nullAt = key.findIndex((v) => v === null);
    if (nullAt >= 0) {
      this.opts.onError(
        new Error(`Group-by column with index ${nullAt} resolved to null. The source row will be excluded from the table.`),
        record,
        'group-by',
      );
      return null;
    }
    return key;
  }

  private serializeKey(key: readonly Value[], window: WindowBounds | undefined, record: LogRecord): Buffer | null {
    try {
      const bytes = window ? this.keySerdes.windowed.serialize(key, window) : this.keySerdes.plain.serialize(key);
      return bytes ?? Buffer.alloc(0);
    } catch (err) {
      this.opts.onError(err, record, 'serialize');
      return null;
    }
  }

  private arguments(row: Row): Value[][] {
    return this.pipeline.aggregates.map((a) => a.args.map((arg) => arg.evaluate(row, this.evalCtx)));
  }

  private requiredValues(row: Row): Value[] {
    return this.pipeline.requiredColumns.map((position) => row[position] ?? null);
  }
}
