/**
 * Typing and compilation of parsed expressions into closures, with ksqlDB 0.29's semantics
 * (ExpressionTypeManager for types and compile-time errors, SqlToJavaVisitor and its helpers
 * for evaluation). Java behaviour is reproduced where users can observe it: int/long wrap-around,
 * a null unboxed by an operator is an error (the whole expression becomes null and the error is
 * reported through `EvalContext.onError`), comparisons with null are false, and CAST, function
 * arguments and collection elements turn their own errors into null (ksql.nested.error.set.null).
 */
import { KsqlError, KsqlStatementError, UnsupportedError } from '../errors.js';
import type { FunctionRegistry } from '../functions/types.js';
import type * as Ast from '../parser/ast.js';
import { formatExpression } from '../parser/format.js';
import { formatSqlType, SqlTypes, sqlTypeEquals, type SqlType, type StructField } from '../types.js';
import { mapLookup, valuesEqual } from '../values/compare.js';
import { Decimal } from '../values/decimal.js';
import type { Struct, Value } from '../values/value.js';
import { arithmeticEvaluator, arithmeticResultType, wrapArithmetic } from './arithmetic.js';
import { castFunction, castSupported, type Caster } from './cast.js';
import { coerceUserList, type ElementConversion } from './coercion.js';
import { comparator, comparisonEvaluator } from './comparison.js';
import { decimalNegate, decimalType, decimalTypeOfValue, type DecimalType } from './decimal-rules.js';
import { asError, constant, npe, orNull, type EvalContext, type Evaluator } from './evaluation.js';
import { likeRegex } from './like.js';
import type { Scope } from './scope.js';
import { parseTimestampText } from './time-text.js';

export { ArithmeticError, NullValueError, evalContext, type EvalContext, type Evaluator } from './evaluation.js';
export { arithmeticResultType } from './arithmetic.js';
export { isValidComparison } from './comparison.js';

export interface CompiledExpression {
  readonly type: SqlType;
  readonly expression: Ast.Expression;
  /** Never throws: evaluation errors are reported through `ctx.onError` and yield null. */
  evaluate(row: readonly Value[], ctx: EvalContext): Value;
}

export interface CompileOptions {
  /** Clause named in unknown-column errors ("WHERE column 'X' cannot be resolved."). Default SELECT. */
  readonly clause?: string;
  /**
   * When set, errors are reported with it in front, as ksqlDB does: `compileExpression` as its
   * CodeGenRunner (`<prefix>: <message>.`, prefix "Invalid Select" / "Invalid Predicate"),
   * `typeOf` as its analyzer (`<prefix>: <message>`, prefix "Error in WHERE expression").
   */
  readonly errorPrefix?: string;
  /**
   * Sub-expressions already computed into the row, e.g. aggregate calls (`SUM(X)`) and GROUP BY
   * expressions when compiling HAVING or a post-aggregation projection: a returned slot is read
   * from `row[index]` with the given type instead of being compiled. Consulted for every node.
   */
  readonly slotFor?: (e: Ast.Expression) => { readonly type: SqlType; readonly index: number } | undefined;
}

/** The type a time-unit argument (SECONDS, DAYS, ...) has when resolving functions. */
const INTERVAL_UNIT_TYPE = { kind: 'INTERVAL_UNIT' } as unknown as SqlType;

/** Pseudo columns whose comparisons with string literals ksqlDB rewrites to epoch millis. */
const MAGIC_TIMESTAMP_COLUMNS = new Set(['ROWTIME', 'WINDOWSTART', 'WINDOWEND']);

interface Node {
  readonly type: SqlType;
  readonly fn: Evaluator;
}

/**
 * Compiles `expr` against `scope`. Throws KsqlStatementError with ksqlDB's message for type
 * errors and UnsupportedError for constructs the engine lacks (lambdas).
 */
export function compileExpression(
  expr: Ast.Expression,
  scope: Scope,
  registry: FunctionRegistry,
  options: CompileOptions = {},
): CompiledExpression {
  const node = withPrefix(options, '.', () => new Compiler(scope, registry, options, false).compile(expr));
  const fn = node.fn;
  return {
    type: node.type,
    expression: expr,
    evaluate(row, ctx) {
      try {
        return fn(row, ctx);
      } catch (e) {
        ctx.onError(asError(e));
        return null;
      }
    },
  };
}

/**
 * The SQL type of `expr`, with the checks ksqlDB's ExpressionTypeManager makes (comparisons,
 * arithmetic, CASE branches, functions) but not those it leaves to code generation (IN lists,
 * CAST support). NULL literals have type NULL.
 */
export function typeOf(expr: Ast.Expression, scope: Scope, registry: FunctionRegistry, options: CompileOptions = {}): SqlType {
  return withPrefix(options, '', () => new Compiler(scope, registry, options, true).compile(expr)).type;
}

function withPrefix<T>(options: CompileOptions, suffix: string, f: () => T): T {
  if (options.errorPrefix === undefined) return f();
  try {
    return f();
  } catch (e) {
    if (e instanceof KsqlError && !(e instanceof UnsupportedError)) {
      throw new KsqlStatementError(`${options.errorPrefix}: ${e.message}${suffix}`, { cause: e });
    }
    throw e;
  }
}

function fail(message: string): never {
  throw new KsqlStatementError(message);
}

function typeText(t: SqlType): string {
  return t.kind === 'NULL' ? 'null' : formatSqlType(t);
}

class Compiler {
  constructor(
    private readonly scope: Scope,
    private readonly registry: FunctionRegistry,
    private readonly options: CompileOptions,
    private readonly typeOnly: boolean,
  ) {}

  private readonly typeCache = new Map<Ast.Expression, SqlType>();

  /** The type of a sub-expression, without building it for evaluation. */
  private typeOfSub = (e: Ast.Expression): SqlType => {
    let t = this.typeCache.get(e);
    if (t === undefined) {
      t = (this.typeOnly ? this : new Compiler(this.scope, this.registry, this.options, true)).compile(e).type;
      this.typeCache.set(e, t);
    }
    return t;
  };

  compile(e: Ast.Expression): Node {
    const slot = this.options.slotFor?.(e);
    if (slot !== undefined) {
      const index = slot.index;
      return { type: slot.type, fn: (row) => row[index] ?? null };
    }
    switch (e.kind) {
      case 'NullLiteral':
        return { type: SqlTypes.NULL, fn: constant(null) };
      case 'BooleanLiteral':
        return { type: SqlTypes.BOOLEAN, fn: constant(e.value) };
      case 'IntegerLiteral':
        return { type: SqlTypes.INTEGER, fn: constant(e.value) };
      case 'BigintLiteral':
        return { type: SqlTypes.BIGINT, fn: constant(e.value) };
      case 'DoubleLiteral':
        return { type: SqlTypes.DOUBLE, fn: constant(e.value) };
      case 'DecimalLiteral': {
        const value = Decimal.parse(e.text);
        return { type: decimalType(decimalTypeOfValue(value)), fn: constant(value) };
      }
      case 'StringLiteral':
        return { type: SqlTypes.STRING, fn: constant(e.value) };
      case 'ColumnRef':
        return this.columnRef(e);
      case 'Dereference':
        return this.dereference(e);
      case 'Subscript':
        return this.subscript(e);
      case 'FunctionCall':
        return this.functionCall(e);
      case 'IntervalUnit':
        return fail(`Time unit ${e.unit} is only allowed as a function argument`);
      case 'Type':
        return fail(`Type ${formatSqlType(e.type)} is only allowed as a function argument`);
      case 'Arithmetic':
        return this.arithmetic(e);
      case 'Negation':
        return this.negation(e);
      case 'Comparison':
        return this.comparison(e);
      case 'LogicalBinary':
        return this.logical(e);
      case 'Not':
        return this.not(e);
      case 'IsNull':
        return this.isNull(e);
      case 'Between':
        return this.between(e);
      case 'InList':
        return this.inList(e);
      case 'Like':
        return this.like(e);
      case 'SearchedCase':
        return this.searchedCase(e);
      case 'SimpleCase':
        return this.simpleCase(e);
      case 'Cast':
        return this.cast(e);
      case 'CreateArray':
        return this.createArray(e);
      case 'CreateMap':
        return this.createMap(e);
      case 'CreateStruct':
        return this.createStruct(e);
      case 'Lambda':
      case 'LambdaVariable':
        throw new UnsupportedError('lambda functions');
    }
  }

  // -------------------------------------------------------------------------------------------
  // References
  // -------------------------------------------------------------------------------------------

  private columnRef(e: Ast.ColumnRef): Node {
    const resolved = this.scope.resolve(e.name, e.source, this.options.clause);
    const index = resolved.index;
    return { type: resolved.type, fn: (row) => row[index] ?? null };
  }

  private dereference(e: Ast.Dereference): Node {
    const base = this.compile(e.base);
    if (base.type.kind !== 'STRUCT') fail(`Expected STRUCT type, got: ${typeText(base.type)}`);
    const field = base.type.fields.find((f) => f.name === e.field);
    if (!field) fail(`Could not find field '${e.field}' in '${formatExpression(e.base)}'.`);
    const name = field.name;
    const baseFn = base.fn;
    return {
      type: field.type,
      fn: (row, ctx) => {
        const struct = baseFn(row, ctx) as Struct | null;
        return struct === null ? null : (struct[name] ?? null);
      },
    };
  }

  private subscript(e: Ast.Subscript): Node {
    const base = this.compile(e.base);
    const index = this.compile(e.index);
    const baseFn = base.fn;
    const indexFn = index.fn;
    if (base.type.kind === 'ARRAY') {
      if (index.type.kind !== 'INTEGER' && index.type.kind !== 'BIGINT' && index.type.kind !== 'NULL') {
        fail(`Array index must be INTEGER, got ${typeText(index.type)}: ${formatExpression(e)}`);
      }
      return {
        type: base.type.item,
        fn: (row, ctx) => {
          const list = baseFn(row, ctx) as Value[] | null;
          if (list === null) return null;
          const raw = indexFn(row, ctx);
          if (raw === null) npe('array index');
          const i = Number(raw);
          // 1-based; negative counts from the end (ArrayAccess.arrayAccess).
          const at = i >= 0 ? i - 1 : list.length + i;
          return at >= 0 && at < list.length ? (list[at] ?? null) : null;
        },
      };
    }
    if (base.type.kind === 'MAP') {
      return {
        type: base.type.value,
        fn: (row, ctx) => {
          const map = baseFn(row, ctx) as Map<Value, Value> | null;
          if (map === null) return null;
          return mapLookup(map, indexFn(row, ctx)) ?? null;
        },
      };
    }
    const hint = base.type.kind === 'STRUCT' ? ` Use the dereference operator for STRUCTS: ${formatExpression(e.base)}->${formatExpression(e.index)}` : '';
    return fail(`Subscript expression (${formatExpression(e)}) do not apply to ${typeText(base.type)}.${hint}`);
  }

  // -------------------------------------------------------------------------------------------
  // Functions
  // -------------------------------------------------------------------------------------------

  private functionCall(e: Ast.FunctionCall): Node {
    if (this.registry.isAggregate(e.name)) {
      fail(`Aggregate function ${e.name} cannot be used in this context: ${formatExpression(e)}`);
    }
    const args = e.args.map((a) => (a.kind === 'IntervalUnit' ? undefined : this.compile(a)));
    const argTypes = e.args.map((a, i) => (a.kind === 'IntervalUnit' ? INTERVAL_UNIT_TYPE : args[i]!.type));
    const fn = this.registry.resolve(e.name, argTypes);
    const returnType = fn.returnType;
    if (this.typeOnly) return { type: returnType, fn: constant(null) };

    const argFns: Evaluator[] = e.args.map((a, i) => {
      if (a.kind === 'IntervalUnit') return constant(a.unit);
      const arg = args[i]!;
      let argFn = this.convertArgument(arg, fn.paramTypes[i] ?? fn.paramTypes[fn.paramTypes.length - 1]);
      // ksqlDB isolates errors of nested function calls and dereferences to that argument.
      if (a.kind === 'FunctionCall' || a.kind === 'Dereference') argFn = orNull(argFn);
      return argFn;
    });
    const n = argFns.length;
    const acceptsNulls = fn.acceptsNulls;
    return {
      type: returnType,
      fn: (row, ctx) => {
        const values: Value[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const v = argFns[i]!(row, ctx);
          if (v === null && !acceptsNulls) return null;
          values[i] = v;
        }
        const result = fn.invoke(values, ctx);
        return result === undefined ? null : result;
      },
    };
  }

  /** Implicit conversion of an argument to the resolved parameter type (SqlToJavaVisitor.convertArgument). */
  private convertArgument(arg: Node, param: SqlType | undefined): Evaluator {
    const from = arg.type;
    if (param === undefined || from.kind === 'NULL' || sqlTypeEquals(from, param)) return arg.fn;
    const kind = param.kind as string;
    if (kind === 'NULL' || kind === 'INTERVAL_UNIT' || kind === 'GENERIC' || kind === 'ANY_DECIMAL' || kind === 'ANY_STRUCT') return arg.fn;
    if (!castSupported(from, param)) return arg.fn;
    return castEvaluator(arg.fn, castFunction(from, param));
  }

  // -------------------------------------------------------------------------------------------
  // Arithmetic
  // -------------------------------------------------------------------------------------------

  private arithmetic(e: Ast.Arithmetic): Node {
    const left = this.compile(e.left);
    const right = this.compile(e.right);
    let type: SqlType;
    try {
      type = arithmeticResultType(e.op, left.type, right.type);
    } catch (err) {
      if (err instanceof KsqlError) fail(`Error processing expression: ${formatExpression(e)}. ${err.message}`);
      throw err;
    }
    return { type, fn: arithmeticEvaluator(e.op, left, right, type) };
  }

  private negation(e: Ast.Negation): Node {
    const operand = this.compile(e.operand);
    const f = operand.fn;
    const type = operand.type;
    switch (type.kind) {
      case 'NULL':
        return { type, fn: constant(null) };
      case 'INTEGER':
        return { type, fn: (row, ctx) => { const v = f(row, ctx); return v === null ? npe('-') : -(v as number) | 0; } };
      case 'BIGINT':
        return { type, fn: (row, ctx) => { const v = f(row, ctx); return v === null ? npe('-') : BigInt.asIntN(64, -(v as bigint)); } };
      case 'DOUBLE':
        return { type, fn: (row, ctx) => { const v = f(row, ctx); return v === null ? npe('-') : -(v as number); } };
      case 'DECIMAL': {
        const t: DecimalType = type;
        return { type, fn: (row, ctx) => { const v = f(row, ctx); return v === null ? npe('-') : wrapArithmetic(() => decimalNegate(v as Decimal, t)); } };
      }
      default:
        return fail(`Error processing expression: ${formatExpression(e)}. Unsupported arithmetic type. ${type.kind}`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Predicates
  // -------------------------------------------------------------------------------------------

  private comparison(e: Ast.Comparison): Node {
    const [leftExpr, rightExpr] = this.magicTimestamps(e.left, e.right);
    const left = this.compile(leftExpr);
    const right = this.compile(rightExpr);
    const c = comparator(e.op, left.type, right.type, leftExpr, rightExpr);
    return { type: SqlTypes.BOOLEAN, fn: comparisonEvaluator(e.op, left.fn, right.fn, c) };
  }

  /**
   * ksqlDB rewrites `ROWTIME > '2018-01-01'` (also WINDOWSTART/WINDOWEND) so the string literal
   * becomes epoch millis (StatementRewriteForMagicPseudoTimestamp).
   */
  private magicTimestamps(left: Ast.Expression, right: Ast.Expression): [Ast.Expression, Ast.Expression] {
    if (this.isMagicTimestamp(left) && right.kind === 'StringLiteral') return [left, millisLiteral(right)];
    if (this.isMagicTimestamp(right) && left.kind === 'StringLiteral') return [millisLiteral(left), right];
    return [left, right];
  }

  private isMagicTimestamp(e: Ast.Expression): boolean {
    if (e.kind !== 'ColumnRef' || !MAGIC_TIMESTAMP_COLUMNS.has(e.name)) return false;
    const entry = this.scope.find(e.name, e.source);
    return entry !== undefined && entry.type.kind === 'BIGINT';
  }

  private logical(e: Ast.LogicalBinary): Node {
    const left = this.compile(e.left);
    const right = this.compile(e.right);
    requireBoolean(left, e.left, e);
    requireBoolean(right, e.right, e);
    const l = left.fn;
    const r = right.fn;
    // Java's && / || on boxed Booleans: short-circuit, and a null operand that gets unboxed fails.
    const fn: Evaluator =
      e.op === 'AND'
        ? (row, ctx) => {
            const a = l(row, ctx);
            if (a === null) npe('AND');
            if (!a) return false;
            const b = r(row, ctx);
            return b === null ? npe('AND') : b;
          }
        : (row, ctx) => {
            const a = l(row, ctx);
            if (a === null) npe('OR');
            if (a) return true;
            const b = r(row, ctx);
            return b === null ? npe('OR') : b;
          };
    return { type: SqlTypes.BOOLEAN, fn };
  }

  private not(e: Ast.Not): Node {
    const operand = this.compile(e.operand);
    requireBoolean(operand, e.operand, e);
    const f = operand.fn;
    return { type: SqlTypes.BOOLEAN, fn: (row, ctx) => { const v = f(row, ctx); return v === null ? npe('NOT') : !v; } };
  }

  private isNull(e: Ast.IsNull): Node {
    const f = this.compile(e.operand).fn;
    return { type: SqlTypes.BOOLEAN, fn: e.negated ? (row, ctx) => f(row, ctx) !== null : (row, ctx) => f(row, ctx) === null };
  }

  private between(e: Ast.Between): Node {
    const [valueExpr, minExpr] = this.magicTimestamps(e.value, e.min);
    const [, maxExpr] = this.magicTimestamps(e.value, e.max);
    const value = this.compile(valueExpr);
    const min = this.compile(minExpr);
    const max = this.compile(maxExpr);
    if (value.type.kind === 'NULL' || min.type.kind === 'NULL' || max.type.kind === 'NULL') {
      // ksqlDB does not type-check BETWEEN; its generated comparisons are simply false for NULL.
      return { type: SqlTypes.BOOLEAN, fn: constant(e.negated) };
    }
    const ge = comparisonEvaluator('>=', value.fn, min.fn, comparator('>=', value.type, min.type, valueExpr, minExpr));
    const le = comparisonEvaluator('<=', value.fn, max.fn, comparator('<=', value.type, max.type, valueExpr, maxExpr));
    const fn: Evaluator = e.negated ? (row, ctx) => !(ge(row, ctx) && le(row, ctx)) : (row, ctx) => (ge(row, ctx) as boolean) && (le(row, ctx) as boolean);
    return { type: SqlTypes.BOOLEAN, fn };
  }

  private inList(e: Ast.InList): Node {
    // ksqlDB types IN as BOOLEAN without looking at the list; its checks happen in code generation.
    if (this.typeOnly) return { type: SqlTypes.BOOLEAN, fn: constant(null) };
    const elements = [e.value, ...e.list.filter((x) => x.kind !== 'NullLiteral')];
    const coercion = coerceUserList(elements, this.typeOfSub);
    const fns = elements.map((x, i) => this.converted(x, coercion.conversions[i]!));
    const valueFn = fns[0]!;
    const itemFns = fns.slice(1);
    const negated = e.negated;
    return {
      type: SqlTypes.BOOLEAN,
      fn: (row, ctx) => {
        const v = valueFn(row, ctx);
        let found = false;
        if (v !== null) {
          for (const item of itemFns) {
            const x = item(row, ctx);
            if (x !== null && valuesEqual(v, x)) {
              found = true;
              break;
            }
          }
        }
        return negated ? !found : found;
      },
    };
  }

  /** An element of a user list converted to the list's common type. */
  private converted(e: Ast.Expression, conversion: ElementConversion): Evaluator {
    switch (conversion.kind) {
      case 'literal':
        return constant(conversion.value);
      case 'asIs':
        return this.compile(e).fn;
      case 'cast': {
        const node = this.compile(e);
        return castEvaluator(node.fn, castFunction(node.type, conversion.to));
      }
    }
  }

  private like(e: Ast.Like): Node {
    const value = this.compile(e.value);
    const pattern = this.compile(e.pattern);
    for (const [node, expr] of [[value, e.value], [pattern, e.pattern]] as const) {
      if (node.type.kind !== 'STRING' && node.type.kind !== 'NULL') {
        fail(`LIKE requires STRING operands, got ${typeText(node.type)}: ${formatExpression(expr)}`);
      }
    }
    const escape = e.escape;
    const valueFn = value.fn;
    const patternFn = pattern.fn;
    let lastPattern: string | undefined;
    let lastRegex: RegExp | undefined;
    const negated = e.negated;
    return {
      type: SqlTypes.BOOLEAN,
      fn: (row, ctx) => {
        const v = valueFn(row, ctx);
        const p = patternFn(row, ctx);
        if (v === null || p === null) npe('LIKE');
        if (p !== lastPattern || lastRegex === undefined) {
          lastRegex = likeRegex(p as string, escape);
          lastPattern = p as string;
        }
        const matches = lastRegex.test(v as string);
        return negated ? !matches : matches;
      },
    };
  }

  // -------------------------------------------------------------------------------------------
  // CASE
  // -------------------------------------------------------------------------------------------

  private searchedCase(e: Ast.SearchedCase): Node {
    const conditions: Evaluator[] = [];
    const results: Node[] = [];
    for (const w of e.whens) {
      const cond = this.compile(w.condition);
      if (cond.type.kind !== 'BOOLEAN') {
        fail(`WHEN operand type should be boolean.\nType for '${formatExpression(w.condition)}' is ${typeText(cond.type)}`);
      }
      conditions.push(cond.fn);
      results.push(this.compile(w.result));
    }
    const elseNode = e.else ? this.compile(e.else) : undefined;
    const type = caseResultType(e.whens, results, elseNode);
    const resultFns = results.map((r) => r.fn);
    const elseFn = elseNode?.fn;
    const n = conditions.length;
    return {
      type,
      fn: (row, ctx) => {
        for (let i = 0; i < n; i++) {
          const c = conditions[i]!(row, ctx);
          if (c === null) npe('CASE WHEN');
          if (c) return resultFns[i]!(row, ctx);
        }
        return elseFn ? elseFn(row, ctx) : null;
      },
    };
  }

  private simpleCase(e: Ast.SimpleCase): Node {
    const operand = this.compile(e.operand);
    const matchers: Evaluator[] = [];
    const results: Node[] = [];
    for (const w of e.whens) {
      const value = this.compile(w.condition);
      const c = comparator('=', operand.type, value.type, e.operand, w.condition);
      matchers.push(comparisonEvaluator('=', operand.fn, value.fn, c));
      results.push(this.compile(w.result));
    }
    const elseNode = e.else ? this.compile(e.else) : undefined;
    const type = caseResultType(e.whens, results, elseNode);
    const resultFns = results.map((r) => r.fn);
    const elseFn = elseNode?.fn;
    const n = matchers.length;
    return {
      type,
      fn: (row, ctx) => {
        for (let i = 0; i < n; i++) if (matchers[i]!(row, ctx)) return resultFns[i]!(row, ctx);
        return elseFn ? elseFn(row, ctx) : null;
      },
    };
  }

  // -------------------------------------------------------------------------------------------
  // CAST and constructors
  // -------------------------------------------------------------------------------------------

  private cast(e: Ast.Cast): Node {
    const inner = this.compile(e.expression);
    if (this.typeOnly) return { type: e.type, fn: constant(null) };
    const caster = castFunction(inner.type, e.type);
    // CAST turns its own (and its operand's) errors into null.
    return { type: e.type, fn: orNull(castEvaluator(inner.fn, caster)) };
  }

  private createArray(e: Ast.CreateArray): Node {
    if (e.items.length === 0) {
      fail('Array constructor cannot be empty. Please supply at least one element (see https://github.com/confluentinc/ksql/issues/4239).');
    }
    const coercion = coerceUserList(e.items, this.typeOfSub);
    if (coercion.commonType === undefined) {
      fail(
        'Cannot construct an array with all NULL elements (see https://github.com/confluentinc/ksql/issues/4239). ' +
          'As a workaround, you may cast a NULL value to the desired type.',
      );
    }
    const type = SqlTypes.array(coercion.commonType);
    if (this.typeOnly) return { type, fn: constant(null) };
    const items = e.items.map((x, i) => orNull(this.converted(x, coercion.conversions[i]!)));
    const n = items.length;
    return {
      type,
      fn: (row, ctx) => {
        const out: Value[] = new Array(n);
        for (let i = 0; i < n; i++) out[i] = items[i]!(row, ctx);
        return out;
      },
    };
  }

  private createMap(e: Ast.CreateMap): Node {
    if (e.entries.length === 0) {
      fail('Map constructor cannot be empty. Please supply at least one key value pair (see https://github.com/confluentinc/ksql/issues/4239).');
    }
    const keyExprs = e.entries.map((x) => x.key);
    const valueExprs = e.entries.map((x) => x.value);
    const keys = coerceUserList(keyExprs, this.typeOfSub);
    if (keys.commonType === undefined) {
      fail(
        'Cannot construct a map with all NULL keys (see https://github.com/confluentinc/ksql/issues/4239). ' +
          'As a workaround, you may cast a NULL key to the desired type.',
      );
    }
    const values = coerceUserList(valueExprs, this.typeOfSub);
    if (values.commonType === undefined) {
      fail(
        'Cannot construct a map with all NULL values (see https://github.com/confluentinc/ksql/issues/4239). ' +
          'As a workaround, you may cast a NULL value to the desired type.',
      );
    }
    const type = SqlTypes.map(keys.commonType, values.commonType);
    if (this.typeOnly) return { type, fn: constant(null) };
    const keyFns = keyExprs.map((x, i) => orNull(this.converted(x, keys.conversions[i]!)));
    const valueFns = valueExprs.map((x, i) => orNull(this.converted(x, values.conversions[i]!)));
    const n = keyFns.length;
    return {
      type,
      fn: (row, ctx) => {
        const out = new Map<Value, Value>();
        for (let i = 0; i < n; i++) out.set(keyFns[i]!(row, ctx), valueFns[i]!(row, ctx));
        return out;
      },
    };
  }

  private createStruct(e: Ast.CreateStruct): Node {
    const fields: StructField[] = [];
    const fns: Evaluator[] = [];
    for (const f of e.fields) {
      const node = this.compile(f.value);
      fields.push({ name: f.name, type: node.type });
      fns.push(orNull(node.fn));
    }
    const names = fields.map((f) => f.name);
    const n = names.length;
    return {
      type: SqlTypes.struct(fields),
      fn: (row, ctx) => {
        const out: Struct = {};
        for (let i = 0; i < n; i++) out[names[i]!] = fns[i]!(row, ctx);
        return out;
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the node compilers
// ---------------------------------------------------------------------------------------------

function requireBoolean(node: Node, operand: Ast.Expression, whole: Ast.Expression): void {
  if (node.type.kind !== 'BOOLEAN' && node.type.kind !== 'NULL') {
    fail(`Error processing expression: ${formatExpression(whole)}. Operand ${formatExpression(operand)} (${typeText(node.type)}) is not BOOLEAN.`);
  }
}

function millisLiteral(e: Ast.StringLiteral): Ast.Expression {
  return { kind: 'BigintLiteral', value: BigInt(parseTimestampText(e.value)), ...(e.loc ? { loc: e.loc } : {}) };
}

function castEvaluator(fn: Evaluator, caster: Caster): Evaluator {
  return (row, ctx) => {
    const v = fn(row, ctx);
    return v === null ? null : caster(v);
  };
}

function caseResultType(whens: readonly Ast.WhenClause[], results: readonly Node[], elseNode: Node | undefined): SqlType {
  let whenType: SqlType | undefined;
  for (let i = 0; i < results.length; i++) {
    const t = results[i]!.type;
    if (t.kind === 'NULL') continue;
    if (whenType === undefined) {
      whenType = t;
      continue;
    }
    if (!sqlTypeEquals(whenType, t)) {
      const w = whens[i]!;
      fail(
        "Invalid Case expression. Type for all 'THEN' clauses should be the same.\n" +
          `THEN expression 'WHEN ${formatExpression(w.condition)} THEN ${formatExpression(w.result)}' has type: ${formatSqlType(t)}.\n` +
          `Previous THEN expression(s) type: ${formatSqlType(whenType)}.`,
      );
    }
  }
  const defaultType = elseNode && elseNode.type.kind !== 'NULL' ? elseNode.type : undefined;
  if (whenType && defaultType) {
    if (!sqlTypeEquals(whenType, defaultType)) {
      fail(
        "Invalid Case expression. Type for the default clause should be the same as for 'THEN' clauses.\n" +
          `THEN type: ${formatSqlType(whenType)}.\nDEFAULT type: ${formatSqlType(defaultType)}.`,
      );
    }
    return whenType;
  }
  const type = whenType ?? defaultType;
  if (!type) fail('Invalid Case expression. All case branches have NULL type');
  return type;
}
