/**
 * What the engine knows about a stream or table (ksqlDB's DataSource in its MetaStore).
 */
import type { FormatInfo } from '../serde/types.js';
import type { LogicalSchema, WindowInfo } from '../types.js';

export interface TimestampColumn {
  /** Column whose value is the record's event time (WITH (TIMESTAMP='col')). */
  readonly column: string;
  /** Java DateTimeFormatter pattern for STRING columns (WITH (TIMESTAMP_FORMAT='...')). */
  readonly format?: string;
}

export interface DataSource {
  readonly name: string;
  readonly type: 'STREAM' | 'TABLE';
  readonly schema: LogicalSchema;
  readonly topic: string;
  readonly keyFormat: FormatInfo;
  readonly valueFormat: FormatInfo;
  /** Set for windowed sources (e.g. a windowed aggregation's sink). */
  readonly window?: WindowInfo;
  readonly timestampColumn?: TimestampColumn;
  /** CREATE SOURCE STREAM/TABLE: read-only. */
  readonly isSource: boolean;
  /** The statement that created it, as executed. */
  readonly sqlText: string;
  /** Query id of the CSAS/CTAS that writes it, if any. */
  readonly createdByQueryId?: string;
}

export interface MetaStoreView {
  getSource(name: string): DataSource | undefined;
  listSources(): readonly DataSource[];
  /** Every source declared over a topic (several sources may share one). */
  sourcesForTopic(topic: string): readonly DataSource[];
}
