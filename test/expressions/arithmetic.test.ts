import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/engine/values/decimal.js';
import { SqlTypes } from '../../src/engine/types.js';
import { compileError, run, value } from './helpers.js';

const dec = (text: string) => Decimal.parse(text);

describe('literal types', () => {
  it('types literals as ksqlDB does', () => {
    expect(run('1').type).toEqual(SqlTypes.INTEGER);
    expect(run('2147483648').type).toEqual(SqlTypes.BIGINT);
    expect(run('1.50').type).toEqual(SqlTypes.decimal(3, 2));
    expect(run('0.005').type).toEqual(SqlTypes.decimal(4, 3));
    expect(run('0.00').type).toEqual(SqlTypes.decimal(3, 2));
    expect(run('1.5E3').type).toEqual(SqlTypes.DOUBLE);
    expect(run("'x'").type).toEqual(SqlTypes.STRING);
    expect(run('true').type).toEqual(SqlTypes.BOOLEAN);
  });
});

describe('integer arithmetic (Java int/long)', () => {
  // binary-arithmetic.json: col0+col1, col2+10, col1*25, 12*4+2 over INT/BIGINT/DOUBLE.
  it('widens INT to BIGINT and DOUBLE', () => {
    const cols = [
      { name: 'COL0', type: 'INT', value: 6 },
      { name: 'COL1', type: 'BIGINT', value: 25n },
      { name: 'COL2', type: 'DOUBLE', value: 3.21 },
    ];
    expect(run('COL0 + COL1', cols)).toMatchObject({ value: 31n, type: SqlTypes.BIGINT });
    expect(run('COL2 + 10', cols)).toMatchObject({ value: 13.21, type: SqlTypes.DOUBLE });
    expect(run('COL1 * 25', cols)).toMatchObject({ value: 625n, type: SqlTypes.BIGINT });
    expect(run('12 * 4 + 2', cols)).toMatchObject({ value: 50, type: SqlTypes.INTEGER });
  });

  it('follows operator precedence (operators.json)', () => {
    expect(value('2 * 3 + 4')).toBe(10);
    expect(value('6 / 3 - 4')).toBe(-2);
    expect(value('16 % 6 - 4')).toBe(0);
    expect(value('10 - 2 + 5')).toBe(13);
    expect(value('6 % 4 / 2 * 6')).toBe(6);
    expect(value('6 / 2 % 2 * 2')).toBe(2);
    expect(value('2 * 3 % 4')).toBe(2);
  });

  it('wraps INT at 32 bits and BIGINT at 64 bits', () => {
    expect(value('2147483647 + 1')).toBe(-2147483648);
    expect(value('X * 2', [{ name: 'X', type: 'INT', value: 2000000000 }])).toBe(-294967296);
    expect(value('X + 1', [{ name: 'X', type: 'BIGINT', value: 9223372036854775807n }])).toBe(-9223372036854775808n);
    expect(value('X / -1', [{ name: 'X', type: 'INT', value: -2147483648 }])).toBe(-2147483648);
    expect(value('-X', [{ name: 'X', type: 'INT', value: -2147483648 }])).toBe(-2147483648);
  });

  it('truncates integer division and keeps the dividend sign for %', () => {
    expect(value('7 / 2')).toBe(3);
    expect(value('-7 / 2')).toBe(-3);
    expect(value('-7 % 2')).toBe(-1);
    expect(value('7 % -2')).toBe(1);
    expect(Object.is(value('-4 % 2'), 0)).toBe(true);
    expect(value('X / 2', [{ name: 'X', type: 'BIGINT', value: -7n }])).toBe(-3n);
  });

  it('turns integer division by zero into null and an error report', () => {
    const r = run('X / 0', [{ name: 'X', type: 'INT', value: 1 }]);
    expect(r.value).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.message).toContain('/ by zero');
    expect(run('X % 0', [{ name: 'X', type: 'BIGINT', value: 1n }]).value).toBeNull();
  });

  it('divides doubles like Java', () => {
    const cols = [{ name: 'D', type: 'DOUBLE', value: 1 }];
    expect(value('D / 0', cols)).toBe(Infinity);
    expect(value('-D / 0', cols)).toBe(-Infinity);
    expect(value('(D - 1) / 0', cols)).toBeNaN();
    expect(value('D % 0', cols)).toBeNaN();
  });

  it('treats a null operand as an error (Java unboxing), making the expression null', () => {
    const r = run('X + 1', [{ name: 'X', type: 'INT', value: null }]);
    expect(r.value).toBeNull();
    expect(r.errors).toHaveLength(1);
  });

  it('concatenates strings with + the way Java does', () => {
    const cols = [{ name: 'S', type: 'STRING', value: 's1' }];
    expect(value("'prefix-' + S + '-postfix'", cols)).toBe('prefix-s1-postfix');
    expect(value("'a' + S", [{ name: 'S', type: 'STRING', value: null }])).toBe('anull');
  });
});

describe('DECIMAL arithmetic (DecimalUtil / SqlDecimal)', () => {
  const cols = [
    { name: 'A', type: 'DECIMAL(4,2)', value: dec('10.50') },
    { name: 'B', type: 'DECIMAL(3,1)', value: dec('2.5') },
    { name: 'I', type: 'INT', value: 3 },
  ];
  it('computes result precision and scale', () => {
    expect(run('A + B', cols).type).toEqual(SqlTypes.decimal(5, 2));
    expect(run('A - B', cols).type).toEqual(SqlTypes.decimal(5, 2));
    expect(run('A * B', cols).type).toEqual(SqlTypes.decimal(8, 3));
    expect(run('A / B', cols).type).toEqual(SqlTypes.decimal(9, 6));
    expect(run('A % B', cols).type).toEqual(SqlTypes.decimal(4, 2));
    expect(run('A + I', cols).type).toEqual(SqlTypes.decimal(13, 2));
  });

  it('evaluates exactly at the result scale', () => {
    expect((value('A + B', cols) as Decimal).toString()).toBe('13.00');
    expect((value('A * B', cols) as Decimal).toString()).toBe('26.250');
    expect((value('A / B', cols) as Decimal).toString()).toBe('4.200000');
    expect((value('A % B', cols) as Decimal).toString()).toBe('0.50');
    expect((value('A - I', cols) as Decimal).toString()).toBe('7.50');
    expect((value('-A', cols) as Decimal).toString()).toBe('-10.50');
  });

  it('yields null where Java needs rounding (non-terminating quotient) or divides by zero', () => {
    const r = run('1.0 / 3.0');
    expect(r.type).toEqual(SqlTypes.decimal(8, 6));
    expect(r.value).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(run('A / 0.0', cols).value).toBeNull();
  });

  it('widens DECIMAL with DOUBLE to DOUBLE', () => {
    const r = run('A + D', [...cols, { name: 'D', type: 'DOUBLE', value: 0.25 }]);
    expect(r.type).toEqual(SqlTypes.DOUBLE);
    expect(r.value).toBe(10.75);
  });
});

describe('arithmetic type errors', () => {
  it('uses ksqlDB messages', () => {
    // comparison-expression.json "invalid where predicate - illegal expression"
    expect(compileError('TRUE + 1.5')).toBe('Error processing expression: (true + 1.5). Unsupported arithmetic types. BOOLEAN DECIMAL');
    expect(compileError("'a' - 'b'")).toContain('Unsupported arithmetic types. STRING STRING');
    expect(compileError('NULL + 1')).toContain('Arithmetic on types null and INTEGER are not supported.');
  });
});
