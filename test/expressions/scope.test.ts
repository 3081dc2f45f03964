import { describe, expect, it } from 'vitest';
import { coerceValue, implicitCastAllowed } from '../../src/engine/expressions/coercion.js';
import { Scope } from '../../src/engine/expressions/scope.js';
import { SqlTypes } from '../../src/engine/types.js';
import { Decimal } from '../../src/engine/values/decimal.js';
import { compileError, parseExpression, registry, run, typeOfText } from './helpers.js';
import { compileExpression } from '../../src/engine/expressions/compiler.js';

describe('Scope', () => {
  const scope = new Scope([
    { name: 'ID', source: 'L', type: SqlTypes.INTEGER, index: 0 },
    { name: 'ID', source: 'R', type: SqlTypes.BIGINT, index: 1 },
    { name: 'NAME', source: 'L', type: SqlTypes.STRING, index: 2 },
    { name: 'ROWTIME', type: SqlTypes.BIGINT, index: 3 },
  ]);

  it('resolves plain and qualified names to row positions', () => {
    expect(scope.resolve('NAME').index).toBe(2);
    expect(scope.resolve('ID', 'R')).toMatchObject({ index: 1, type: SqlTypes.BIGINT });
    expect(scope.resolve('ROWTIME').index).toBe(3);
  });

  it("reports unknown columns with ksqlDB's message (select.json)", () => {
    expect(() => scope.resolve('BOB')).toThrow("SELECT column 'BOB' cannot be resolved.");
    expect(() => scope.resolve('BOB', 'I')).toThrow("SELECT column 'I.BOB' cannot be resolved.");
    expect(() => scope.resolve('BOB', undefined, 'WHERE')).toThrow("WHERE column 'BOB' cannot be resolved.");
    expect(compileError('BOB + 1', [{ name: 'ID', type: 'INT' }])).toBe("SELECT column 'BOB' cannot be resolved.");
  });

  it('reports ambiguous columns', () => {
    expect(() => scope.resolve('ID')).toThrow("Column 'ID' is ambiguous");
  });

  it('reads values from the positions the scope gives', () => {
    const compiled = compileExpression(parseExpression('R.ID + L.ID'), scope, registry);
    const ctx = { now: () => 0, properties: {}, onError: () => undefined };
    expect(compiled.evaluate([1, 10n, 'x', 0n], ctx)).toBe(11n);
  });
});

describe('typeOf', () => {
  it('types without evaluating and leaves IN/CAST checks to compilation', () => {
    expect(typeOfText('ID + 1.5', [{ name: 'ID', type: 'BIGINT' }])).toEqual(SqlTypes.decimal(21, 1));
    expect(typeOfText('ID IN (true, 10)', [{ name: 'ID', type: 'BOOLEAN' }])).toEqual(SqlTypes.BOOLEAN);
    expect(typeOfText('CAST(ID AS ARRAY<INT>)', [{ name: 'ID', type: 'STRING' }])).toEqual(SqlTypes.array(SqlTypes.INTEGER));
    expect(typeOfText('NULL')).toEqual(SqlTypes.NULL);
    expect(() => typeOfText("ID > 'x'", [{ name: 'ID', type: 'INT' }])).toThrow('Cannot compare ID (INTEGER)');
  });

  it('returns the same type compilation does', () => {
    for (const text of ["ARRAY[1, '2']", "MAP('a' := 1.5)", "CASE WHEN true THEN 'a' END", 'ABS(-2)', "STRUCT(A := 1)"]) {
      expect(typeOfText(text)).toEqual(run(text).type);
    }
  });
});

describe('implicit coercion helpers', () => {
  it('implicitCastAllowed widens numbers only upwards', () => {
    expect(implicitCastAllowed(SqlTypes.INTEGER, SqlTypes.BIGINT)).toBe(true);
    expect(implicitCastAllowed(SqlTypes.BIGINT, SqlTypes.INTEGER)).toBe(false);
    expect(implicitCastAllowed(SqlTypes.decimal(4, 2), SqlTypes.decimal(5, 3))).toBe(true);
    expect(implicitCastAllowed(SqlTypes.decimal(4, 2), SqlTypes.decimal(4, 3))).toBe(false);
    expect(implicitCastAllowed(SqlTypes.array(SqlTypes.INTEGER), SqlTypes.array(SqlTypes.DOUBLE))).toBe(true);
    expect(implicitCastAllowed(SqlTypes.STRING, SqlTypes.INTEGER)).toBe(false);
  });

  it('coerceValue converts literals laxly and exactly', () => {
    expect(coerceValue('10', SqlTypes.STRING, SqlTypes.INTEGER)).toEqual({ ok: true, value: 10 });
    expect(coerceValue(10, SqlTypes.INTEGER, SqlTypes.BIGINT)).toEqual({ ok: true, value: 10n });
    expect(coerceValue(1, SqlTypes.INTEGER, SqlTypes.STRING)).toEqual({ ok: true, value: '1' });
    expect(coerceValue('x', SqlTypes.STRING, SqlTypes.INTEGER)).toEqual({ ok: false });
    expect(coerceValue('10', SqlTypes.STRING, SqlTypes.INTEGER, 'STRICT')).toEqual({ ok: false });
    const d = coerceValue(Decimal.parse('1.5'), SqlTypes.decimal(2, 1), SqlTypes.decimal(4, 2));
    expect(d.ok && (d.value as Decimal).toString()).toBe('1.50');
    expect(coerceValue(Decimal.parse('1.55'), SqlTypes.decimal(3, 2), SqlTypes.decimal(3, 1)).ok).toBe(false);
    expect(coerceValue(2147483648n, SqlTypes.BIGINT, SqlTypes.INTEGER).ok).toBe(false);
  });
});

describe('slots for precomputed sub-expressions', () => {
  it('reads aggregate calls from the row and types them for HAVING messages', async () => {
    const { typeOf } = await import('../../src/engine/expressions/compiler.js');
    const { formatExpression } = await import('../../src/engine/parser/format.js');
    const scope = new Scope([{ name: 'ID', type: SqlTypes.BIGINT, index: 0 }]);
    const slotFor = (e: Parameters<typeof formatExpression>[0]) =>
      formatExpression(e) === 'SUM(VALUE)' ? { type: SqlTypes.BIGINT, index: 1 } : undefined;
    const compiled = compileExpression(parseExpression('SUM(VALUE) > 100'), scope, registry, { slotFor });
    const ctx = { now: () => 0, properties: {}, onError: () => undefined };
    expect(compiled.evaluate([1n, 150n], ctx)).toBe(true);
    expect(compiled.evaluate([1n, 50n], ctx)).toBe(false);
    expect(() =>
      typeOf(parseExpression("SUM(VALUE) > '100'"), scope, registry, { slotFor, errorPrefix: 'Error in HAVING expression' }),
    ).toThrow("Error in HAVING expression: Cannot compare SUM(VALUE) (BIGINT) to '100' (STRING) with GREATER_THAN.");
  });
});
