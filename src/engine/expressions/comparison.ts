/**
 * Comparisons with ksqlDB's rules: which type pairs may be compared (ComparisonUtil), and how
 * SqlToJavaVisitor's generated code compares them (null is never equal, DECIMAL via BigDecimal,
 * times against strings by parsing, collections by equality only).
 */
import { KsqlError, KsqlStatementError } from '../errors.js';
import type * as Ast from '../parser/ast.js';
import { formatExpression } from '../parser/format.js';
import { formatSqlType, isNumericType, type SqlType } from '../types.js';
import { compareSignedBytes, valuesEqual } from '../values/compare.js';
import { Decimal } from '../values/decimal.js';
import type { Value } from '../values/value.js';
import type { Evaluator } from './evaluation.js';
import { javaDoubleToString } from './java-text.js';
import { dateToTimestamp, parseDateText, parseTimeText, parseTimestampText } from './time-text.js';

export const COMPARISON_NAMES: Record<Ast.ComparisonOperator, string> = {
  '=': 'EQUAL',
  '<>': 'NOT_EQUAL',
  '<': 'LESS_THAN',
  '<=': 'LESS_THAN_OR_EQUAL',
  '>': 'GREATER_THAN',
  '>=': 'GREATER_THAN_OR_EQUAL',
  'IS DISTINCT FROM': 'IS_DISTINCT_FROM',
  // ksqlDB parses IS NOT DISTINCT FROM as NOT around IS DISTINCT FROM, so messages name the latter.
  'IS NOT DISTINCT FROM': 'IS_DISTINCT_FROM',
};

/** How two non-null operands compare; `order` returns NaN when they are unordered (NaN doubles). */
export interface Comparator {
  readonly equal: (a: Value, b: Value) => boolean;
  readonly notEqual: (a: Value, b: Value) => boolean;
  readonly order?: (a: Value, b: Value) => number;
}

function isEqualityOperator(op: Ast.ComparisonOperator): boolean {
  return op === '=' || op === '<>' || op === 'IS DISTINCT FROM' || op === 'IS NOT DISTINCT FROM';
}

function isTimeType(t: SqlType): boolean {
  return t.kind === 'TIMESTAMP' || t.kind === 'DATE' || t.kind === 'TIME';
}

/** ComparisonUtil.isValidComparison (with the TIMESTAMP/DATE/TIME handling of SqlToJavaVisitor). */
export function isValidComparison(left: SqlType, op: Ast.ComparisonOperator, right: SqlType): boolean {
  if (isNumericType(left)) return isNumericType(right);
  if (isTimeType(left) || isTimeType(right)) return timeComparisonAllowed(left, right);
  switch (left.kind) {
    case 'STRING':
      return right.kind === 'STRING';
    case 'BOOLEAN':
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      return right.kind === left.kind && isEqualityOperator(op);
    case 'BYTES':
      return right.kind === 'BYTES';
    default:
      return false;
  }
}

function timeComparisonAllowed(left: SqlType, right: SqlType): boolean {
  const ok = (t: SqlType) => isTimeType(t) || t.kind === 'STRING';
  if (!ok(left) || !ok(right)) return false;
  if (left.kind === 'TIME' || right.kind === 'TIME') return left.kind !== 'TIMESTAMP' && left.kind !== 'DATE' && right.kind !== 'TIMESTAMP' && right.kind !== 'DATE';
  return true;
}

/** The comparison of `left` and `right` (types checked, with ksqlDB's messages on failure). */
export function comparator(op: Ast.ComparisonOperator, left: SqlType, right: SqlType, leftExpr: Ast.Expression, rightExpr: Ast.Expression): Comparator {
  if (left.kind === 'NULL' || right.kind === 'NULL') {
    const symbol = op === 'IS NOT DISTINCT FROM' ? 'IS DISTINCT FROM' : op;
    throw new KsqlStatementError(`Comparison with NULL not supported: ${left.kind} ${symbol} ${right.kind}\nUse 'IS NULL' or 'IS NOT NULL' instead.`);
  }
  if (!isValidComparison(left, op, right)) {
    throw new KsqlStatementError(
      `Cannot compare ${formatExpression(leftExpr)} (${formatSqlType(left)}) to ${formatExpression(rightExpr)} (${formatSqlType(right)}) with ${COMPARISON_NAMES[op]}.`,
    );
  }
  if (left.kind === 'DECIMAL' || right.kind === 'DECIMAL') {
    const a = decimalOperand(left);
    const b = decimalOperand(right);
    const exact = (x: Value, y: Value) => a(x).compareTo(b(y));
    if (left.kind === 'BIGINT' || right.kind === 'BIGINT') return ordered(exact);
    // Numbers that differ as doubles compare the same way as decimals (rounding is monotonic);
    // only ties need the exact BigDecimal comparison, which is costly per row.
    const approxA = approximateNumber(left);
    const approxB = approximateNumber(right);
    return ordered((x, y) => {
      const p = approxA(x);
      const q = approxB(y);
      if (p < q) return -1;
      if (p > q) return 1;
      return exact(x, y);
    });
  }
  if (isTimeType(left) || isTimeType(right)) {
    const target = left.kind === 'TIME' || right.kind === 'TIME' ? 'TIME' : left.kind === 'TIMESTAMP' || right.kind === 'TIMESTAMP' ? 'TIMESTAMP' : 'DATE';
    const a = timeOperand(left, target);
    const b = timeOperand(right, target);
    return ordered((x, y) => a(x) - b(y));
  }
  switch (left.kind) {
    case 'STRING':
      return {
        equal: (a, b) => a === b,
        notEqual: (a, b) => a !== b,
        order: (a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0),
      };
    case 'BOOLEAN':
      return { equal: (a, b) => a === b, notEqual: (a, b) => a !== b };
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      return { equal: valuesEqual, notEqual: (a, b) => !valuesEqual(a, b) };
    case 'BYTES':
      return ordered((a, b) => compareSignedBytes(a as Buffer, b as Buffer));
    default:
      break;
  }
  if (left.kind === 'DOUBLE' || right.kind === 'DOUBLE') {
    return ordered((a, b) => {
      const x = Number(a);
      const y = Number(b);
      return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
    });
  }
  if (left.kind === 'BIGINT' || right.kind === 'BIGINT') {
    return ordered((a, b) => {
      const x = typeof a === 'bigint' ? a : BigInt(a as number);
      const y = typeof b === 'bigint' ? b : BigInt(b as number);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
  return ordered((a, b) => (a as number) - (b as number));
}

function ordered(order: (a: Value, b: Value) => number): Comparator {
  return {
    order,
    equal: (a, b) => order(a, b) === 0,
    notEqual: (a, b) => {
      const c = order(a, b);
      return c < 0 || c > 0;
    },
  };
}

/** A double close to a DECIMAL/DOUBLE/INTEGER operand, for the fast path of DECIMAL comparisons. */
function approximateNumber(type: SqlType): (v: Value) => number {
  if (type.kind !== 'DECIMAL') return (v) => v as number;
  let last: Decimal | undefined;
  let lastNumber = 0;
  return (v) => {
    // Literals hand in the same Decimal object every row: convert it once.
    if (v !== last) {
      last = v as Decimal;
      lastNumber = last.toNumber();
    }
    return lastNumber;
  };
}

/** BigDecimal operands of a DECIMAL comparison (BigDecimal.valueOf for doubles). */
function decimalOperand(type: SqlType): (v: Value) => Decimal {
  switch (type.kind) {
    case 'DECIMAL':
      return (v) => v as Decimal;
    case 'DOUBLE':
      return (v) => {
        const d = v as number;
        if (!Number.isFinite(d)) throw new KsqlError(`Character ${javaDoubleToString(d)} is neither a decimal digit number, decimal point, nor "e" notation exponential mark.`);
        return Decimal.parse(javaDoubleToString(d));
      };
    default:
      return (v) => new Decimal(BigInt(v as number | bigint), 0);
  }
}

/** Operands of a time comparison in the target's unit (STRING parsed, DATE widened to millis). */
function timeOperand(type: SqlType, target: 'TIME' | 'TIMESTAMP' | 'DATE'): (v: Value) => number {
  if (type.kind === 'STRING') {
    if (target === 'TIME') return (v) => parseTimeText(v as string);
    if (target === 'DATE') return (v) => parseDateText(v as string);
    return (v) => parseTimestampText(v as string);
  }
  if (type.kind === 'DATE' && target === 'TIMESTAMP') return (v) => dateToTimestamp(v as number);
  return (v) => v as number;
}

/** `l op r` over two evaluators; null operands make every operator false except IS [NOT] DISTINCT FROM. */
export function comparisonEvaluator(op: Ast.ComparisonOperator, l: Evaluator, r: Evaluator, c: Comparator): Evaluator {
  const order = c.order;
  switch (op) {
    case '=': {
      const eq = c.equal;
      return (row, ctx) => { const a = l(row, ctx); const b = r(row, ctx); return a !== null && b !== null && eq(a, b); };
    }
    case '<>': {
      const ne = c.notEqual;
      return (row, ctx) => { const a = l(row, ctx); const b = r(row, ctx); return a !== null && b !== null && ne(a, b); };
    }
    case 'IS DISTINCT FROM': {
      const ne = c.notEqual;
      return (row, ctx) => {
        const a = l(row, ctx);
        const b = r(row, ctx);
        if (a === null || b === null) return (a === null) !== (b === null);
        return ne(a, b);
      };
    }
    case 'IS NOT DISTINCT FROM': {
      const ne = c.notEqual;
      return (row, ctx) => {
        const a = l(row, ctx);
        const b = r(row, ctx);
        if (a === null || b === null) return a === null && b === null;
        return !ne(a, b);
      };
    }
    case '<':
      return (row, ctx) => { const a = l(row, ctx); const b = r(row, ctx); return a !== null && b !== null && order!(a, b) < 0; };
    case '<=':
      return (row, ctx) => { const a = l(row, ctx); const b = r(row, ctx); return a !== null && b !== null && order!(a, b) <= 0; };
    case '>':
      return (row, ctx) => { const a = l(row, ctx); const b = r(row, ctx); return a !== null && b !== null && order!(a, b) > 0; };
    case '>=':
      return (row, ctx) => { const a = l(row, ctx); const b = r(row, ctx); return a !== null && b !== null && order!(a, b) >= 0; };
  }
}

