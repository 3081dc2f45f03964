import { describe, expect, it } from 'vitest';
import { toDataFrame } from '../../src/ksql/dataframe.js';

describe('query results as DataFrames', () => {
  it('keeps column names, order and typed values', async () => {
    const df = await toDataFrame({
      columnNames: ['ID', 'AMOUNT', 'USER_MASKED', 'FLAG', 'TAGS'],
      columnTypes: ['BIGINT', 'DOUBLE', 'STRING', 'BOOLEAN', 'ARRAY<STRING>'],
      rows: [
        [1n, 10.5, 'Kxx', true, ['a']],
        [2n, null, 'Axx', false, []],
      ],
    });
    expect(df.columns).toEqual(['ID', 'AMOUNT', 'USER_MASKED', 'FLAG', 'TAGS']);
    expect(df.dtypes).toEqual(['int32', 'float32', 'string', 'boolean', 'string']);
    expect(df.shape).toEqual([2, 5]);
    expect(df['ID'].values).toEqual([1, 2]);
    expect(df['AMOUNT'].values[0]).toBe(10.5);
    expect(Number.isNaN(df['AMOUNT'].values[1])).toBe(true);
    expect(df['TAGS'].values).toEqual(['["a"]', '[]']);
  });
});
