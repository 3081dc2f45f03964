import { describe, expect, it } from 'vitest';
import { SqlTypes } from '../../src/engine/types.js';
import { compileError, run, value, type TestColumn } from './helpers.js';

const units = (v: number | null): TestColumn[] => [
  { name: 'ORDERUNITS', type: 'DOUBLE', value: v },
  { name: 'ORDERID', type: 'BIGINT', value: 4n },
];

describe('searched CASE (case-expression.json)', () => {
  const sizes = "CASE WHEN orderunits < 2.0 THEN 'small' WHEN orderunits < 4.0 THEN 'medium' ELSE 'large' END";
  it('picks the first true branch', () => {
    expect(value(sizes, units(6))).toBe('large');
    expect(value(sizes, units(3))).toBe('medium');
    expect(value(sizes, units(1))).toBe('small');
    expect(run(sizes, units(1)).type).toEqual(SqlTypes.STRING);
  });

  it('returns null without ELSE and computes results', () => {
    const text = 'CASE WHEN orderunits < 2.0 THEN orderid + 2 END';
    expect(value(text, units(1.9))).toBe(6n);
    expect(value(text, units(2))).toBeNull();
    expect(run(text, units(2)).type).toEqual(SqlTypes.BIGINT);
  });

  it('treats a null comparison as not matching', () => {
    expect(value("CASE WHEN orderunits > 2.0 THEN 'foo' ELSE 'default' END", units(null))).toBe('default');
  });

  it('types NULL branches from the others', () => {
    const text = "CASE WHEN orderunits < 2.0 THEN null WHEN orderunits < 4.0 THEN 'medium' ELSE 'large' END";
    expect(run(text, units(1.1))).toMatchObject({ value: null, type: SqlTypes.STRING });
    expect(value(text, units(3.99))).toBe('medium');
    expect(run("CASE WHEN orderunits < 2.0 THEN 'small' ELSE null END", units(4.2)).value).toBeNull();
  });

  it('rejects all-NULL and mismatched branches', () => {
    expect(compileError('CASE WHEN orderunits < 2.0 THEN null ELSE null END', units(1))).toBe(
      'Invalid Case expression. All case branches have NULL type',
    );
    expect(compileError("CASE WHEN orderunits < 2.0 THEN 1 WHEN orderunits < 3.0 THEN 'x' END", units(1))).toContain(
      "Invalid Case expression. Type for all 'THEN' clauses should be the same.",
    );
    expect(compileError("CASE WHEN orderunits < 2.0 THEN 1 ELSE 'x' END", units(1))).toBe(
      "Invalid Case expression. Type for the default clause should be the same as for 'THEN' clauses.\nTHEN type: INTEGER.\nDEFAULT type: STRING.",
    );
    expect(compileError("CASE WHEN 'x' THEN 1 END")).toBe("WHEN operand type should be boolean.\nType for ''x'' is STRING");
  });

  it('evaluates branches lazily', () => {
    // A division by zero in a branch that is not taken must not fail the expression.
    const cols: TestColumn[] = [{ name: 'X', type: 'INT', value: 0 }];
    const r = run('CASE WHEN X = 0 THEN -1 ELSE 10 / X END', cols);
    expect(r.value).toBe(-1);
    expect(r.errors).toEqual([]);
    const r2 = run('CASE WHEN X = 1 THEN 10 / X WHEN X = 0 THEN 5 ELSE 10 / X END', cols);
    expect(r2.value).toBe(5);
    expect(r2.errors).toEqual([]);
  });

  it('fails on a null WHEN condition like Java (null result, reported)', () => {
    const r = run("CASE WHEN B THEN 'y' ELSE 'n' END", [{ name: 'B', type: 'BOOLEAN', value: null }]);
    expect(r.value).toBeNull();
    expect(r.errors).toHaveLength(1);
  });
});

describe('simple CASE', () => {
  it('compares the operand with each WHEN value', () => {
    const text = "CASE X WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END";
    expect(value(text, [{ name: 'X', type: 'BIGINT', value: 2n }])).toBe('two');
    expect(value(text, [{ name: 'X', type: 'BIGINT', value: 7n }])).toBe('many');
    expect(value(text, [{ name: 'X', type: 'BIGINT', value: null }])).toBe('many');
    expect(compileError("CASE X WHEN 'a' THEN 1 END", [{ name: 'X', type: 'INT' }])).toContain('Cannot compare X (INTEGER)');
  });
});
