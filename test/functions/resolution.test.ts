import { describe, expect, it } from 'vitest';
import { KsqlStatementError } from '../../src/engine/errors.js';
import { createFunctionRegistry, INTERVAL_UNIT_ARG_TYPE } from '../../src/engine/functions/registry.js';
import { SqlTypes as S } from '../../src/engine/types.js';
import { registry, resolutionError } from './helpers.js';

describe('function resolution', () => {
  it('prefers exact matches over implicit casts', () => {
    const abs = registry.resolve('ABS', [S.INTEGER]);
    expect(abs.returnType).toEqual(S.INTEGER);
    expect(abs.paramTypes).toEqual([S.INTEGER]);
    expect(registry.resolve('abs', [S.BIGINT]).returnType).toEqual(S.BIGINT);
  });

  it('widens INTEGER to BIGINT when no INTEGER overload exists', () => {
    // FROM_UNIXTIME only takes BIGINT
    const f = registry.resolve('FROM_UNIXTIME', [S.INTEGER]);
    expect(f.paramTypes).toEqual([S.BIGINT]);
    expect(f.returnType).toEqual(S.TIMESTAMP);
  });

  it('widens every argument to the single overload that accepts all (GREATEST to DOUBLE)', () => {
    const f = registry.resolve('GREATEST', [S.INTEGER, S.BIGINT, S.decimal(30, 18), S.DOUBLE, S.NULL]);
    expect(f.returnType).toEqual(S.DOUBLE);
    expect(f.paramTypes).toEqual([S.DOUBLE, S.DOUBLE, S.DOUBLE, S.DOUBLE, S.DOUBLE]);
  });

  it('reports ambiguous implicit casts with ksqlDB messages', () => {
    expect(resolutionError('GREATEST', [S.INTEGER, S.BIGINT])).toMatch(
      /^Function 'greatest' cannot be resolved due to ambiguous method parameters \(INTEGER, BIGINT\)\.\nUse CAST\(\)/,
    );
    expect(resolutionError('GREATEST', [S.INTEGER, S.BIGINT, S.decimal(50, 30)])).toContain(
      "Function 'greatest' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT, DECIMAL(50, 30)).",
    );
    expect(resolutionError('GREATEST', [S.NULL, S.NULL, S.NULL, S.NULL])).toContain(
      "Function 'greatest' cannot be resolved due to ambiguous method parameters (null, null, null, null).",
    );
  });

  it('reports calls no signature accepts, listing the alternatives', () => {
    const msg = resolutionError('GREATEST', [S.STRING, S.INTEGER]);
    expect(msg).toContain("Function 'greatest' does not accept parameters (STRING, INTEGER).");
    expect(msg).toContain('\nValid alternatives are:\n');
    expect(msg).toContain('GREATEST(INT val, INT... vals)');
    expect(msg.endsWith('For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;')).toBe(true);
    expect(resolutionError('GREATEST', [])).toContain("Function 'greatest' does not accept parameters ().");
    expect(resolutionError('COALESCE', [])).toContain("Function 'COALESCE' does not accept parameters ()");
    expect(resolutionError('dateadd', [S.DATE, S.INTEGER, S.DATE])).toContain(
      "Function 'dateadd' does not accept parameters (DATE, INTEGER, DATE).",
    );
    expect(resolutionError('TIMESTAMPADD', [S.TIMESTAMP, S.INTEGER, S.TIMESTAMP])).toContain(
      "Function 'timestampadd' does not accept parameters (TIMESTAMP, INTEGER, TIMESTAMP).",
    );
  });

  it('reports unknown functions', () => {
    const err = (() => {
      try {
        registry.resolve('WONT_FIND_ME', []);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(KsqlStatementError);
    expect((err as Error).message).toBe("Can't find any functions with the name 'WONT_FIND_ME'");
  });

  it('lets NULL arguments match any parameter', () => {
    const f = registry.resolve('SUBSTRING', [S.STRING, S.NULL]);
    expect(f.paramTypes).toEqual([S.STRING, S.INTEGER]);
    expect(f.invoke(['abc', null], { now: () => 0, properties: {} })).toBeNull();
  });

  it('binds generics consistently', () => {
    const ifnull = registry.resolve('IFNULL', [S.array(S.INTEGER), S.array(S.INTEGER)]);
    expect(ifnull.returnType).toEqual(S.array(S.INTEGER));
    expect(registry.resolve('IFNULL', [S.NULL, S.STRING]).returnType).toEqual(S.STRING);
    expect(resolutionError('IFNULL', [S.STRING, S.array(S.INTEGER)])).toContain(
      "Function 'IFNULL' does not accept parameters (STRING, ARRAY<INTEGER>).",
    );
    const contains = registry.resolve('ARRAY_CONTAINS', [S.array(S.STRING), S.STRING]);
    expect(contains.returnType).toEqual(S.BOOLEAN);
    expect(registry.resolve('ARRAY_MAX', [S.array(S.DOUBLE)]).returnType).toEqual(S.DOUBLE);
    expect(registry.resolve('MAP_KEYS', [S.map(S.STRING, S.BIGINT)]).returnType).toEqual(S.array(S.STRING));
  });

  it('widens later generic arguments to the bound type when casts are allowed', () => {
    const f = registry.resolve('COALESCE', [S.BIGINT, S.INTEGER]);
    expect(f.returnType).toEqual(S.BIGINT);
    expect(f.paramTypes).toEqual([S.BIGINT, S.BIGINT]);
    const g = registry.resolve('IFNULL', [S.INTEGER, S.DOUBLE]);
    expect(g.paramTypes).toEqual([S.DOUBLE, S.DOUBLE]);
    const d = registry.resolve('COALESCE', [S.decimal(4, 2), S.decimal(5, 3)]);
    expect(d.returnType).toEqual(S.decimal(5, 3));
    expect(d.paramTypes).toEqual([S.decimal(5, 3), S.decimal(5, 3)]);
  });

  it('handles varargs, including zero repetitions', () => {
    expect(registry.resolve('CONCAT', []).returnType).toEqual(S.STRING);
    const concat = registry.resolve('CONCAT', [S.STRING, S.STRING, S.STRING, S.NULL]);
    expect(concat.paramTypes).toHaveLength(4);
    expect(registry.resolve('CONCAT', [S.BYTES, S.NULL, S.BYTES]).returnType).toEqual(S.BYTES);
  });

  it('casts STRING to DATE/TIME/TIMESTAMP parameters', () => {
    const f = registry.resolve('GREATEST', [S.DATE, S.DATE, S.NULL, S.STRING]);
    expect(f.returnType).toEqual(S.DATE);
    expect(f.paramTypes[3]).toEqual(S.DATE);
  });

  it('computes DECIMAL result types from the argument types', () => {
    expect(registry.resolve('GREATEST', [S.decimal(9, 2), S.decimal(7, 6)]).returnType).toEqual(S.decimal(13, 6));
    expect(registry.resolve('ROUND', [S.decimal(33, 16)]).returnType).toEqual(S.decimal(17, 0));
    expect(registry.resolve('ROUND', [S.decimal(33, 16), S.INTEGER]).returnType).toEqual(S.decimal(33, 16));
    expect(registry.resolve('ABS', [S.decimal(2, 1)]).returnType).toEqual(S.decimal(2, 1));
  });

  it('accepts time-unit arguments for INTERVAL_UNIT parameters', () => {
    const f = registry.resolve('DATEADD', [INTERVAL_UNIT_ARG_TYPE, S.INTEGER, S.DATE]);
    expect(f.returnType).toEqual(S.DATE);
    expect(f.invoke(['DAYS', 10, 10], { now: () => 0, properties: {} })).toBe(20);
  });

  it('knows aggregate names and keeps registries independent', () => {
    expect(registry.isAggregate('count')).toBe(true);
    expect(registry.isAggregate('LATEST_BY_OFFSET')).toBe(true);
    expect(registry.isAggregate('ABS')).toBe(false);
    const other = createFunctionRegistry();
    expect(other.has('ABS')).toBe(true);
    expect(other.has('COUNT')).toBe(false);
  });
});
