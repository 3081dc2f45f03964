/**
 * The materialization of a table whose topic is its changelog: a CREATE SOURCE TABLE, or the
 * sink of a stateless CTAS (only its query writes it). The table's rows are the latest record
 * of each key, a null value deleting the key, as ksqlDB's `KsqlTopic-Reduce` store holds them.
 * The state is built by tailing the topic; `catchUp()` reads up to the end offsets of the
 * moment, so a pull query sees every record written before it started.
 */
import type { Logger } from 'pino';
import type { TopicLog, TopicReader } from '../../../log/topic-log.js';
import { sourceScope } from '../../analyzer/source-scope.js';
import type { FunctionRegistry } from '../../functions/types.js';
import type { DataSource } from '../../metastore/types.js';
import { keyString } from '../../values/compare.js';
import type { Value } from '../../values/value.js';
import { ProcessingLog } from '../processing-log.js';
import { SourceRowDecoder } from '../source-decoder.js';
import { KeyValueStore } from './key-value-store.js';
import type { MaterializedRow, MaterializedTable } from './materialized-table.js';

export class TopicMaterialization implements MaterializedTable {
  private readonly rowsByKey = new KeyValueStore<MaterializedRow>();
  private readonly decoder: SourceRowDecoder;
  private reader: TopicReader | undefined;
  private readonly keyCount: number;
  private readonly valueCount: number;
  readonly windowed: boolean;

  constructor(
    readonly source: DataSource,
    private readonly log: TopicLog,
    functions: FunctionRegistry,
    logger: Logger,
    now: () => number,
  ) {
    const scope = sourceScope(source, source.name);
    const processingLog = new ProcessingLog(logger, `materialization_${source.name}`);
    this.decoder = new SourceRowDecoder(
      source,
      scope,
      functions,
      { now, properties: {}, onError: () => undefined },
      (err, record, stage) => processingLog.report(err, record, stage),
    );
    this.keyCount = scope.keyCount;
    this.valueCount = scope.valueCount;
    this.windowed = source.window !== undefined;
  }

  /** Applies every record appended to the topic before this call. */
  async catchUp(): Promise<void> {
    const topic = this.source.topic;
    this.reader ??= await this.log.openReader({ topics: [topic], start: 'earliest' });
    const ends = await this.log.endOffsets(topic);
    const reader = this.reader;
    while (!reader.positions().every((p) => p.offset >= (ends[p.partition] ?? 0))) {
      const records = await reader.poll({ maxRecords: 5000, maxWaitMs: 0 });
      if (records.length === 0) break;
      for (const record of records) {
        const decoded = this.decoder.decode(record);
        if (!decoded) continue;
        if (decoded.valueIsNull) {
          this.rowsByKey.delete(record.key!);
          continue;
        }
        const row = decoded.row;
        this.rowsByKey.put(record.key!, {
          key: row.slice(0, this.keyCount),
          ...(decoded.window ? { window: decoded.window } : {}),
          values: row.slice(this.keyCount, this.keyCount + this.valueCount),
          timestamp: decoded.timestamp,
        });
      }
    }
    this.rowsByKey.drainChanges();
  }

  rows(): MaterializedRow[] {
    return this.rowsByKey.all().map((e) => e.value);
  }

  lookup(key: readonly Value[]): MaterializedRow[] {
    const wanted = keyString(key);
    return this.rows().filter((r) => keyString(r.key) === wanted);
  }

  async close(): Promise<void> {
    await this.reader?.close().catch(() => undefined);
  }
}
