/**
 * The state store of an aggregation (ksqlDB's `Aggregate-Aggregate-Materialize`): one group
 * state per output key (and window), keyed by the serialized output key as Kafka Streams keys
 * its stores, with the changelog encoding that makes it durable:
 *
 * - key: the output key bytes (windowed keys include the window start, like the sink's);
 * - value: the group state (accumulators via the functions' toJson, the group's source columns
 *   as JSON, the timestamp), or null when the group is gone;
 * - stream time per task as records marked with a header, so that a restarted windowed
 *   aggregation closes windows exactly where the uninterrupted one would have.
 *
 * Windows older than the retention period leave the store (and pull queries) as stream time
 * passes, as Kafka Streams drops old segments; they are not deleted from the changelog, which
 * a restore filters by the restored stream time instead.
 */
import { partitionForKey } from '../../../log/partitioner.js';
import type { LogRecord, ProduceRecord } from '../../../log/topic-log.js';
import { jsonRowCodec, type JsonRowCodec } from '../../serde/json.js';
import type { KeySerde, WindowBounds } from '../../serde/types.js';
import type { AggregateFunction } from '../../functions/aggregates/types.js';
import type { Column } from '../../types.js';
import type { Value } from '../../values/value.js';
import { KeyValueStore, type StoreEntry } from '../state/key-value-store.js';
import { StreamTime } from './windows.js';

/** The aggregate of one group (one key, or one key and window). */
export interface GroupState {
  /** Output key values, in key column order. */
  readonly key: readonly Value[];
  readonly window?: WindowBounds;
  /** Values of the plan's required source columns, taken from the group's latest record. */
  readonly columns: readonly Value[];
  readonly accumulators: readonly unknown[];
  /** max(previous timestamp, input timestamp): the timestamp of the group's output records. */
  readonly timestamp: number;
  /** The task whose stream time ages the group's window. */
  readonly partition: number;
}

const STREAM_TIME_HEADER = 'ksml.stream-time';
const FORMAT_VERSION = 1;

interface StateHeader {
  readonly v: number;
  readonly t: number;
  readonly p: number;
  readonly a: readonly unknown[];
}

/** Group state <-> changelog bytes. */
export class GroupStateCodec {
  private readonly columns: JsonRowCodec;

  constructor(
    requiredColumns: readonly Column[],
    private readonly functions: readonly AggregateFunction[],
    private readonly keySerde: KeySerde,
  ) {
    // Positional names: the codec must not depend on source column spellings.
    this.columns = jsonRowCodec(
      requiredColumns.map((c, i) => ({ name: `C${i}`, type: c.type, namespace: 'VALUE' as const })),
      true,
    );
  }

  encode(state: GroupState): Buffer {
    const header: StateHeader = {
      v: FORMAT_VERSION,
      t: state.timestamp,
      p: state.partition,
      a: state.accumulators.map((acc, i) => this.functions[i]!.toJson(acc)),
    };
    const head = Buffer.from(JSON.stringify(header), 'utf8');
    const length = Buffer.allocUnsafe(4);
    length.writeUInt32BE(head.length, 0);
    return Buffer.concat([length, head, Buffer.from(this.columns.write(state.columns), 'utf8')]);
  }

  decode(keyBytes: Buffer, valueBytes: Buffer): GroupState {
    const headLength = valueBytes.readUInt32BE(0);
    const header = JSON.parse(valueBytes.subarray(4, 4 + headLength).toString('utf8')) as StateHeader;
    if (header.v !== FORMAT_VERSION) throw new Error(`Unknown aggregate state format version ${String(header.v)}`);
    const columns = this.columns.read(valueBytes.subarray(4 + headLength)) ?? [];
    const { values, window } = this.keySerde.deserialize(keyBytes);
    return {
      key: values,
      ...(window ? { window } : {}),
      columns,
      accumulators: header.a.map((json, i) => this.functions[i]!.fromJson(json)),
      timestamp: header.t,
      partition: header.p,
    };
  }
}

export class AggregateStore {
  private readonly groups = new KeyValueStore<GroupState>();
  readonly streamTime = new StreamTime();
  private readonly streamTimeChanged = new Set<number>();
  /** Stream time moved since the last expiry pass (only then can windows have expired). */
  private streamTimeAdvanced = true;

  constructor(
    private readonly codec: GroupStateCodec,
    /** Windowed aggregations only: how long windows stay after their start (stream time). */
    private readonly retentionMs?: number,
  ) {}

  get size(): number {
    return this.groups.size;
  }

  get(key: Buffer): GroupState | undefined {
    return this.groups.get(key);
  }

  put(key: Buffer, state: GroupState): void {
    this.groups.put(key, state);
  }

  /** Stream time of a task after seeing `timestamp`. */
  observe(partition: number, timestamp: number): number {
    const before = this.streamTime.get(partition);
    const after = this.streamTime.observe(partition, timestamp);
    if (after !== before) {
      this.streamTimeChanged.add(partition);
      this.streamTimeAdvanced = true;
    }
    return after;
  }

  /** Windows a query can still see: those inside the retention period of their task's stream time. */
  entries(): readonly StoreEntry<GroupState>[] {
    const all = this.groups.all();
    if (this.retentionMs === undefined) return all;
    return all.filter((e) => this.retained(e.value));
  }

  private retained(state: GroupState): boolean {
    if (this.retentionMs === undefined || state.window === undefined) return true;
    return state.window.start > this.streamTime.get(state.partition) - this.retentionMs;
  }

  /** Drops windows past retention from memory (not from the changelog, see the file comment). */
  expire(): void {
    if (this.retentionMs === undefined || !this.streamTimeAdvanced) return;
    this.streamTimeAdvanced = false;
    const expired = [...this.groups.unordered()].filter((entry) => !this.retained(entry.value));
    for (const entry of expired) this.groups.restore(entry.key, undefined);
  }

  /** Changelog records for the changes since the last call. */
  drainChangelog(changelogPartitions: number): ProduceRecord[] {
    const out: ProduceRecord[] = [];
    for (const change of this.groups.drainChanges()) {
      // Every record of a key goes to the key's partition, so a restore replays them in order.
      const partition = partitionForKey(change.key, changelogPartitions);
      out.push({ key: change.key, value: change.value === undefined ? null : this.codec.encode(change.value), partition });
    }
    for (const partition of this.streamTimeChanged) {
      const time = this.streamTime.get(partition);
      const key = Buffer.from(`\u0000${STREAM_TIME_HEADER}-${partition}`, 'utf8');
      out.push({
        key,
        value: Buffer.from(String(time), 'utf8'),
        timestamp: Math.max(0, time),
        headers: [{ key: STREAM_TIME_HEADER, value: Buffer.from(String(partition), 'utf8') }],
        partition: partitionForKey(key, changelogPartitions),
      });
    }
    this.streamTimeChanged.clear();
    return out;
  }

  /** Applies one changelog record read back on restart. */
  restore(record: LogRecord): void {
    const marker = record.headers.find((h) => h.key === STREAM_TIME_HEADER);
    if (marker) {
      if (record.value) this.streamTime.observe(Number(marker.value!.toString('utf8')), Number(record.value.toString('utf8')));
      return;
    }
    if (record.key === null) return;
    this.groups.restore(record.key, record.value === null ? undefined : this.codec.decode(record.key, record.value));
  }
}
