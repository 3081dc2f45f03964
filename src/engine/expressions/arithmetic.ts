/**
 * Arithmetic with ksqlDB's typing (Operator.resultType) and Java's evaluation: int and long wrap
 * around, integer division truncates and fails on zero, doubles follow IEEE 754, DECIMAL follows
 * DecimalUtil's MathContext rules, STRING + STRING concatenates.
 */
import { KsqlError } from '../errors.js';
import type * as Ast from '../parser/ast.js';
import { isNumericType, SqlTypes, formatSqlType, type SqlType } from '../types.js';
import { Decimal } from '../values/decimal.js';
import type { Value } from '../values/value.js';
import { decimalArithmetic, decimalResultType, decimalType, toDecimalType, type DecimalType } from './decimal-rules.js';
import { ArithmeticError, npe, type Evaluator } from './evaluation.js';

function typeText(t: SqlType): string {
  return t.kind === 'NULL' ? 'null' : formatSqlType(t);
}

/** Java's `String + String`: a null operand prints as "null". */
function javaConcatOperand(v: Value): string {
  return v === null ? 'null' : (v as string);
}

/** Runs DECIMAL arithmetic, reporting Java's ArithmeticException for results that do not fit. */
export function wrapArithmetic<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new ArithmeticError(e.message);
    throw e;
  }
}

const NUMERIC_RANK: Record<string, number> = { INTEGER: 0, BIGINT: 1, DECIMAL: 2, DOUBLE: 3 };

/** Operator.resultType: the type of `left op right`, or a KsqlError with ksqlDB's wording. */
export function arithmeticResultType(op: Ast.ArithmeticOperator, left: SqlType, right: SqlType): SqlType {
  if (left.kind === 'NULL' || right.kind === 'NULL') {
    throw new KsqlError(`Arithmetic on types ${typeText(left)} and ${typeText(right)} are not supported.`);
  }
  if (op === '+' && left.kind === 'STRING' && right.kind === 'STRING') return SqlTypes.STRING;
  if (isNumericType(left) && isNumericType(right)) {
    const lr = NUMERIC_RANK[left.kind]!;
    const rr = NUMERIC_RANK[right.kind]!;
    if (lr <= rr) return right.kind === 'DECIMAL' ? decimalType(decimalResultType(op, toDecimalType(left), right)) : right;
    return left.kind === 'DECIMAL' ? decimalType(decimalResultType(op, left as DecimalType, toDecimalType(right))) : left;
  }
  throw new KsqlError(`Unsupported arithmetic types. ${left.kind} ${right.kind}`);
}

/** Evaluates `left op right` with result type `type` (from arithmeticResultType). */
export function arithmeticEvaluator(
  op: Ast.ArithmeticOperator,
  left: { readonly type: SqlType; readonly fn: Evaluator },
  right: { readonly type: SqlType; readonly fn: Evaluator },
  type: SqlType,
): Evaluator {
  const l = left.fn;
  const r = right.fn;
  switch (type.kind) {
    case 'STRING':
      return (row, ctx) => javaConcatOperand(l(row, ctx)) + javaConcatOperand(r(row, ctx));
    case 'INTEGER':
      return intArithmetic(op, l, r);
    case 'BIGINT':
      return bigintArithmetic(op, toBigint(l, left.type), toBigint(r, right.type));
    case 'DOUBLE':
      return doubleArithmetic(op, toDouble(l, left.type), toDouble(r, right.type));
    case 'DECIMAL': {
      const result: DecimalType = type;
      const a = toDecimal(l, left.type);
      const b = toDecimal(r, right.type);
      return binary(op, a, b, (x: Decimal, y: Decimal) => wrapArithmetic(() => decimalArithmetic(op, x, y, result)));
    }
    default:
      throw new KsqlError(`Unsupported arithmetic types. ${left.type.kind} ${right.type.kind}`);
  }
}

/** Evaluates both operands (left first, like Java) and applies `f`; a null operand is Java's unboxing NPE. */
function binary(op: string, l: Evaluator, r: Evaluator, f: (a: never, b: never) => Value): Evaluator {
  return (row, ctx) => {
    const a = l(row, ctx);
    const b = r(row, ctx);
    if (a === null || b === null) npe(op);
    return f(a as never, b as never);
  };
}

const INT_OPS: Record<Ast.ArithmeticOperator, (a: number, b: number) => number> = {
  '+': (a, b) => (a + b) | 0,
  '-': (a, b) => (a - b) | 0,
  '*': (a, b) => Math.imul(a, b),
  '/': (a, b) => {
    if (b === 0) throw new ArithmeticError('/ by zero');
    return (a / b) | 0;
  },
  '%': (a, b) => {
    if (b === 0) throw new ArithmeticError('/ by zero');
    return (a % b) | 0;
  },
};

const BIGINT_OPS: Record<Ast.ArithmeticOperator, (a: bigint, b: bigint) => bigint> = {
  '+': (a, b) => BigInt.asIntN(64, a + b),
  '-': (a, b) => BigInt.asIntN(64, a - b),
  '*': (a, b) => BigInt.asIntN(64, a * b),
  '/': (a, b) => {
    if (b === 0n) throw new ArithmeticError('/ by zero');
    return BigInt.asIntN(64, a / b);
  },
  '%': (a, b) => {
    if (b === 0n) throw new ArithmeticError('/ by zero');
    return a % b;
  },
};

/** Java double arithmetic: IEEE 754, so x / 0 is ±Infinity or NaN and % is fmod. */
const DOUBLE_OPS: Record<Ast.ArithmeticOperator, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
};

function intArithmetic(op: Ast.ArithmeticOperator, l: Evaluator, r: Evaluator): Evaluator {
  return binary(op, l, r, INT_OPS[op]);
}

function bigintArithmetic(op: Ast.ArithmeticOperator, l: Evaluator, r: Evaluator): Evaluator {
  return binary(op, l, r, BIGINT_OPS[op]);
}

function doubleArithmetic(op: Ast.ArithmeticOperator, l: Evaluator, r: Evaluator): Evaluator {
  return binary(op, l, r, DOUBLE_OPS[op]);
}

/** Java's widening of an int operand to long. */
function toBigint(fn: Evaluator, type: SqlType): Evaluator {
  if (type.kind === 'BIGINT') return fn;
  return (row, ctx) => { const v = fn(row, ctx); return v === null ? null : BigInt(v as number); };
}

/** Java's widening to double; DECIMAL operands are CAST to DOUBLE. */
function toDouble(fn: Evaluator, type: SqlType): Evaluator {
  switch (type.kind) {
    case 'BIGINT':
      return (row, ctx) => { const v = fn(row, ctx); return v === null ? null : Number(v as bigint); };
    case 'DECIMAL':
      return (row, ctx) => { const v = fn(row, ctx); return v === null ? null : (v as Decimal).toNumber(); };
    default:
      return fn;
  }
}

/** INTEGER/BIGINT operands CAST to DECIMAL(10, 0) / DECIMAL(19, 0). */
function toDecimal(fn: Evaluator, type: SqlType): Evaluator {
  if (type.kind === 'DECIMAL') return fn;
  return (row, ctx) => { const v = fn(row, ctx); return v === null ? null : new Decimal(BigInt(v as number | bigint), 0); };
}

