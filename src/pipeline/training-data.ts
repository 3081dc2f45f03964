/**
 * Pulls the labelled rows of the preprocessed stream through ksqlDB's REST API: the same rows,
 * the same columns, the same order the scorer will later see — the training half of the one
 * feature path. Also records where the rows came from (partitions and offsets) for the bundle.
 */
import type { KsqlDbClient } from '../ksql/client.js';
import type { LabelledData } from '../model/train.js';
import { FEATURES_STREAM, LABEL_COLUMN, MODEL_FEATURES } from './pipeline-config.js';

export interface TrainingRows extends LabelledData {
  readonly source: string;
  /** Per partition: the first and last offset read. */
  readonly offsets: { partition: number; from: number; to: number }[];
  /** The stream's column names and types, for the bundle's schema fingerprint. */
  readonly columns: { name: string; type: string }[];
}

export async function pullTrainingRows(
  client: KsqlDbClient,
  opts: { stream?: string; features?: readonly string[]; where?: string } = {},
): Promise<TrainingRows> {
  const stream = opts.stream ?? FEATURES_STREAM;
  const features = opts.features ?? MODEL_FEATURES;
  const description = await client.describe(stream);
  const columns = (description.fields as { name: string; schema: { type: string } }[]).map((f) => ({ name: f.name, type: f.schema.type }));
  for (const f of [...features, LABEL_COLUMN]) {
    if (!columns.some((c) => c.name === f)) throw new Error(`${stream} has no column ${f}; is sql/ deployed?`);
  }
  const select = ['ROWPARTITION', 'ROWOFFSET', ...features, LABEL_COLUMN].join(', ');
  const result = await client.query(`SELECT ${select} FROM ${stream}${opts.where ? ` WHERE ${opts.where}` : ''};`);
  const rows: number[][] = [];
  const labels: (0 | 1 | null)[] = [];
  const ranges = new Map<number, { from: number; to: number }>();
  for (const r of result.rows) {
    const partition = Number(r[0]);
    const offset = Number(r[1]);
    const range = ranges.get(partition);
    if (!range) ranges.set(partition, { from: offset, to: offset });
    else {
      range.from = Math.min(range.from, offset);
      range.to = Math.max(range.to, offset);
    }
    rows.push(r.slice(2, 2 + features.length).map(Number));
    const label = r[2 + features.length];
    labels.push(label === 1 ? 1 : label === 0 ? 0 : null);
  }
  return {
    features,
    rows,
    labels,
    source: stream,
    offsets: [...ranges].sort((a, b) => a[0] - b[0]).map(([partition, r]) => ({ partition, ...r })),
    columns: features.map((f) => columns.find((c) => c.name === f)!),
  };
}
