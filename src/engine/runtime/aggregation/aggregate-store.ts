/**
 * The state store of an aggregation (ksqlDB's `Aggregate-Aggregate-Materialize`): one group
 * state per output key (and window), keyed by the serialized output key as Kafka Streams keys
 * its stores, with the changelog encoding that makes it durable:
 *
 * - key: the output key bytes (windowed keys include the window start, or a session's end and
 *   start, like the sink's);
 * - value: the group state (accumulators via the functions' toJson, the group's source columns
 *   as JSON, the timestamp), or null when the group is gone;
 * - stream time per task as records marked with a header, so that a restarted windowed
 *   aggregation closes windows exactly where the uninterrupted one would have.
 *
 * Windows older than the retention period leave the store (and pull queries) as stream time
 * passes, as Kafka Streams drops old segments (a time window by its start, a session by its
 * end); they are not deleted from the changelog, which a restore filters by the restored stream
 * time instead. Windowed stores index their windows by the unwindowed key, as Kafka Streams'
 * window and session stores fetch the windows of one key.
 */
import { partitionForKey } from '../../../log/partitioner.js';
import type { LogRecord, ProduceRecord } from '../../../log/topic-log.js';
import { jsonRowCodec, type JsonRowCodec } from '../../serde/json.js';
import type { KeySerde, WindowBounds } from '../../serde/types.js';
import { windowSuffixLength } from '../../serde/windowed.js';
import type { WindowSpec } from '../../planner/aggregate-planner.js';
import type { AggregateFunction } from '../../functions/aggregates/types.js';
import type { Column } from '../../types.js';
import type { Value } from '../../values/value.js';
import { KeyValueStore, type StoreEntry } from '../state/key-value-store.js';
import { StreamTime, windowStoreTime } from './windows.js';

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

/** The store keys of each unwindowed key's windows (a windowed key is the key bytes plus a suffix). */
class WindowIndex {
  private readonly byKey = new Map<string, Map<string, Buffer>>();

  constructor(private readonly suffixLength: number) {}

  add(storeKey: Buffer): void {
    const prefix = this.prefixOf(storeKey);
    let windows = this.byKey.get(prefix);
    if (!windows) this.byKey.set(prefix, (windows = new Map()));
    windows.set(storeKey.toString('latin1'), storeKey);
  }

  remove(storeKey: Buffer): void {
    const prefix = this.prefixOf(storeKey);
    const windows = this.byKey.get(prefix);
    if (!windows) return;
    windows.delete(storeKey.toString('latin1'));
    if (windows.size === 0) this.byKey.delete(prefix);
  }

  storeKeys(keyBytes: Buffer): Iterable<Buffer> {
    return this.byKey.get(keyBytes.toString('latin1'))?.values() ?? [];
  }

  private prefixOf(storeKey: Buffer): string {
    return storeKey.subarray(0, storeKey.length - this.suffixLength).toString('latin1');
  }
}

export class AggregateStore {
  private readonly groups = new KeyValueStore<GroupState>();
  readonly streamTime = new StreamTime();
  private readonly streamTimeChanged = new Set<number>();
  /** Stream time moved since the last expiry pass (only then can windows have expired). */
  private streamTimeAdvanced = true;
  private readonly windowIndex: WindowIndex | undefined;

  constructor(
    private readonly codec: GroupStateCodec,
    /** Windowed aggregations only: how windows age out of the store. */
    private readonly window?: WindowSpec,
  ) {
    this.windowIndex = window ? new WindowIndex(windowSuffixLength(window.type)) : undefined;
  }

  get size(): number {
    return this.groups.size;
  }

  get(key: Buffer): GroupState | undefined {
    return this.groups.get(key);
  }

  put(key: Buffer, state: GroupState): void {
    this.groups.put(key, state);
    this.windowIndex?.add(key);
  }

  /** Removes a group (a session merged into another); the changelog gets a tombstone. */
  delete(key: Buffer): void {
    this.groups.delete(key);
    this.windowIndex?.remove(key);
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
    if (this.window === undefined) return all;
    return all.filter((e) => this.retained(e.value));
  }

  /**
   * Every group in memory, retained or not: a window that closes at the very moment it leaves
   * the retention period must still be found by EMIT FINAL, which runs before expire().
   */
  inMemory(): IterableIterator<StoreEntry<GroupState>> {
    return this.groups.unordered();
  }

  /**
   * The retained windows of one unwindowed key (its serialized bytes), in window order (start,
   * then end), as a window or session store fetches them.
   */
  windowsOf(keyBytes: Buffer): StoreEntry<GroupState>[] {
    if (!this.windowIndex) throw new Error('windowsOf on an unwindowed aggregate store');
    const out: StoreEntry<GroupState>[] = [];
    for (const key of this.windowIndex.storeKeys(keyBytes)) {
      const value = this.groups.get(key);
      if (value && this.retained(value)) out.push({ key, value });
    }
    return out.sort((a, b) => a.value.window!.start - b.value.window!.start || a.value.window!.end - b.value.window!.end);
  }

  private retained(state: GroupState): boolean {
    if (this.window === undefined || state.window === undefined) return true;
    return windowStoreTime(this.window, state.window) > this.streamTime.get(state.partition) - this.window.retentionMs;
  }

  /** Drops windows past retention from memory (not from the changelog, see the file comment). */
  expire(): void {
    if (this.window === undefined || !this.streamTimeAdvanced) return;
    this.streamTimeAdvanced = false;
    const expired = [...this.groups.unordered()].filter((entry) => !this.retained(entry.value));
    for (const entry of expired) this.apply(entry.key, undefined);
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
    this.apply(record.key, record.value === null ? undefined : this.codec.decode(record.key, record.value));
  }

  /** Sets or removes a group without recording a change (restore, expiry). */
  private apply(key: Buffer, state: GroupState | undefined): void {
    this.groups.restore(key, state);
    if (state === undefined) this.windowIndex?.remove(key);
    else this.windowIndex?.add(key);
  }
}
