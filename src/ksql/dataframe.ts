/**
 * Query results (rows plus ksqlDB column types) as danfo DataFrames with typed columns, for
 * notebooks. danfo's dtypes are coarse: INTEGER/BIGINT → int32 (values beyond 2^53 lose
 * precision as JS numbers), DOUBLE/DECIMAL → float32 (the values stay JS doubles), BOOLEAN →
 * boolean, everything else (STRING, TIMESTAMP text, ARRAY, ...) → string.
 */
import type { DataFrame } from 'danfojs';
import type { QueryResult } from './client.js';

let danfo: Promise<typeof import('danfojs')> | undefined;

/**
 * danfojs bundles its own TensorFlow.js 3, which re-registers kernels in the process-wide
 * registry that the model's TensorFlow.js 4 uses and warns once per kernel (hundreds of
 * lines). It is loaded on first use, with those warnings silenced, so that importing this
 * package neither pays for it nor prints them.
 */
function loadDanfo(): Promise<typeof import('danfojs')> {
  danfo ??= (async () => {
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      return await import('danfojs');
    } finally {
      console.warn = warn;
    }
  })();
  return danfo;
}

type DanfoDtype = 'int32' | 'float32' | 'boolean' | 'string';

function dtypeOf(ksqlType: string): DanfoDtype {
  if (ksqlType === 'INTEGER' || ksqlType === 'BIGINT') return 'int32';
  if (ksqlType === 'DOUBLE' || ksqlType.startsWith('DECIMAL')) return 'float32';
  if (ksqlType === 'BOOLEAN') return 'boolean';
  return 'string';
}

export async function toDataFrame(result: Pick<QueryResult, 'columnNames' | 'columnTypes' | 'rows'>): Promise<DataFrame> {
  const { DataFrame } = await loadDanfo();
  const dtypes = result.columnTypes.map(dtypeOf);
  const columns: Record<string, unknown[]> = {};
  result.columnNames.forEach((name, j) => {
    const dtype = dtypes[j]!;
    columns[name] = result.rows.map((row) => {
      const v = row[j];
      if (v === null || v === undefined) return dtype === 'string' ? null : dtype === 'boolean' ? null : Number.NaN;
      if (dtype === 'int32' || dtype === 'float32') return Number(v);
      if (dtype === 'string' && typeof v !== 'string') return typeof v === 'object' ? JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) : String(v);
      return v;
    });
  });
  return new DataFrame(columns, { columns: result.columnNames, dtypes });
}
